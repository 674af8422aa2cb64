package modgres.checkpointer;

/*
 * Design notes
 * ------------
 * One thread waits for a trigger and runs checkpoints one at a time:
 *
 *   trigger: a request (immediate, maybe force/wait), checkpoint_timeout since the
 *            last checkpoint began, WAL since the REDO pointer reaching
 *            max_wal_size / (1 + checkpoint_completion_target), or the shutdown
 *
 *   checkpoint:
 *     1. log "checkpoint starting: ..."; a shutdown checkpoint first writes
 *        pg_control with state "shutting down"
 *     2. redo = wal.advanceRedoPointer()      (first changes after it take full-page images)
 *        nextXid, nextOid from the transaction manager (pg_control's when there is none)
 *     2b. every CheckpointParticipant.checkpoint(redo, shutdown)   (PostgreSQL's CheckPointGuts
 *        order: the commit log and the like first, then the buffers)
 *     3. pool.flushAll(...)                   (every buffer dirty now; each write flushes WAL first)
 *        timed: in SLICES slices of the relation forks, sleeping so as to finish
 *        by checkpoint_completion_target × checkpoint_timeout; anything else: at once
 *     4. pool.syncWrittenFiles()              (the data is durable)
 *     5. insert the checkpoint record (XLOG, CHECKPOINT_ONLINE or _SHUTDOWN) and flush it
 *     6. pg_control: latest checkpoint = the record, REDO = redo, state in production
 *        (shut down); written atomically
 *     7. wal.recycleSegments(redo); log "checkpoint complete: ..."
 *
 * pg_control names the new REDO pointer only after steps 3-5 made the data
 * and the record durable; a failure before that leaves the previous
 * checkpoint in charge, and the next trigger tries again (no sooner than 15 s
 * for time and WAL triggers, as PostgreSQL retries a failed timed checkpoint).
 *
 * The end-of-recovery checkpoint: the startup process leaves pg_control in
 * state "in crash recovery" while it replays, starts the WAL and requests a
 * checkpoint. A checkpoint that finds that state is the end-of-recovery one
 * (PostgreSQL's CHECKPOINT_END_OF_RECOVERY): immediate, never skipped as
 * idle, a CHECKPOINT_SHUTDOWN record (nothing ran since the replayed log),
 * and pg_control "in production" afterwards. Until it is durable pg_control
 * still says "in crash recovery" with the old checkpoint, so a crash in the
 * middle replays again from the old REDO pointer.
 *
 * While the WAL is READING (recovery not finished) no checkpoint can be made:
 * time and WAL triggers wait, and a shutdown makes none.
 *
 * Requests: each gets a sequence number; the loop takes all pending flags at
 * once and the checkpoint it runs covers every request numbered up to then.
 * A waiter waits until a checkpoint covering its number completed and fails
 * if that checkpoint failed.
 */

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.FlushFilter;
import modgres.api.control.CheckpointParticipant;
import modgres.api.control.CheckpointRecord;
import modgres.api.control.CheckpointStats;
import modgres.api.control.ClusterState;
import modgres.api.control.ControlData;
import modgres.api.control.ControlFile;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.txn.TransactionManager;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.Wal;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalRecycleResult;
import modgres.api.wal.WalState;

/** The checkpointer's loop and the checkpoint itself, without OSGi. */
final class CheckpointerLoop implements Runnable {

    // Checkpoint flags, PostgreSQL's values.
    static final int SHUTDOWN = 0x0001;
    static final int END_OF_RECOVERY = 0x0002;
    static final int IMMEDIATE = 0x0004;
    static final int FORCE = 0x0008;
    static final int WAIT = 0x0020;
    static final int CAUSE_XLOG = 0x0080;
    static final int CAUSE_TIME = 0x0100;

    /** Slices a timed checkpoint's writes are spread over. */
    static final int SLICES = 16;
    /** How often the loop looks at the WAL insert position. */
    static final long POLL_MILLIS = 1000;
    /** The least time before a failed time- or WAL-triggered checkpoint is tried again. */
    static final long RETRY_MILLIS = 15_000;
    /**
     * Added to the next OID of an online checkpoint (PostgreSQL's
     * {@code VAR_OID_PREFETCH}): the transaction manager logs OIDs in batches
     * (XLOG NEXTOID) and may hand out up to a batch beyond its next OID without
     * another record, so after a crash OIDs resume past the whole batch.
     */
    static final int OID_PREFETCH = 8192;

    /** The settings the loop reads (sighup ones, read again at every use). */
    interface Config {
        /** {@code checkpoint_timeout} in seconds. */
        int timeoutSeconds();

        double completionTarget();

        /** {@code max_wal_size} in MB. */
        int maxWalSizeMb();

        /** {@code checkpoint_warning} in seconds. */
        int warningSeconds();

        boolean logCheckpoints();
    }

    /** What one checkpoint did (null fields are not measured). */
    record Result(int flags, long redo, long checkpointLsn, long checkpointEnd, int buffersWritten,
            WalRecycleResult recycle, String completeLine) {
    }

    private final Wal wal;
    private final BufferPool pool;
    private final ControlFile control;
    private final ServerLog log;
    private final Config config;
    private final Supplier<? extends List<CheckpointParticipant>> participants;
    private final Supplier<TransactionManager> txn;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition done = lock.newCondition();
    // Guarded by lock.
    private int pendingFlags;
    private long requestSeq;
    private long completedSeq;
    private long failedSeq;
    private boolean stopping;
    private boolean shutdownCheckpoint;
    private boolean running;

    // Only the checkpointing thread (or a test calling checkpoint()) touches these.
    private final Object checkpointLock = new Object();
    private ControlData current;
    private long lastCheckpointEnd = Lsn.INVALID;
    private double distanceEstimate;
    private volatile long lastCheckpointMillis = System.currentTimeMillis();
    private volatile long retryNotBefore;
    private long walBaseline = Lsn.INVALID;
    private volatile boolean fsyncFailed;

    // Statistics.
    private final Object statsLock = new Object();
    private long timed;
    private long requested;
    private double writeMillis;
    private double syncMillis;
    private long buffers;

    CheckpointerLoop(Wal wal, BufferPool pool, ControlFile control, ServerLog log, Config config) {
        this(wal, pool, control, log, config, List::of, () -> null);
    }

    /**
     * @param participants the {@link CheckpointParticipant}s now (a supplier of null or an empty list: none)
     * @param txn          the transaction manager now, or a supplier of null (ids then carried over from pg_control)
     */
    CheckpointerLoop(Wal wal, BufferPool pool, ControlFile control, ServerLog log, Config config,
            Supplier<? extends List<CheckpointParticipant>> participants, Supplier<TransactionManager> txn) {
        this.wal = wal;
        this.pool = pool;
        this.control = control;
        this.log = log;
        this.config = config;
        this.participants = participants;
        this.txn = txn;
    }

    // ------------------------------------------------------------------ the loop

    @Override
    public void run() {
        lock.lock();
        try {
            running = true;
        } finally {
            lock.unlock();
        }
        lastCheckpointMillis = System.currentTimeMillis();
        try {
            while (true) {
                int flags = 0;
                long seq = 0;
                lock.lock();
                try {
                    while (true) {
                        if (pendingFlags != 0) {
                            flags = pendingFlags;
                            pendingFlags = 0;
                            seq = requestSeq;
                            synchronized (statsLock) {
                                requested++;
                            }
                            break;
                        }
                        if (stopping) {
                            break;
                        }
                        long now = System.currentTimeMillis();
                        if (wal.state() == WalState.READING) {
                            // Recovery is running: no checkpoint can be made, so time and WAL wait.
                            wake.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
                            continue;
                        }
                        if (now >= retryNotBefore) {
                            long dueIn = config.timeoutSeconds() * 1000L - (now - lastCheckpointMillis);
                            if (dueIn <= 0) {
                                flags = CAUSE_TIME;
                                synchronized (statsLock) {
                                    timed++;
                                }
                                break;
                            }
                            if (walTriggerReached()) {
                                flags = CAUSE_XLOG;
                                synchronized (statsLock) {
                                    requested++;
                                }
                                break;
                            }
                        }
                        long dueIn = Math.max(1, config.timeoutSeconds() * 1000L - (now - lastCheckpointMillis));
                        wake.await(Math.min(dueIn, POLL_MILLIS), TimeUnit.MILLISECONDS);
                    }
                    seq = requestSeq;
                } finally {
                    lock.unlock();
                }
                if (flags == 0) {
                    break;
                }
                runCheckpoint(flags, seq);
            }
            boolean shutdown;
            lock.lock();
            try {
                shutdown = shutdownCheckpoint;
            } finally {
                lock.unlock();
            }
            if (shutdown && wal.state() == WalState.READING) {
                log.debug(1, "no shutdown checkpoint: recovery has not finished");
            } else if (shutdown) {
                runCheckpoint(SHUTDOWN | IMMEDIATE, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.lock();
            try {
                running = false;
                done.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** WAL since the REDO pointer reached max_wal_size / (1 + checkpoint_completion_target). */
    private boolean walTriggerReached() {
        if (wal.state() != WalState.INSERTING) {
            return false;
        }
        long insert = wal.insertPosition();
        long redo = wal.redoPointer();
        if (!Lsn.isValid(redo)) {
            if (!Lsn.isValid(walBaseline)) {
                walBaseline = insert;
            }
            redo = walBaseline;
        }
        long limit = (long) (config.maxWalSizeMb() * 1024.0 * 1024.0 / (1.0 + config.completionTarget()));
        return insert - redo >= limit;
    }

    private void runCheckpoint(int flags, long seq) {
        boolean ok = false;
        try {
            checkpoint(flags);
            ok = true;
        } catch (RuntimeException e) {
            String state = e instanceof PgException p ? p.sqlState() : SqlState.INTERNAL_ERROR;
            log.report(Severity.ERROR, state, e.getMessage() == null ? e.toString() : e.getMessage(), null, null,
                    e instanceof PgException ? null : e);
            retryNotBefore = System.currentTimeMillis() + RETRY_MILLIS;
        }
        if (seq < 0) {
            return;
        }
        lock.lock();
        try {
            completedSeq = Math.max(completedSeq, seq);
            if (!ok) {
                failedSeq = Math.max(failedSeq, seq);
            }
            done.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ requests and control

    /** Asks for an immediate checkpoint; see {@link modgres.api.control.Checkpointer#requestCheckpoint}. */
    void request(boolean waitForIt, boolean force) {
        lock.lock();
        try {
            if (!running || stopping) {
                throw new PgException(SqlState.INTERNAL_ERROR, "checkpoint request failed",
                        "The checkpointer is not running.", null);
            }
            long mine = ++requestSeq;
            pendingFlags |= IMMEDIATE | (force ? FORCE : 0) | (waitForIt ? WAIT : 0);
            wake.signalAll();
            if (!waitForIt) {
                return;
            }
            while (completedSeq < mine && running) {
                done.await();
            }
            if (completedSeq < mine || failedSeq >= mine) {
                throw new PgException(SqlState.INTERNAL_ERROR, "checkpoint request failed", null,
                        "Consult recent messages in the server log for details.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
        } finally {
            lock.unlock();
        }
    }

    /** True while the loop's thread runs (requests are accepted). */
    boolean isRunning() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes a stopped loop runnable again; called just before its thread starts,
     * so a request made right after the process started (the startup's
     * end-of-recovery checkpoint) is queued rather than refused.
     */
    void resume() {
        lock.lock();
        try {
            stopping = false;
            shutdownCheckpoint = false;
            running = true;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the loop; with {@code checkpointFirst}, after a shutdown checkpoint. */
    void stop(boolean checkpointFirst) {
        lock.lock();
        try {
            stopping = true;
            shutdownCheckpoint = checkpointFirst;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void wakeUp() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    CheckpointStats stats() {
        synchronized (statsLock) {
            return new CheckpointStats(timed, requested, writeMillis, syncMillis, buffers);
        }
    }

    // ------------------------------------------------------------------ the checkpoint

    /**
     * Runs one checkpoint now, in the calling thread. Returns null when it was
     * skipped (nothing written since the last one, and neither forced nor a
     * shutdown). Throws when it failed; pg_control is then unchanged.
     */
    Result checkpoint(int flags) {
        synchronized (checkpointLock) {
            if (fsyncFailed) {
                throw new PgException(SqlState.IO_ERROR,
                        "checkpoint refused: an earlier fsync of data files failed; the server must be restarted");
            }
            if (wal.state() != WalState.INSERTING) {
                throw new PgException("55000", "cannot make a checkpoint: the WAL is not accepting records (state "
                        + wal.state() + ")");
            }
            ControlData cd = current != null ? current : control.read();
            if ((flags & SHUTDOWN) == 0 && cd.state() == ClusterState.IN_CRASH_RECOVERY) {
                flags |= END_OF_RECOVERY | IMMEDIATE;
            }
            // An end-of-recovery checkpoint is a shutdown checkpoint made at another time (PostgreSQL's words).
            boolean shutdown = (flags & (SHUTDOWN | END_OF_RECOVERY)) != 0;
            long startMillis = System.currentTimeMillis();
            lastCheckpointMillis = startMillis;
            if ((flags & (SHUTDOWN | END_OF_RECOVERY | FORCE)) == 0 && Lsn.isValid(lastCheckpointEnd)
                    && wal.insertPosition() == lastCheckpointEnd) {
                log.debug(1, "checkpoint skipped because system is idle");
                return null;
            }
            long start = System.nanoTime();
            if (config.logCheckpoints()) {
                log.log("checkpoint starting:" + flagWords(flags));
            }
            long checkpointTime = startMillis / 1000;
            if ((flags & SHUTDOWN) != 0) {
                cd = cd.withState(ClusterState.SHUTTING_DOWN, checkpointTime);
                control.write(cd);
                current = cd;
            }
            long redo = wal.advanceRedoPointer();
            TransactionManager tm = txn.get();
            long nextXid = cd.nextXid();
            int nextOid = cd.nextOid();
            if (tm != null) {
                nextXid = tm.nextFullXid();
                nextOid = tm.nextOid();
                if (!shutdown) {
                    nextOid += OID_PREFETCH;
                    if (Integer.compareUnsigned(nextOid, ControlData.FIRST_NORMAL_OID) < 0) {
                        nextOid = ControlData.FIRST_NORMAL_OID; // wrapped around, as GetNewObjectId does
                    }
                }
            }
            List<CheckpointParticipant> ps = participants.get();
            if (ps != null) {
                for (CheckpointParticipant p : ps) {
                    p.checkpoint(redo, shutdown);
                }
            }

            int written = writeBuffers(flags, start);
            long writeEnd = System.nanoTime();
            int syncFiles;
            try {
                syncFiles = pool.syncWrittenFiles();
            } catch (RuntimeException e) {
                fsyncFailed = true;
                log.report(Severity.PANIC, e instanceof PgException p ? p.sqlState() : SqlState.IO_ERROR,
                        "could not fsync data files during checkpoint: " + e.getMessage(), null, null, null);
                throw e;
            }
            long syncEnd = System.nanoTime();

            int timeline = wal.timeline();
            CheckpointRecord body = new CheckpointRecord(redo, timeline, timeline, checkpointTime, nextXid, nextOid);
            long before = wal.insertPosition();
            long end = wal.insert(WalRecord.of(ResourceManager.XLOG,
                    shutdown ? ResourceManager.XLOG_CHECKPOINT_SHUTDOWN : ResourceManager.XLOG_CHECKPOINT_ONLINE, 0,
                    body.encode()));
            wal.flush(end);
            long recordLsn = recordStart(before, end);

            long priorRedo = cd.redo();
            // After the end-of-recovery checkpoint the cluster is in production (PostgreSQL's startup sets
            // that right after it; here the checkpointer does, so that it stays pg_control's only writer).
            ControlData next = cd.withNextIds(nextXid, nextOid).withCheckpoint(
                    (flags & SHUTDOWN) != 0 ? ClusterState.SHUT_DOWN : ClusterState.IN_PRODUCTION,
                    System.currentTimeMillis() / 1000, recordLsn, redo, timeline, checkpointTime);
            control.write(next);
            current = next;
            lastCheckpointEnd = end;

            long distance = Lsn.isValid(priorRedo) && Lsn.compare(redo, priorRedo) > 0 ? redo - priorRedo : 0;
            if (Lsn.isValid(priorRedo)) {
                distanceEstimate = distanceEstimate < distance ? distance : 0.90 * distanceEstimate + 0.10 * distance;
            }
            WalRecycleResult recycled = wal.recycleSegments(redo);
            long endNanos = System.nanoTime();

            long writeUs = (writeEnd - start) / 1000;
            long syncUs = (syncEnd - writeEnd) / 1000;
            long totalUs = (endNanos - start) / 1000;
            synchronized (statsLock) {
                writeMillis += writeUs / 1000.0;
                syncMillis += syncUs / 1000.0;
                buffers += written;
            }
            String line = completeLine(written, pool.buffers(), 0, recycled.removed(), recycled.recycled(), writeUs,
                    syncUs, totalUs, syncFiles, syncUs, syncFiles == 0 ? 0 : syncUs / syncFiles, distance,
                    (long) distanceEstimate);
            if (config.logCheckpoints()) {
                log.log(line);
            }
            if ((flags & CAUSE_XLOG) != 0) {
                int warning = config.warningSeconds();
                long apart = (startMillis - previousStartMillis) / 1000;
                if (warning > 0 && previousStartMillis > 0 && apart < warning) {
                    log.report(Severity.LOG, null, "checkpoints are occurring too frequently (" + apart
                            + " second" + (apart == 1 ? "" : "s") + " apart)", null,
                            "Consider increasing the configuration parameter \"max_wal_size\".");
                }
            }
            previousStartMillis = startMillis;
            return new Result(flags, redo, recordLsn, end, written, recycled, line);
        }
    }

    private long previousStartMillis;

    /**
     * Writes the dirty buffers: all at once, or for a timed checkpoint in
     * {@link #SLICES} slices of the relation forks with pauses that end the
     * writing at checkpoint_completion_target × checkpoint_timeout after
     * {@code startNanos}. A request for an immediate checkpoint, the WAL
     * trigger or a shutdown ends the pauses.
     */
    private int writeBuffers(int flags, long startNanos) {
        if ((flags & CAUSE_TIME) == 0 || (flags & IMMEDIATE) != 0) {
            return pool.flushAll(FlushFilter.ALL);
        }
        long targetNanos = (long) (config.completionTarget() * config.timeoutSeconds() * 1e9);
        int written = 0;
        for (int i = 0; i < SLICES; i++) {
            final int slice = i;
            written += pool.flushAll((tablespace, database, relfilenode, fork) -> Math.floorMod(
                    ((tablespace * 31 + database) * 31 + relfilenode) * 31 + fork.ordinal(), SLICES) == slice);
            if (i < SLICES - 1) {
                pauseUntil(startNanos + targetNanos * (i + 1) / SLICES);
            }
        }
        return written;
    }

    private void pauseUntil(long deadlineNanos) {
        lock.lock();
        try {
            while (true) {
                if (stopping || (pendingFlags & IMMEDIATE) != 0 || walTriggerReached()) {
                    return;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wake.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** The start of the record ending at {@code end}, which began at or after {@code from}. */
    private long recordStart(long from, long end) {
        try (WalReader r = wal.reader(from)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                if (rec.endLsn() == end) {
                    return rec.lsn();
                }
                if (Lsn.compare(rec.lsn(), end) >= 0) {
                    break;
                }
            }
        }
        throw new PgException(SqlState.INTERNAL_ERROR,
                "could not locate the checkpoint record ending at " + Lsn.format(end));
    }

    /** The words of {@code checkpoint starting:}, as PostgreSQL 15 prints them (each with a leading space). */
    static String flagWords(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & SHUTDOWN) != 0) {
            sb.append(" shutdown");
        }
        if ((flags & END_OF_RECOVERY) != 0) {
            sb.append(" end-of-recovery");
        }
        if ((flags & IMMEDIATE) != 0) {
            sb.append(" immediate");
        }
        if ((flags & FORCE) != 0) {
            sb.append(" force");
        }
        if ((flags & WAIT) != 0) {
            sb.append(" wait");
        }
        if ((flags & CAUSE_XLOG) != 0) {
            sb.append(" wal");
        }
        if ((flags & CAUSE_TIME) != 0) {
            sb.append(" time");
        }
        return sb.toString();
    }

    /** PostgreSQL 15's {@code checkpoint complete:} line; times in microseconds, printed as s.mmm (truncated). */
    static String completeLine(int written, int nbuffers, int added, int removed, int recycled, long writeUs,
            long syncUs, long totalUs, int syncFiles, long longestUs, long averageUs, long distanceBytes,
            long estimateBytes) {
        return String.format(Locale.ROOT,
                "checkpoint complete: wrote %d buffers (%.1f%%); %d WAL file(s) added, %d removed, %d recycled; "
                        + "write=%s s, sync=%s s, total=%s s; sync files=%d, longest=%s s, average=%s s; "
                        + "distance=%d kB, estimate=%d kB",
                written, nbuffers == 0 ? 0.0 : written * 100.0 / nbuffers, added, removed, recycled, secs(writeUs),
                secs(syncUs), secs(totalUs), syncFiles, secs(longestUs), secs(averageUs),
                (int) (distanceBytes / 1024.0), (int) (estimateBytes / 1024.0));
    }

    private static String secs(long micros) {
        long us = Math.max(0, micros);
        return String.format(Locale.ROOT, "%d.%03d", us / 1_000_000, (us % 1_000_000) / 1000);
    }

    /** The control data the last checkpoint wrote (or null before the first). */
    ControlData controlData() {
        synchronized (checkpointLock) {
            return current;
        }
    }
}
