package modgres.sql.engine;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.IsolationLevel;
import modgres.api.txn.LockManager;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;
import modgres.api.txn.Snapshot;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.Xid;
import modgres.sql.catalog.CatalogCache;
import modgres.sql.catalog.TxnContext;

/*
 * Design notes: a session's transaction against the transaction manager
 * (PostgreSQL's xact.c, the part below the SQL state machine).
 *
 * Ids are assigned lazily: a read-only transaction never gets one. The
 * first write in a savepoint level assigns the top-level id first, then one
 * per open savepoint level down to the current one (parents before
 * children, as PostgreSQL does).
 *
 *   level 0 (top)  xid 740
 *   level 1        SAVEPOINT a   sub 741
 *   level 2        SAVEPOINT b   sub 742   <- xid() returns 742 here
 *
 * ROLLBACK TO a aborts the ids of levels >= 1 (741, 742) and forgets them;
 * RELEASE b keeps 742 as part of level 1 (sub-committed with the
 * transaction). Visibility's "is this mine" is the top id plus every live
 * sub id.
 *
 * Snapshots: READ COMMITTED takes one per statement; REPEATABLE READ and
 * SERIALIZABLE take one at the first statement and keep it. Either way the
 * snapshot's command id follows the transaction's, which advances after
 * every statement (and within DDL), so a statement sees the effects of the
 * earlier ones and not its own.
 *
 * Locks are held by the backend until the transaction ends.
 */
/** A session's transaction: see the design notes. */
final class SessionTxn implements TxnContext {
    private final TransactionManager tm;
    private final LockManager lm;
    private final CatalogCache cache;
    private final int pid;
    private final int database;

    private int topXid;
    /** Per savepoint level (index 0 = top): the live sub ids assigned at that level. */
    private final List<List<Integer>> levels = new ArrayList<>();
    /** Per level: the id of the level's own subtransaction (0 until assigned). */
    private final List<Integer> levelXid = new ArrayList<>();
    private final List<List<Runnable>> onAbortByLevel = new ArrayList<>();
    /**
     * Per level: what to do once the whole transaction commits (file removals of dropped relations,
     * cache invalidations). A level rolled back to its savepoint discards its own: a DROP TABLE undone
     * by ROLLBACK TO must not remove the table's files at commit.
     */
    private final List<List<Runnable>> onCommitByLevel = new ArrayList<>();
    private int cid;
    private Snapshot txnSnapshot;
    /** This transaction's SSI record (SERIALIZABLE only, from its snapshot on), else null. */
    private SerializableConflicts.Sxact sxact;

    /**
     * SERIALIZABLE: the statement reads these relations as a whole and writes {@code writeRel} (0: none);
     * {@code keyedWrite}: the executor reports the index keys of the rows it writes (ModifyTable).
     */
    void serializableAccess(List<Integer> relationReads, int writeRel, boolean keyedWrite) {
        if (sxact == null) {
            return;
        }
        SerializableConflicts ssi = SerializableConflicts.of(tm);
        for (int rel : relationReads) {
            ssi.read(sxact, database, rel);
        }
        if (writeRel != 0) {
            ssi.write(sxact, database, writeRel, keyedWrite);
        }
    }

    /** Where a SERIALIZABLE statement's index scans and row writes report keys; null at other levels. */
    modgres.sql.exec.PredicateLocks predicateLocks() {
        SerializableConflicts.Sxact me = sxact;
        if (me == null) {
            return null;
        }
        SerializableConflicts ssi = SerializableConflicts.of(tm);
        int db = database;
        return new modgres.sql.exec.PredicateLocks() {
            @Override
            public void readRelation(int relation) {
                ssi.read(me, db, relation);
            }

            @Override
            public void readKey(int relation, int index, byte[] key) {
                ssi.readKey(me, db, relation, index, key);
            }

            @Override
            public void writeRelation(int relation) {
                ssi.write(me, db, relation, true);
            }

            @Override
            public void writeKey(int relation, int index, byte[] key) {
                ssi.writeKey(me, db, relation, index, key);
            }
        };
    }

    private Snapshot stmtSnapshot;
    private IsolationLevel level = IsolationLevel.READ_COMMITTED;
    private boolean readOnly;
    private boolean catalogChanged;
    long lockTimeoutMillis;
    boolean syncCommit = true;
    /** The oldest xmin of snapshots the session's open cursors still read with (0: none): the backend xmin stays at or below it. */
    java.util.function.IntSupplier heldXmin = () -> 0;
    /** Set while a statement writes only the session's temporary tables: allowed in a read-only transaction. */
    boolean tempWriteInReadOnly;
    private boolean active;
    /** The transaction used temporary objects (PostgreSQL's XACT_FLAGS_ACCESSEDTEMPNAMESPACE). */
    private boolean accessedTemp;
    /** The session's statistics: counted per transaction level, flushed by the session at each end. */
    final modgres.sql.exec.TableActivity activity;

    SessionTxn(TransactionManager tm, LockManager lm, CatalogCache cache, int pid, int database) {
        this.tm = tm;
        this.lm = lm;
        this.cache = cache;
        this.pid = pid;
        this.database = database;
        this.activity = new modgres.sql.exec.TableActivity(database);
    }

    private final CurrentTransaction current = this::isCurrent;

    boolean isCurrent(int xid) {
        if (xid == Xid.INVALID) {
            return false;
        }
        if (xid == topXid) {
            return true;
        }
        for (List<Integer> l : levels) {
            if (l.contains(xid)) {
                return true;
            }
        }
        return false;
    }

    void begin(IsolationLevel iso, boolean ro) {
        active = true;
        level = iso;
        readOnly = ro;
        topXid = 0;
        levels.clear();
        levelXid.clear();
        onAbortByLevel.clear();
        levels.add(new ArrayList<>());
        levelXid.add(0);
        onAbortByLevel.add(new ArrayList<>());
        onCommitByLevel.clear();
        onCommitByLevel.add(new ArrayList<>());
        cid = 0;
        txnSnapshot = null;
        stmtSnapshot = null;
        catalogChanged = false;
        accessedTemp = false;
        activity.begin();
    }

    @Override
    public void accessedTempNamespace() {
        accessedTemp = true;
    }

    /** True once the transaction used a temporary object: PREPARE TRANSACTION refuses it. */
    boolean accessedTempObjects() {
        return accessedTemp;
    }

    boolean active() {
        return active;
    }

    IsolationLevel isolation() {
        return level;
    }

    void setIsolation(IsolationLevel l) {
        level = l;
    }

    boolean readOnly() {
        return readOnly;
    }

    void setReadOnly(boolean ro) {
        readOnly = ro;
    }

    /** True once a snapshot was taken (SET TRANSACTION ISOLATION LEVEL must come before). */
    boolean snapshotTaken() {
        return txnSnapshot != null || stmtSnapshot != null;
    }

    /** At the start of each statement. */
    void startStatement() {
        if (level.usesTransactionSnapshot()) {
            if (txnSnapshot == null) {
                txnSnapshot = tm.snapshot(current, cid);
                tm.setBackendXmin(pid, txnSnapshot.xmin());
                if (level == IsolationLevel.SERIALIZABLE) {
                    sxact = SerializableConflicts.of(tm).begin();
                }
            }
            txnSnapshot.setCommandId(cid);
            stmtSnapshot = txnSnapshot;
        } else {
            stmtSnapshot = tm.snapshot(current, cid);
            int held = heldXmin.getAsInt();
            tm.setBackendXmin(pid, held != 0 && Xid.precedes(held, stmtSnapshot.xmin()) ? held
                    : stmtSnapshot.xmin());
        }
    }

    /** At the end of each statement: later statements see its effects. */
    void endStatement() {
        commandCounterIncrement();
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int database() {
        return database;
    }

    @Override
    public int xid() {
        if (readOnly && !tempWriteInReadOnly) {
            throw new PgException("25006", "cannot execute this statement in a read-only transaction");
        }
        if (topXid == 0) {
            topXid = tm.assignXid(pid);
        }
        int parent = topXid;
        for (int i = 1; i < levels.size(); i++) {
            if (levelXid.get(i) == 0) {
                int sub = tm.assignSubXid(pid, parent);
                levelXid.set(i, sub);
                levels.get(i).add(sub);
            }
            parent = levelXid.get(i);
        }
        return parent;
    }

    /** The transaction's top-level id, 0 when none was assigned. */
    int topXid() {
        return topXid;
    }

    @Override
    public int commandId() {
        return cid;
    }

    @Override
    public Snapshot snapshot() {
        if (stmtSnapshot == null) {
            startStatement();
        }
        return stmtSnapshot;
    }

    @Override
    public Snapshot latestSnapshot() {
        return tm.snapshot(current, cid);
    }

    @Override
    public void lock(LockTag tag, LockMode mode) {
        try {
            lm.lock(pid, tag, mode, lockTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        }
    }

    @Override
    public void unlock(LockTag tag, LockMode mode) {
        lm.unlock(pid, tag, mode);
    }

    /** A fresh snapshot for reading the catalog (always the latest committed state plus own changes). */
    Snapshot catalogSnapshot() {
        return tm.snapshot(current, cid);
    }

    @Override
    public void commandCounterIncrement() {
        cid++;
        if (stmtSnapshot != null) {
            stmtSnapshot.setCommandId(cid);
        }
    }

    @Override
    public void lockRelation(int relationOid, LockMode mode) {
        LockTag tag = LockTag.relation(relationOid < 16384 && isShared(relationOid) ? 0 : database, relationOid);
        try {
            lm.lock(pid, tag, mode, lockTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        }
    }

    /** The database's name, set by the session that owns this transaction state. */
    String databaseName = "";

    @Override
    public String databaseName() {
        return databaseName;
    }

    @Override
    public int nextXid() {
        return (int) tm.nextFullXid();
    }

    @Override
    public long topFullXid() {
        if (topXid == 0) {
            topXid = tm.assignXid(pid);
        }
        // the epoch is the next full id's, one less when the 32-bit counter wrapped since this id was assigned
        long next = tm.nextFullXid();
        long full = (next & 0xFFFFFFFF00000000L) | Integer.toUnsignedLong(topXid);
        return full > next ? full - (1L << 32) : full;
    }

    @Override
    public boolean tryLockRelation(int relationOid, LockMode mode) {
        return lm.tryLock(pid, LockTag.relation(relationOid < 16384 && isShared(relationOid) ? 0 : database,
                relationOid), mode);
    }

    private static boolean isShared(int oid) {
        return oid == 1262 || oid == 1260;
    }

    @Override
    public void onCommit(Runnable r) {
        onCommitByLevel.get(onCommitByLevel.size() - 1).add(r);
    }

    @Override
    public void onAbort(Runnable r) {
        onAbortByLevel.get(onAbortByLevel.size() - 1).add(r);
    }

    @Override
    public boolean storageCreatedAtCurrentLevel(modgres.api.buffer.RelFileNode node) {
        if (!active || onAbortByLevel.isEmpty()) {
            return false;
        }
        for (Runnable r : onAbortByLevel.get(onAbortByLevel.size() - 1)) {
            if (r instanceof DropNewStorage d && d.node().equals(node)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void catalogChanged() {
        catalogChanged = true;
    }

    boolean changedCatalog() {
        return catalogChanged;
    }

    @Override
    public long lockTimeout() {
        return lockTimeoutMillis;
    }

    @Override
    public boolean usesTransactionSnapshot() {
        return level.usesTransactionSnapshot();
    }

    @Override
    public CurrentTransaction current() {
        return current;
    }

    @Override
    public void waitFor(int xid) {
        try {
            tm.waitFor(xid, lockTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        }
    }

    @Override
    public int newOid() {
        return tm.newOid();
    }

    private int[] liveSubs() {
        List<Integer> all = new ArrayList<>();
        for (List<Integer> l : levels) {
            all.addAll(l);
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    void commit() {
        if (!active) {
            return;
        }
        if (sxact != null) {
            try {
                SerializableConflicts.of(tm).preCommit(sxact);
            } catch (RuntimeException e) {
                abort();
                throw e;
            }
        }
        boolean committed = false;
        try {
            if (topXid != 0) {
                tm.commit(pid, topXid, liveSubs(), syncCommit);
            }
            committed = true;
        } finally {
            activity.end(committed);
            finish();
        }
        for (List<Runnable> level : onCommitByLevel) {
            for (Runnable r : level) {
                runQuietly(r);
            }
        }
    }

    void abort() {
        if (!active) {
            return;
        }
        try {
            if (topXid != 0) {
                tm.abort(pid, topXid, liveSubs());
            }
        } finally {
            activity.end(false);
            for (int i = onAbortByLevel.size() - 1; i >= 0; i--) {
                for (Runnable r : onAbortByLevel.get(i)) {
                    runQuietly(r);
                }
            }
            finish();
        }
    }

    private void finish() {
        if (sxact != null) {
            if (sxact.commitSeq == 0) {
                SerializableConflicts.of(tm).abort(sxact);
            }
            sxact = null;
        }
        lm.releaseAll(pid);
        tm.setBackendXmin(pid, Xid.INVALID);
        if (catalogChanged) {
            cache.invalidate(database);
        }
        active = false;
        topXid = 0;
        txnSnapshot = null;
        stmtSnapshot = null;
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // file removal after the outcome is decided: a failure leaves an orphan file, never wrong data
        }
    }

    /** SAVEPOINT: a new level. */
    void savepoint() {
        levels.add(new ArrayList<>());
        levelXid.add(0);
        onAbortByLevel.add(new ArrayList<>());
        onCommitByLevel.add(new ArrayList<>());
        activity.push();
    }

    /** The number of open savepoint levels (0 = none). */
    int depth() {
        return levels.size() - 1;
    }

    /** ROLLBACK TO the savepoint that opened level {@code lvl} (which stays open, empty). */
    void rollbackTo(int lvl) {
        List<Integer> aborted = new ArrayList<>();
        for (int i = levels.size() - 1; i >= lvl; i--) {
            aborted.addAll(levels.get(i));
            for (Runnable r : onAbortByLevel.get(i)) {
                runQuietly(r);
            }
        }
        activity.rollbackTo(lvl);
        if (!aborted.isEmpty()) {
            tm.abortSubXids(pid, topXid, aborted.stream().mapToInt(Integer::intValue).toArray());
        }
        while (levels.size() > lvl) {
            levels.remove(levels.size() - 1);
            levelXid.remove(levelXid.size() - 1);
            onAbortByLevel.remove(onAbortByLevel.size() - 1);
            onCommitByLevel.remove(onCommitByLevel.size() - 1);
        }
        savepoint();
        if (catalogChanged) {
            cache.invalidate(database);
        }
        commandCounterIncrement();
    }

    /** RELEASE the savepoint that opened level {@code lvl}: its work joins the level above. */
    void release(int lvl) {
        activity.release(lvl);
        while (levels.size() > lvl) {
            int last = levels.size() - 1;
            levels.get(last - 1).addAll(levels.remove(last));
            levelXid.remove(last);
            onAbortByLevel.get(last - 1).addAll(onAbortByLevel.remove(last));
            onCommitByLevel.get(last - 1).addAll(onCommitByLevel.remove(last));
        }
    }

    // ---------------------------------------------------------------- statements run inside a statement

    /** What {@link #endNested} restores: the enclosing statement's snapshot and its command id. */
    record Nested(Snapshot saved, int savedCid, boolean fresh) {
    }

    /**
     * A statement of a function starts inside the running statement. {@code fresh} (VOLATILE functions, DO,
     * CALL): the command counter advances and the statement gets its own snapshot (READ COMMITTED: a new one),
     * so it sees what earlier statements of the function did; otherwise (STABLE, IMMUTABLE) it runs with the
     * enclosing statement's snapshot. The enclosing statement's snapshot and command id are restored by
     * {@link #endNested}: it never sees rows the function wrote.
     */
    Nested beginNested(boolean fresh) {
        Nested n = new Nested(stmtSnapshot, stmtSnapshot == null ? cid : stmtSnapshot.commandId(), fresh);
        if (fresh) {
            cid++;
            stmtSnapshot = null;
            startStatement();
        }
        return n;
    }

    void endNested(Nested n) {
        if (n.fresh()) {
            cid++;
        }
        stmtSnapshot = n.saved();
        if (n.saved() != null) {
            n.saved().setCommandId(n.savedCid());
        }
    }
}
