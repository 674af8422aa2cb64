package modgres.api.wal;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The write-ahead log: PostgreSQL's {@code xlog}, one per server.
 *
 * <h2>Life</h2>
 * The log starts in {@link WalState#READING}: recovery reads it with
 * {@link #reader} (or {@link #findEnd}) and replays what it finds, then calls
 * {@link #startAt} with the end of valid WAL; from then on records are
 * inserted ({@link WalState#INSERTING}). A failed write or fsync of the log is
 * a PANIC ({@link WalState#FAILED}): it is logged, and every later insert or
 * flush throws; the WAL never pretends to be durable when it may not be.
 *
 * <h2>Inserting a change</h2>
 * <pre>
 * lock the page exclusively; change it
 * long lsn = wal.insert(WalRecord.builder(ResourceManager.HEAP, info).xid(xid)
 *         .block(rel, MAIN, blkno, pool.page(buf), BlockReference.STANDARD, tupleBytes)
 *         .mainData(header).build());
 * BufferPool.setPageLsn(pool.page(buf), lsn); pool.markDirty(buf); unlock
 * ... at commit: wal.flush(commitLsn)
 * </pre>
 * The WAL takes a full-page image of a block on its first change after the
 * checkpoint's {@link #redoPointer() REDO pointer} (unless the block says
 * otherwise or {@code full_page_writes} is off), deciding at insert time, so
 * the caller need not; {@link #needsFullPageImage} tells in advance.
 *
 * <p>WAL before data: a dirty page may be written only once the WAL up to the
 * page's LSN is flushed. The buffer pool enforces it through
 * {@link modgres.api.buffer.WalFlusher}, which the WAL component also provides.
 *
 * <p>LSNs returned and accepted here are those of {@link Lsn}; positions that
 * end exactly at a page boundary are that boundary.
 */
@ProviderType
public interface Wal {

    /** The size of a WAL page ({@code XLOG_BLCKSZ}, {@code wal_block_size}). */
    int PAGE_SIZE = 8192;

    WalState state();

    /** The timeline the log writes (1 until timelines exist). */
    int timeline();

    /** The size of a segment file in bytes ({@code wal_segment_size}, 16 MiB by default). */
    long segmentSize();

    /** The segment file name holding the byte at {@code lsn}, as {@code pg_walfile_name} prints it. */
    String segmentFileName(long lsn);

    // ------------------------------------------------------------------ recovery

    /**
     * A reader that starts at {@code fromLsn}: a record's start, or a page or
     * segment boundary (the first record that begins at or after it is read;
     * {@link Lsn#INVALID} means the start of the oldest segment in
     * {@code pg_wal/}). While inserting, it reads only what is flushed.
     */
    WalReader reader(long fromLsn);

    /** Reads from {@code fromLsn} (as {@link #reader}) to the end of valid WAL and says where that is. */
    WalEnd findEnd(long fromLsn);

    /**
     * Begins inserting right after {@code end} (what a reader or
     * {@link #findEnd} returned once recovery is done): the next record starts
     * at {@code end.endLsn()} and links back to {@code end.lastRecordLsn()}. The
     * valid part of the last page is kept; whatever followed it on disk (a torn
     * record) is overwritten. For an empty {@code pg_wal/},
     * {@code findEnd(Lsn.INVALID)} gives the start of segment 1.
     *
     * @throws IllegalStateException unless the state is {@link WalState#READING}
     */
    void startAt(WalEnd end);

    // ------------------------------------------------------------------ inserting

    /**
     * Appends a record and returns its end LSN (rounded up to 8 bytes; what the
     * pages it changed get as their LSN). The record is in the WAL buffers, not
     * yet durable: {@link #flush} makes it so. Inserters do not wait for each
     * other: each reserves its space, copies its record and marks it done
     * concurrently. An {@link ResourceManager#XLOG_SWITCH} record ends the
     * segment (as {@link #switchSegment}).
     *
     * @throws modgres.api.error.PgException when not {@link WalState#INSERTING} or after a PANIC
     */
    long insert(WalRecord record);

    /**
     * True when a page whose LSN is {@code pageLsn} would get a full-page image
     * now: {@code full_page_writes} is on and the page was last changed at or
     * before the {@link #redoPointer()} (its first change since the checkpoint
     * began).
     */
    boolean needsFullPageImage(long pageLsn);

    // ------------------------------------------------------------------ flushing

    /**
     * Returns once the log is durable at least up to {@code upTo}. Group
     * commit: one write and fsync covers every waiter whose LSN it reaches, and
     * waiters sleep meanwhile. A request beyond the insert position flushes
     * what exists and throws.
     *
     * @throws modgres.api.error.PgException on a PANIC (now or earlier)
     */
    void flush(long upTo);

    /**
     * What the WAL writer does every {@code wal_writer_delay}: writes and
     * flushes the completely filled pages not flushed yet. Returns the number
     * of bytes it made durable; 0 means there was nothing to do (the writer may
     * sleep longer).
     */
    long backgroundFlush();

    /** Where the next record will start ({@code pg_current_wal_insert_lsn}). */
    long insertPosition();

    /** The log is written (not necessarily durable) up to here ({@code pg_current_wal_lsn}). */
    long writtenPosition();

    /** The log is durable up to here ({@code pg_current_wal_flush_lsn}). */
    long flushedPosition();

    // ------------------------------------------------------------------ checkpoints and segments

    /** The REDO pointer of the current checkpoint: replay would start here. */
    long redoPointer();

    /** Sets the REDO pointer (at start-up, from the last checkpoint). */
    void setRedoPointer(long lsn);

    /**
     * The start of a checkpoint: makes the current insert position the REDO
     * pointer, atomically with respect to inserts (a record inserted after it
     * takes images as the new pointer requires), and returns it.
     */
    long advanceRedoPointer();

    /**
     * Ends the current segment ({@code pg_switch_wal}): inserts an
     * {@link ResourceManager#XLOG_SWITCH} record, flushes through the end of
     * the segment (so it is complete, archived and reported) and returns the
     * end of the switch record. When the current segment holds nothing yet,
     * does nothing and returns the insert position.
     */
    long switchSegment();

    /**
     * After a checkpoint: the segments wholly before the one holding
     * {@code keepFromLsn} (the REDO pointer) are no longer needed. Each is
     * renamed to a future segment name (recycled, up to {@code min_wal_size}
     * of future segments, with {@code wal_recycle} on) or deleted, except that
     * with {@code archive_mode} on, a segment not archived yet ({@code .done}
     * missing) is kept.
     *
     * @throws IllegalStateException unless {@link WalState#INSERTING}
     */
    WalRecycleResult recycleSegments(long keepFromLsn);

    WalStats stats();
}
