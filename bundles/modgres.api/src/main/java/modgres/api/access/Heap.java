package modgres.api.access;

import java.util.function.Consumer;

import modgres.api.buffer.RelFileNode;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.Snapshot;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The heap access method ({@code heapam.c}, {@code heapam_visibility.c},
 * {@code pruneheap.c}, {@code vacuumlazy.c}): tables as slotted 8 KiB pages of
 * tuples with MVCC headers, in the shared buffers, every change WAL-logged
 * (resource managers {@code HEAP}/{@code HEAP2}, with their redo).
 *
 * <p>Versions: an update writes a new version (on the same page when it
 * fits) and sets the old one's {@code xmax} and {@code ctid}; a delete sets
 * {@code xmax}. Visibility follows PostgreSQL's {@code HeapTupleSatisfiesMVCC}
 * with hint bits. Locking is the caller's: it holds a relation lock; the heap
 * waits on transaction ids (through the transaction manager) for row-level
 * conflicts when the wait policy says so.
 *
 * <p>Space: inserts find room through the free space map, and extend the
 * relation under its extension lock when none has room; {@code fillfactor}
 * leaves room for updates. Pages are pruned opportunistically when a reader
 * finds them full of dead versions.
 */
@ProviderType
public interface Heap {

    /** {@link #insert} option: the tuple is frozen at once ({@code COPY FREEZE}). */
    int INSERT_FROZEN = 0x01;

    /** Creates the relation's (empty) main fork, WAL-logged so that recovery creates it too. */
    void create(RelFileNode rel);

    /** Removes every fork of the relation and forgets its buffers (at commit of DROP, abort of CREATE). Not logged. */
    void dropStorage(RelFileNode rel);

    /** The number of blocks of the main fork. */
    int nblocks(RelFileNode rel);

    /**
     * Inserts a tuple created by {@code xid}/{@code cid} and returns its tid.
     *
     * @param fillfactor percentage of each page to fill with inserts (10..100)
     * @throws modgres.api.error.PgException {@code 54000 row is too big} when it cannot fit a page
     */
    long insert(RelationRef rel, TupleData tuple, int xid, int cid, int options, int fillfactor);

    /**
     * Inserts several tuples created by {@code xid}/{@code cid}, as
     * {@link #insert} would one by one, and returns their tids in order
     * ({@code heap_multi_insert}, for COPY FROM). An implementation may fill
     * each page with as many of the tuples as fit under one content lock and
     * log them as one record per page; the fillfactor's reserve is kept on
     * every page. Callers add the index entries afterwards. This default
     * inserts them one at a time.
     *
     * @throws modgres.api.error.PgException {@code 54000 row is too big} when one of them cannot fit a page
     *         (an implementation may then have inserted none or some of them; the caller's transaction
     *         must not commit them)
     * @since 1.4
     */
    default long[] multiInsert(RelationRef rel, TupleData[] tuples, int xid, int cid, int options,
            int fillfactor) {
        long[] tids = new long[tuples.length];
        for (int i = 0; i < tuples.length; i++) {
            tids[i] = insert(rel, tuples[i], xid, cid, options, fillfactor);
        }
        return tids;
    }

    /**
     * Deletes the version at {@code tid} as {@code xid}/{@code cid}. Another
     * running transaction's change or lock is waited for under
     * {@link WaitPolicy#BLOCK} (then the outcome is decided on what it did:
     * its commit gives {@link TmResult.Status#UPDATED} or
     * {@link TmResult.Status#DELETED}, its abort lets the delete proceed).
     * {@code snapshot} is only used for a crosscheck of transaction-snapshot
     * isolation: a change committed after it gives UPDATED/DELETED too.
     */
    TmResult delete(RelationRef rel, long tid, int xid, int cid, Snapshot snapshot, WaitPolicy wait,
            long lockTimeoutMillis) throws InterruptedException;

    /**
     * Updates the version at {@code tid} to {@code newTuple}: as {@link #delete} plus the insert of the new version.
     * Counts as a key update ({@link #update(RelationRef, long, TupleData, int, int, Snapshot, WaitPolicy, long,
     * int, boolean)} with {@code keyUpdate} true).
     */
    TmResult update(RelationRef rel, long tid, TupleData newTuple, int xid, int cid, Snapshot snapshot,
            WaitPolicy wait, long lockTimeoutMillis, int fillfactor) throws InterruptedException;

    /**
     * {@link #update} telling whether a key column changed ({@code keyUpdate}:
     * a column of a unique index usable by a foreign key, PostgreSQL's
     * {@code INDEX_ATTR_BITMAP_KEY}). An update that changes no key takes the
     * row in FOR NO KEY UPDATE strength: it does not wait for, and coexists
     * with, FOR KEY SHARE lockers (a foreign key's check of its parent), as in
     * PostgreSQL. The default counts every update as a key update.
     */
    default TmResult update(RelationRef rel, long tid, TupleData newTuple, int xid, int cid, Snapshot snapshot,
            WaitPolicy wait, long lockTimeoutMillis, int fillfactor, boolean keyUpdate) throws InterruptedException {
        return update(rel, tid, newTuple, xid, cid, snapshot, wait, lockTimeoutMillis, fillfactor);
    }

    /**
     * Locks the version at {@code tid} for {@code SELECT ... FOR ...}, storing
     * the lock in the tuple's {@code xmax} as PostgreSQL does. Conflicts as
     * {@link #delete}; {@link WaitPolicy#SKIP} gives
     * {@link TmResult.Status#WOULD_BLOCK}, {@link WaitPolicy#ERROR} throws
     * {@code 55P03}.
     */
    TmResult lockTuple(RelationRef rel, long tid, int xid, int cid, RowLockMode mode, Snapshot snapshot,
            WaitPolicy wait, long lockTimeoutMillis) throws InterruptedException;

    /** The version at {@code tid} if the snapshot sees it, else null (also for an unused slot or block past the end). */
    HeapTuple fetch(RelationRef rel, long tid, Snapshot snapshot);

    /** The version at {@code tid} whatever its visibility (null when the slot holds none): for following update chains. */
    HeapTuple fetchAny(RelationRef rel, long tid);

    /** A sequential scan; {@code bulk} uses a small ring of buffers (BULKREAD) instead of the whole pool. */
    HeapScan scan(RelationRef rel, Snapshot snapshot, boolean bulk);

    /** MVCC visibility of a tuple read earlier ({@code HeapTupleSatisfiesMVCC}), without hint-bit setting. */
    boolean isVisible(HeapTuple tuple, Snapshot snapshot);

    /** The state of the version at {@code tid} for a uniqueness or conflict check ({@code SnapshotDirty}). */
    TupleState tupleState(RelationRef rel, long tid, CurrentTransaction current);

    /**
     * Vacuums the heap: prunes dead versions (dead to every transaction:
     * deleted by a committed id preceding {@code oldestXmin}, or inserted by an
     * aborted one), hands the tids of dead tuples to {@code indexCleanup}
     * (which removes their index entries) before it frees their line pointers,
     * freezes tuples whose xmin precedes {@code freezeLimit}, updates the free
     * space map and truncates empty pages at the end. WAL-logged.
     */
    VacuumStats vacuum(RelationRef rel, int oldestXmin, int freezeLimit, Consumer<long[]> indexCleanup);

    /**
     * {@link #vacuum(RelationRef, int, int, Consumer)} calling {@code pageDone}
     * after each page of the first pass with 1 when it changed the page, else 0
     * (PostgreSQL's {@code vacuum_delay_point()}): the caller may sleep there
     * (cost-based delay) or throw a RuntimeException to stop the vacuum, which
     * leaves the table consistent (dead items found so far stay for a later vacuum).
     * {@code memoryBytes} bounds the dead-tuple list as maintenance_work_mem
     * does (6 bytes per tuple; when full, the index pass runs and the scan
     * goes on: more index passes); 0 = the implementation's default.
     */
    VacuumStats vacuum(RelationRef rel, int oldestXmin, int freezeLimit, Consumer<long[]> indexCleanup,
            java.util.function.IntConsumer pageDone, long memoryBytes);

    /**
     * PostgreSQL's {@code heap_inplace_update}: overwrites the attribute data
     * of the tuple at {@code tid} without a new version, visible at once to
     * everyone and kept whatever happens to the calling transaction. For the
     * catalog's bookkeeping that must not wait for or conflict with row
     * versions ({@code pg_class.relfrozenxid}, {@code pg_database.datfrozenxid}).
     * The new data must have the length and null bitmap of the old; WAL-logged.
     */
    void inplaceUpdate(RelationRef rel, long tid, TupleData tuple);
}
