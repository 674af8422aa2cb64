package modgres.postmaster.startup;

/*
 * Design notes
 * ------------
 * PostgreSQL's startup process (StartupXLOG, xlogrecovery.c) for crash
 * recovery: from pg_control and the WAL, bring the data files back to the
 * state the log describes, then let the log continue. Plain Java; the
 * postmaster runs it on a thread named "startup" before it admits clients.
 *
 *   read pg_control ──▶ log how the cluster was left ("was shut down at" / "was interrupted; ...")
 *        │
 *   checkpoint LSN valid? ──no──▶ no checkpoint yet: every record in pg_wal/ is after the REDO point
 *        │ yes                    (redo from the oldest segment; counters from pg_control)
 *   read the record there: XLOG CHECKPOINT_*? ──no──▶ PANIC could not locate a valid checkpoint record
 *        │ yes
 *   txn.recoveryStart(nextXid, nextOid) from the checkpoint record
 *        │
 *   state SHUT_DOWN and no record after the checkpoint? ──yes──▶ clean start:
 *        │ no                                                 pg_control := in production; startAt(end)
 *   "not properly shut down; automatic recovery in progress"
 *   pg_control := in crash recovery; storage in recovery mode
 *   replay from REDO (a shutdown checkpoint: from the record after it) to the end of valid WAL:
 *        each record: txn.advancePastXid(xid) ─▶ handler of its rmgr (none: FATAL) ─▶ redo
 *        handlers' startup() before the first record, cleanup() after the last
 *   "redo done at <last record> system usage: ..." (or "redo is not required")
 *        │
 *   storage out of recovery mode; wal.setRedoPointer(checkpoint's REDO); wal.startAt(end of valid WAL)
 *   end-of-recovery checkpoint: asked of the checkpointer, waited for (it sees pg_control's
 *   "in crash recovery" and makes an end-of-recovery checkpoint, which leaves the cluster
 *   "in production"); without a checkpointer, pg_control := in production before startAt
 *
 * Archive recovery (recovery.signal or standby.signal in the data directory;
 * see ArchiveRecovery and RecoveryTarget): the same replay, but the segments
 * come from restore_command first (the archive wins over pg_wal/), one ahead
 * of the reader; when the reader stops, the next segment is asked for and
 * reading resumes where it stopped, until restore_command has nothing more
 * (in standby mode: until a "promote" file appears). Differences with crash
 * recovery, as in PostgreSQL: pg_control says "in archive recovery" (no "not
 * properly shut down" line), consistency is reached at the checkpoint (no
 * backup_label: the base backup is a copy of a cleanly stopped or
 * crash-consistent data directory), a recovery target may stop replay before
 * or after a record, and at the end: the WAL after a target's stop point is
 * discarded (Modgres stays on timeline 1 and writes on right there, where
 * PostgreSQL would start timeline 2), recovery_end_command, the signal files
 * removed, "archive recovery complete", and pg_control set to "in crash
 * recovery" just before the WAL starts, so that the checkpointer makes its
 * end-of-recovery checkpoint as after a crash.
 *
 *   "starting archive recovery" | "starting point-in-time recovery to ..." | "entering standby mode"
 *   restored log file "..." from archive (the checkpoint's segment and the next)
 *   consistent recovery state reached at <end of the checkpoint record>
 *   redo starts at ... ─▶ each record: target stops before? ─▶ redo ─▶ target stops after?
 *   redo done at ...; last completed transaction was at log time ...
 *   (a target that was set and not reached: FATAL recovery ended before configured recovery target was reached)
 *   archive recovery complete ─▶ WAL continues ─▶ end-of-recovery checkpoint
 *
 * Invariants:
 * - pg_control is written here only while the WAL is still READING. The
 *   checkpointer writes it only while the WAL is INSERTING (it cannot make a
 *   checkpoint before), so the two never write it at the same time, and
 *   after startAt the checkpointer is its only writer.
 * - Replay never moves pg_control's checkpoint: until the end-of-recovery
 *   checkpoint is durable, a crash replays again from the same REDO pointer,
 *   which is harmless because redo is idempotent per page (page LSN).
 * - The REDO pointer the WAL uses for full-page-image decisions is the
 *   checkpoint's until the end-of-recovery checkpoint moves it.
 * - Nothing is inserted into the WAL before startAt; pages replayed get the
 *   record's end as LSN, so writing them (bgwriter, eviction) flushes WAL the
 *   reader has already read, which a READING WAL allows.
 */

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import modgres.api.buffer.BufferPool;
import modgres.api.control.CheckpointRecord;
import modgres.api.control.Checkpointer;
import modgres.api.control.ClusterState;
import modgres.api.control.ControlData;
import modgres.api.control.ControlFile;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.page.StorageManager;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.Xid;
import modgres.api.wal.Lsn;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.Wal;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalState;

/** Crash recovery and the switch of the WAL to inserting; see the design notes. */
public final class StartupProcess {

    /** The process's (and its thread's) name, as PostgreSQL names it. */
    public static final String NAME = "startup";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter ABBREVIATION = DateTimeFormatter.ofPattern("z", Locale.ROOT);

    /**
     * What start-up found and did.
     *
     * @param recovered       true when crash recovery ran (records may or may not have been replayed)
     * @param checkpoint      the checkpoint record recovery started from, or null when there was none
     * @param firstReplayed   the start of the first record replayed, {@link Lsn#INVALID} when none was
     * @param lastReplayed    the start of the last record replayed, {@link Lsn#INVALID} when none was
     * @param recordsReplayed how many records were replayed
     * @param end             the end of valid WAL, where inserting continues
     */
    public record Outcome(boolean recovered, CheckpointRecord checkpoint, long firstReplayed, long lastReplayed,
            long recordsReplayed, WalEnd end, boolean archiveRecovery, boolean targetReached) {

        public Outcome(boolean recovered, CheckpointRecord checkpoint, long firstReplayed, long lastReplayed,
                long recordsReplayed, WalEnd end) {
            this(recovered, checkpoint, firstReplayed, lastReplayed, recordsReplayed, end, false, false);
        }
    }

    /** A start-up failure and the severity PostgreSQL reports it with (PANIC or FATAL). */
    public static final class Failure extends PgException {
        private static final long serialVersionUID = 1L;
        private final Severity severity;

        Failure(Severity severity, String sqlState, String message, String detail, String hint, Throwable cause) {
            super(sqlState, message, detail, hint, cause);
            this.severity = severity;
        }

        public Severity severity() {
            return severity;
        }
    }

    /** Thrown out of {@link #run} after {@link #cancel} (a shutdown request during start-up). */
    public static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() { // also thrown by ArchiveRecovery while it waits (standby mode)
            super("startup cancelled by a shutdown request", null, false, false);
        }
    }

    private final Wal wal;
    private final ControlFile control;
    private final BufferPool pool;
    private final StorageManager storage;
    private final Supplier<TransactionManager> txn;
    private final List<RedoHandler> handlers;
    private final Supplier<Checkpointer> checkpointer;
    private final ServerLog log;
    private final ZoneId zone;
    private final RecoverySettings recovery;
    private volatile boolean cancelled;

    /**
     * @param wal          the log, in state READING
     * @param control      pg_control; null when no component keeps one (recovery then replays all of pg_wal/)
     * @param pool         the shared buffers; null only when no record to replay references a block
     * @param storage      the relation files; may be null (see {@link BufferRedoContext})
     * @param txn          the transaction manager, or a supplier of null
     * @param handlers     the redo handlers (whiteboard services), best first; one for XLOG is built in
     * @param checkpointer asked for the end-of-recovery checkpoint; a supplier of null when there is none
     * @param log          the startup process's log
     * @param zone         {@code log_timezone}, for the times in the first line
     */
    public StartupProcess(Wal wal, ControlFile control, BufferPool pool, StorageManager storage,
            Supplier<TransactionManager> txn, List<RedoHandler> handlers, Supplier<Checkpointer> checkpointer,
            ServerLog log, ZoneId zone) {
        // The caller did not say where the data directory and the settings are: the Settings service of this
        // bundle's framework tells (null outside OSGi: crash recovery only).
        this(wal, control, pool, storage, txn, handlers, checkpointer, log, zone, RecoverySettings.fromFramework());
    }

    /**
     * As the other constructor, with what archive recovery reads.
     *
     * @param recovery the data directory and the settings (restore_command, recovery_target_*, ...); null:
     *                 no archive recovery, recovery.signal and standby.signal are not looked for
     */
    public StartupProcess(Wal wal, ControlFile control, BufferPool pool, StorageManager storage,
            Supplier<TransactionManager> txn, List<RedoHandler> handlers, Supplier<Checkpointer> checkpointer,
            ServerLog log, ZoneId zone, RecoverySettings recovery) {
        this.recovery = recovery;
        this.wal = wal;
        this.control = control;
        this.pool = pool;
        this.storage = storage;
        this.txn = txn == null ? () -> null : txn;
        this.handlers = List.copyOf(handlers);
        this.checkpointer = checkpointer == null ? () -> null : checkpointer;
        this.log = log;
        this.zone = zone;
    }

    public ServerLog log() {
        return log;
    }

    /** Asks a running {@link #run} to stop at the next record (it throws {@link Cancelled}). */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Runs start-up: recovery if needed, then the WAL continues after its
     * last valid record. Returns null when the WAL was not READING (already
     * started: a postmaster restarted in a running framework).
     *
     * @throws Failure   when the server must not start (the message is PostgreSQL's)
     * @throws Cancelled after {@link #cancel}
     */
    public Outcome run() {
        if (wal.state() != WalState.READING) {
            return null;
        }
        ControlData cd = control == null ? null : control.read();
        if (cd != null) {
            logHowLeft(cd);
        }
        ArchiveRecovery ar = ArchiveRecovery.requested(recovery, wal, log, () -> cancelled);
        if (ar != null) {
            ar.announce();
        }
        TransactionManager tm = txn.get();
        long checkpointLsn = cd == null ? Lsn.INVALID : cd.checkpoint();
        CheckpointRecord ck = null;
        boolean shutdownCheckpoint = false;
        boolean recordsFollow;
        WalEnd end;
        long redo;
        long checkpointEnd = Lsn.INVALID;
        if (Lsn.isValid(checkpointLsn)) {
            log.debug(1, "checkpoint record is at " + Lsn.format(checkpointLsn));
            if (ar != null) {
                ar.lookahead(checkpointLsn); // the archive's copy of the checkpoint's segment first
            }
            try (WalReader r = wal.reader(checkpointLsn)) {
                WalRecord rec = r.next();
                if (rec == null || rec.lsn() != checkpointLsn || rec.rmgr() != ResourceManager.XLOG
                        || !isCheckpoint(rec.info())) {
                    throw new Failure(Severity.PANIC, SqlState.INTERNAL_ERROR,
                            "could not locate a valid checkpoint record", null, null, null);
                }
                checkpointEnd = rec.endLsn();
                ck = CheckpointRecord.decode(rec.mainData());
                shutdownCheckpoint = (rec.info() & 0xF0) == ResourceManager.XLOG_CHECKPOINT_SHUTDOWN;
                recordsFollow = r.next() != null;
                end = r.end();
            }
            redo = ck.redo();
            if (Lsn.compare(redo, checkpointLsn) > 0) {
                throw new Failure(Severity.PANIC, SqlState.INTERNAL_ERROR, "invalid redo in checkpoint record",
                        null, null, null);
            }
            if (shutdownCheckpoint && redo != checkpointLsn) {
                throw new Failure(Severity.PANIC, SqlState.INTERNAL_ERROR,
                        "invalid redo record in shutdown checkpoint", null, null, null);
            }
            if (tm != null) {
                tm.recoveryStart(ck.nextXid(), ck.nextOid());
            }
            if (ar != null) {
                ar.setRestartPoint(redo);
            }
        } else {
            // No checkpoint was ever made: nothing in pg_wal/ has been recycled, so all of it is to replay.
            redo = Lsn.INVALID;
            if (ar != null) {
                ar.lookahead(wal.segmentSize()); // segment 1: the log begins there
            }
            try (WalReader r = wal.reader(Lsn.INVALID)) {
                recordsFollow = r.next() != null;
                end = r.end();
            }
            if (tm != null) {
                tm.recoveryStart(cd != null ? cd.nextXid() : ControlData.FIRST_NORMAL_XID,
                        cd != null ? cd.nextOid() : ControlData.FIRST_NORMAL_OID);
            }
        }

        boolean recover = ar != null || recordsFollow || (cd != null && cd.state() != ClusterState.SHUT_DOWN);
        if (!recover) {
            if (cd != null) {
                control.write(cd.withState(ClusterState.IN_PRODUCTION, nowSeconds()));
            }
            wal.setRedoPointer(redo);
            wal.startAt(end);
            log.debug(1, "WAL continues at " + Lsn.format(end.endLsn()));
            return new Outcome(false, ck, Lsn.INVALID, Lsn.INVALID, 0, end);
        }

        if (ar == null) {
            log.log("database system was not properly shut down; automatic recovery in progress");
        }
        ControlData inRecovery = null;
        if (cd != null) {
            inRecovery = cd.withState(ar != null ? ClusterState.IN_ARCHIVE_RECOVERY : ClusterState.IN_CRASH_RECOVERY,
                    nowSeconds());
            control.write(inRecovery);
        }
        Replay replay;
        if (storage != null) {
            storage.setInRecovery(true);
        }
        try {
            // A shutdown checkpoint's REDO is the record itself: replay starts after it, as PostgreSQL's does.
            replay = replay(shutdownCheckpoint ? checkpointLsn : redo, shutdownCheckpoint, tm, ar, checkpointEnd);
        } finally {
            if (storage != null) {
                storage.setInRecovery(false);
            }
        }
        Checkpointer c = checkpointer.get();
        if (ar != null) {
            if (replay.stopped) {
                ar.discardAfter(replay.end.endLsn()); // timeline 1 goes on from the stop point
            }
            ar.complete();
            if (c != null && inRecovery != null) {
                // The checkpointer makes the end-of-recovery checkpoint when pg_control says "in crash recovery";
                // from here on (signal files gone) a crash would indeed be crash recovery.
                inRecovery = inRecovery.withState(ClusterState.IN_CRASH_RECOVERY, nowSeconds());
                control.write(inRecovery);
            }
        }
        if (c == null && inRecovery != null) {
            // No one will make the end-of-recovery checkpoint: the old one stays in charge (replaying
            // from it again after a crash is harmless), and the cluster is in production from now on.
            control.write(inRecovery.withState(ClusterState.IN_PRODUCTION, nowSeconds()));
        }
        wal.setRedoPointer(redo);
        wal.startAt(replay.end);
        if (c != null) {
            try {
                c.requestCheckpoint(true, false);
            } catch (PgException e) {
                throw new Failure(Severity.FATAL, e.sqlState(), e.getMessage(), e.detail(), e.hint(), e);
            }
        } else {
            log.debug(1, "no checkpointer is active: end-of-recovery checkpoint skipped");
        }
        return new Outcome(true, ck, replay.first, replay.last, replay.count, replay.end, ar != null,
                replay.stopped);
    }

    private record Replay(long first, long last, long count, WalEnd end, boolean stopped) {
    }

    /**
     * The records from a start position on: from pg_wal/ through the WAL's
     * reader and, in archive recovery, from the archive too (segments
     * restored one ahead of the reader; when the reader stops, a new one
     * resumes where it stopped once the next segment is there).
     */
    private final class Records implements AutoCloseable {
        private final ArchiveRecovery ar;
        private WalReader reader;
        private long lastLsn = Lsn.INVALID;
        /** Where the record that {@link #next} returned last began to be read: the end before it. */
        private WalEnd before;

        Records(long from, ArchiveRecovery ar) {
            this.ar = ar;
            if (ar != null) {
                ar.lookahead(from);
            }
            this.reader = wal.reader(from);
            this.before = position();
        }

        WalRecord next() {
            while (true) {
                before = position();
                WalRecord rec = reader.next();
                if (rec != null) {
                    lastLsn = rec.lsn();
                    if (ar != null) {
                        ar.lookahead(rec.endLsn());
                    }
                    return rec;
                }
                if (ar == null) {
                    return null;
                }
                WalEnd e = reader.end();
                if (!ar.more(e)) {
                    return null;
                }
                reader.close();
                reader = wal.reader(e.endLsn());
            }
        }

        /** After the last record returned (it is the last record, even across readers), or where reading stopped. */
        WalEnd position() {
            WalEnd e = reader.end();
            return new WalEnd(Lsn.isValid(e.lastRecordLsn()) ? e.lastRecordLsn() : lastLsn, e.endLsn(), e.reason());
        }

        /** The position before the last record returned (to stop before it). */
        WalEnd before() {
            return before;
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    /**
     * Replays from {@code from} (after the record there when {@code skipFirst}) to the end of valid WAL, or
     * in archive recovery to the end of what the archive and pg_wal/ have, or to the recovery target.
     */
    private Replay replay(long from, boolean skipFirst, TransactionManager tm, ArchiveRecovery ar,
            long consistentAt) {
        Map<Byte, RedoHandler> table = dispatchTable();
        BufferRedoContext ctx = new BufferRedoContext(pool, storage, log);
        RecoveryTarget target = ar == null ? null : ar.target();
        boolean targetSet = target != null && target.isSet();
        ZoneId sessionZone = target != null ? target.zone
                : recovery != null ? RecoveryTarget.zone(recovery.get("timezone")) : zone;
        try (Records r = new Records(from, ar)) {
            WalRecord rec = r.next();
            if (skipFirst && rec != null) {
                rec = r.next();
            }
            if (ar != null && Lsn.isValid(consistentAt)) {
                // No backup_label: the base backup is consistent at its checkpoint (PostgreSQL's minRecoveryPoint
                // := the checkpoint's REDO when it has none).
                log.log("consistent recovery state reached at " + Lsn.format(consistentAt));
            }
            if (rec == null) {
                logEnd(r.position(), ar != null);
                log.log("redo is not required");
                if (targetSet) {
                    throw new Failure(Severity.FATAL, SqlState.INTERNAL_ERROR,
                            "recovery ended before configured recovery target was reached", null, null, null);
                }
                return new Replay(Lsn.INVALID, Lsn.INVALID, 0, r.position(), false);
            }
            log.log("redo starts at " + Lsn.format(rec.lsn()));
            Usage usage = Usage.start();
            Set<RedoHandler> used = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            used.addAll(table.values());
            for (RedoHandler h : used) {
                h.startup();
            }
            long first = rec.lsn();
            long last = Lsn.INVALID;
            long lastRead;
            long count = 0;
            Long latestXtime = null;
            WalEnd stoppedAt = null;
            do {
                if (cancelled) {
                    throw new Cancelled();
                }
                lastRead = rec.lsn();
                if (targetSet) {
                    String stop = target.stopsBefore(rec, true);
                    if (stop != null) {
                        log.log(stop);
                        stoppedAt = r.before();
                        break;
                    }
                }
                RedoHandler h = table.get(rec.rmgr());
                if (h == null) {
                    throw new Failure(Severity.FATAL, SqlState.INTERNAL_ERROR,
                            "resource manager with ID " + (rec.rmgr() & 0xFF) + " not registered",
                            "WAL record at " + Lsn.format(rec.lsn()) + " belongs to resource manager "
                                    + ResourceManager.name(rec.rmgr()) + ".",
                            "Start the bundle that replays this resource manager's records (its RedoHandler "
                                    + "service).", null);
                }
                if (tm != null && Xid.isValid(rec.xid())) {
                    tm.advancePastXid(rec.xid());
                }
                ctx.begin(rec);
                try {
                    h.redo(rec, ctx);
                } catch (Failure | Cancelled e) {
                    throw e;
                } catch (RuntimeException e) {
                    String state = e instanceof PgException p ? p.sqlState() : SqlState.INTERNAL_ERROR;
                    throw new Failure(Severity.FATAL, state, e.getMessage() == null ? e.toString() : e.getMessage(),
                            null, null, e);
                } finally {
                    ctx.end();
                }
                last = rec.lsn();
                count++;
                Long xtime = RecoveryTarget.xactTime(rec);
                if (xtime != null) {
                    latestXtime = xtime;
                }
                if (targetSet) {
                    String stop = target.stopsAfter(rec, true);
                    if (stop != null) {
                        log.log(stop);
                        stoppedAt = r.position();
                        break;
                    }
                }
                rec = r.next();
            } while (rec != null);
            WalEnd end = stoppedAt != null ? stoppedAt : r.position();
            if (stoppedAt == null) {
                logEnd(end, ar != null);
            }
            for (RedoHandler h : used) {
                h.cleanup();
            }
            log.log("redo done at " + Lsn.format(lastRead) + " system usage: " + usage.show());
            if (latestXtime != null) {
                log.log("last completed transaction was at log time "
                        + RecoveryTarget.timestamptz(latestXtime, sessionZone));
            }
            // After the lines that say how far recovery went, as PostgreSQL.
            if (targetSet && stoppedAt == null) {
                throw new Failure(Severity.FATAL, SqlState.INTERNAL_ERROR,
                        "recovery ended before configured recovery target was reached", null, null, null);
            }
            return new Replay(count > 0 ? first : Lsn.INVALID, last, count, end, stoppedAt != null);
        }
    }

    /** Resource manager id → handler: the built-in XLOG one, then the services, best first. */
    private Map<Byte, RedoHandler> dispatchTable() {
        Map<Byte, RedoHandler> table = new java.util.HashMap<>();
        table.put(ResourceManager.XLOG, new XlogRedo(txn, log, wal.timeline()));
        for (RedoHandler h : handlers) {
            byte[] ids;
            try {
                ids = h.resourceManagers();
            } catch (RuntimeException e) {
                log.warning("redo handler " + h.getClass().getName() + " failed to name its resource managers: " + e);
                continue;
            }
            for (byte id : ids) {
                RedoHandler had = table.putIfAbsent(id, h);
                if (had != null && had != h && id != ResourceManager.XLOG) {
                    log.debug(1, "resource manager " + ResourceManager.name(id) + " is claimed by "
                            + had.getClass().getName() + " and " + h.getClass().getName() + "; using the first");
                }
            }
        }
        return table;
    }

    private void logEnd(WalEnd end, boolean archive) {
        if (end.reason().isEmpty() || archive && end.reason().startsWith("could not open file")) {
            return; // in archive recovery a missing segment is the archive running out, not news
        }
        log.log(end.reason());
    }

    /** PostgreSQL's first line of the startup process: how the cluster was left. */
    private void logHowLeft(ControlData cd) {
        String at = formatTime(cd.time(), zone);
        switch (cd.state()) {
            case SHUT_DOWN -> log.log("database system was shut down at " + at);
            case SHUT_DOWN_IN_RECOVERY -> log.log("database system was shut down in recovery at " + at);
            case SHUTTING_DOWN -> log.log("database system shutdown was interrupted; last known up at " + at);
            case IN_CRASH_RECOVERY -> log.report(Severity.LOG, null, "database system was interrupted while in "
                    + "recovery at " + at, null, "This probably means that some data is corrupted and you will "
                    + "have to use the last backup for recovery.");
            case IN_ARCHIVE_RECOVERY -> log.report(Severity.LOG, null, "database system was interrupted while in "
                    + "recovery at log time " + at, null, "If this has occurred more than once some data might be "
                    + "corrupted and you might need to choose an earlier recovery target.");
            case IN_PRODUCTION -> log.log("database system was interrupted; last known up at " + at);
            default -> {
                // STARTING_UP: PostgreSQL says nothing either
            }
        }
    }

    /** {@code %Y-%m-%d %H:%M:%S %Z} in {@code zone}: {@code 2026-12-03 04:05:06 UTC}, {@code ... CET}, {@code ... +05}. */
    static String formatTime(long epochSeconds, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone);
        String abbrev;
        if (zone.normalized() instanceof ZoneOffset off) {
            int secs = off.getTotalSeconds();
            if (secs == 0) {
                abbrev = "UTC";
            } else {
                int a = Math.abs(secs);
                abbrev = (secs < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", a / 3600)
                        + (a % 3600 == 0 ? "" : String.format(Locale.ROOT, ":%02d", a % 3600 / 60));
            }
        } else {
            abbrev = ABBREVIATION.format(t);
        }
        return TIME.format(t) + " " + abbrev;
    }

    private static boolean isCheckpoint(byte info) {
        int kind = info & 0xF0;
        return kind == ResourceManager.XLOG_CHECKPOINT_SHUTDOWN || kind == ResourceManager.XLOG_CHECKPOINT_ONLINE;
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** PostgreSQL's pg_rusage for the "redo done" line: this thread's CPU time and the elapsed time. */
    private record Usage(long userNanos, long cpuNanos, long startNanos) {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        static Usage start() {
            return new Usage(userTime(), cpuTime(), System.nanoTime());
        }

        private static long userTime() {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadUserTime() : 0;
        }

        private static long cpuTime() {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
        }

        /** {@code CPU: user: 0.01 s, system: 0.00 s, elapsed: 0.02 s} (hundredths, truncated). */
        String show() {
            long user = Math.max(0, userTime() - userNanos);
            long system = Math.max(0, cpuTime() - cpuNanos - user);
            long elapsed = Math.max(0, System.nanoTime() - startNanos);
            return "CPU: user: " + secs(user) + " s, system: " + secs(system) + " s, elapsed: " + secs(elapsed) + " s";
        }

        private static String secs(long nanos) {
            long centis = nanos / 10_000_000L;
            return String.format(Locale.ROOT, "%d.%02d", centis / 100, centis % 100);
        }
    }
}
