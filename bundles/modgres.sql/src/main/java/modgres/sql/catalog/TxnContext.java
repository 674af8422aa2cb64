package modgres.sql.catalog;

import modgres.api.txn.LockMode;
import modgres.api.txn.Snapshot;

/**
 * What catalog and executor code asks of the session's transaction
 * (PostgreSQL's {@code xact.c} as seen from below): ids, the statement's
 * snapshot, locks held to transaction end, and work deferred to its end.
 */
public interface TxnContext {

    /** The backend's (virtual) process id. */
    int pid();

    /** The database the session is connected to. */
    int database();

    /** The current (sub)transaction's id, assigned on first use (a write). */
    int xid();

    /**
     * The top-level transaction's id with its epoch (txid_current(), pg_current_xact_id()): assigned now if
     * the transaction has none yet, also in a read-only transaction, as PostgreSQL does.
     */
    default long topFullXid() {
        return Integer.toUnsignedLong(xid());
    }

    /** The current command id ({@code GetCurrentCommandId}). */
    int commandId();

    /** The snapshot the current statement reads with. */
    Snapshot snapshot();

    /** Makes this transaction's changes so far visible to its next command ({@code CommandCounterIncrement}). */
    void commandCounterIncrement();

    /** Takes a relation lock held to transaction end. */
    void lockRelation(int relationOid, LockMode mode);

    /** The database's name (VACUUM VERBOSE's and autovacuum's messages name tables db.schema.table). */
    String databaseName();

    /** The next transaction id to be assigned (its low 32 bits). */
    int nextXid();

    /** Takes a relation lock only if it is free now (ConditionalLockRelationOid); true when taken. */
    boolean tryLockRelation(int relationOid, LockMode mode);

    /** Runs {@code r} after a successful commit (file removal of a dropped relation). */
    void onCommit(Runnable r);

    /** Runs {@code r} after an abort (file removal of a relation created in the transaction). */
    void onAbort(Runnable r);

    /**
     * The removal of relation storage this transaction created (CREATE
     * TABLE, the new file of TRUNCATE), registered with {@link #onAbort}: it
     * stays with the savepoint level that created the storage, joins the
     * level above on RELEASE and runs on rollback, which is what
     * {@link #storageCreatedAtCurrentLevel} looks at.
     */
    record DropNewStorage(modgres.api.buffer.RelFileNode node, Runnable drop) implements Runnable {
        @Override
        public void run() {
            drop.run();
        }
    }

    /**
     * True when {@code node} was created by the current subtransaction (the
     * innermost savepoint level, or the transaction when there is none), so
     * that an abort of it removes the file: COPY FREEZE's condition.
     */
    default boolean storageCreatedAtCurrentLevel(modgres.api.buffer.RelFileNode node) {
        return false;
    }

    /**
     * Notes that this transaction used a temporary object (a temporary table, view or sequence, an object of
     * pg_temp, the temporary schema itself): PostgreSQL's XACT_FLAGS_ACCESSEDTEMPNAMESPACE, which forbids
     * PREPARE TRANSACTION and enables the ON COMMIT DELETE ROWS work at commit.
     */
    default void accessedTempNamespace() {
    }

    /** Notes that this transaction changed the catalog: other sessions reload theirs after commit. */
    void catalogChanged();

    /** A new OID for a catalog object (relation, constraint, schema). */
    int newOid();

    /** {@code lock_timeout} in milliseconds (0 = none). */
    long lockTimeout();

    /** True under REPEATABLE READ and SERIALIZABLE: a concurrent update is a serialization failure. */
    boolean usesTransactionSnapshot();

    /** Which transaction ids are this session's (for own-change visibility and uniqueness checks). */
    modgres.api.txn.CurrentTransaction current();

    /** Waits until the transaction {@code xid} has ended (row-level conflicts, unique checks). */
    void waitFor(int xid);

    /**
     * A new snapshot of the latest committed state plus this transaction's
     * changes before the current command ({@code GetLatestSnapshot}): what
     * foreign-key checks of the referencing side read, whatever the isolation.
     */
    default Snapshot latestSnapshot() {
        return snapshot();
    }

    /**
     * Takes a heavyweight lock that {@link #unlock} releases before the
     * transaction ends (INSERT ... ON CONFLICT's per-key insertion lock).
     */
    default void lock(modgres.api.txn.LockTag tag, LockMode mode) {
        throw new UnsupportedOperationException("lock " + tag);
    }

    /** Releases a lock taken by {@link #lock}. */
    default void unlock(modgres.api.txn.LockTag tag, LockMode mode) {
        throw new UnsupportedOperationException("unlock " + tag);
    }
}
