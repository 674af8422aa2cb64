package modgres.postmaster.startup;

/*
 * Design notes
 * ------------
 * PostgreSQL 15's archive recovery (xlogrecovery.c, xlogarchive.c) for the
 * startup process: requested by recovery.signal (archive recovery, point in
 * time recovery) or standby.signal (a warm standby) in the data directory.
 * The WAL is read from pg_wal/ by the WAL bundle's reader as in crash
 * recovery; this class puts the segments the reader will need there first:
 *
 *   segment S needed (the reader's segment and the next one: one ahead)
 *        │
 *   restore_command, %f = S's name, %p = pg_wal/RECOVERYXLOG, %r = the REDO segment, %% = %
 *   run with /bin/sh -c in the data directory (pg_wal/RECOVERYXLOG removed first)
 *        │ exit 0 and a file of wal_segment_size bytes
 *        ├──▶ "restored log file "S" from archive"; RECOVERYXLOG renamed over pg_wal/S
 *        │    (PostgreSQL's KeepFileRestoredFromArchive), archive_status/S.done (.ready with
 *        │    archive_mode = always), so it is not archived again
 *        │ exit 1..125: not in the archive (DEBUG2); whatever pg_wal/ has for S is read
 *        └ exit > 125 (command not found, signal) or a wrong size: FATAL, as PostgreSQL
 *
 * As PostgreSQL, the archive comes first: a segment the archive has replaces
 * the copy in pg_wal/ (which can only be a prefix of it). Recovery ends when
 * the reader stops and the segment it needs cannot be restored. In standby
 * mode it does not end: restore_command is retried every
 * wal_retrieve_retry_interval (5 s) until a "promote" file appears in the
 * data directory (what pg_ctl promote creates); then one last attempt, and
 * the end of recovery as above.
 *
 * At the end (StartupProcess): recovery_end_command, the signal files
 * removed, "archive recovery complete", then the end-of-recovery checkpoint.
 * When a recovery target stopped replay before the end of the WAL, what
 * follows the stop point is discarded first (see discardAfter): PostgreSQL
 * would continue on a new timeline, Modgres has only timeline 1 and
 * continues writing right there, so that WAL must never be read again.
 */

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.wal.Lsn;
import modgres.api.wal.Wal;
import modgres.api.wal.WalEnd;

/** Archive recovery's file side: signal files, restore_command, the recovery commands; see the design notes. */
final class ArchiveRecovery {

    static final String RECOVERY_SIGNAL = "recovery.signal";
    static final String STANDBY_SIGNAL = "standby.signal";
    static final String PROMOTE_SIGNAL = "promote";
    /** Where restore_command writes (PostgreSQL's name). */
    static final String RECOVERYXLOG = "RECOVERYXLOG";
    /** PostgreSQL's wal_retrieve_retry_interval default. */
    static final long DEFAULT_RETRY_MILLIS = 5_000;

    private final RecoverySettings settings;
    private final Wal wal;
    private final ServerLog log;
    private final BooleanSupplier cancelled;
    private final Path dataDir;
    private final Path pgWal;
    private final long segmentSize;
    private final int timeline;
    private final boolean recoverySignal;
    private final boolean standbySignal;
    private boolean standby;
    private final RecoveryTarget target;
    private final Set<Long> attempted = new HashSet<>();
    private final Set<Long> restored = new HashSet<>();
    private String lastRestartPoint = "";
    private int restoredCount;

    private ArchiveRecovery(RecoverySettings settings, Wal wal, ServerLog log, BooleanSupplier cancelled,
            boolean recoverySignal, boolean standbySignal) {
        this.settings = settings;
        this.wal = wal;
        this.log = log;
        this.cancelled = cancelled;
        this.dataDir = settings.dataDirectory();
        this.pgWal = dataDir.resolve("pg_wal");
        this.segmentSize = wal.segmentSize();
        this.timeline = wal.timeline();
        this.recoverySignal = recoverySignal;
        this.standbySignal = standbySignal;
        this.standby = standbySignal;
        this.target = RecoveryTarget.parse(settings);
    }

    /**
     * Archive recovery when the data directory has {@code standby.signal} or
     * {@code recovery.signal} (standby wins, as in PostgreSQL); null
     * otherwise, or without settings. Checks the settings (FATAL
     * {@link StartupProcess.Failure} as PostgreSQL's validateRecoveryParameters).
     */
    static ArchiveRecovery requested(RecoverySettings settings, Wal wal, ServerLog log, BooleanSupplier cancelled) {
        if (settings == null || settings.dataDirectory() == null) {
            return null;
        }
        Path d = settings.dataDirectory();
        boolean standby = Files.exists(d.resolve(STANDBY_SIGNAL));
        boolean recovery = Files.exists(d.resolve(RECOVERY_SIGNAL));
        if (!standby && !recovery) {
            return null;
        }
        ArchiveRecovery ar = new ArchiveRecovery(settings, wal, log, cancelled, recovery, standby);
        ar.validate();
        return ar;
    }

    private void validate() {
        if (standby) {
            if (settings.get("restore_command").isEmpty() && settings.get("primary_conninfo").isEmpty()) {
                log.report(Severity.WARNING, null, "specified neither primary_conninfo nor restore_command", null,
                        "The database server will regularly poll the pg_wal subdirectory to check for files "
                                + "placed there.");
            }
        } else if (settings.get("restore_command").isEmpty()) {
            throw RecoveryTarget.fatal(SqlState.INVALID_PARAMETER_VALUE,
                    "must specify restore_command when standby mode is not enabled", null, null);
        }
    }

    /** PostgreSQL's first line of archive recovery. */
    void announce() {
        if (standby) {
            log.log("entering standby mode");
        } else {
            log.log(target.startMessage());
        }
    }

    RecoveryTarget target() {
        return target;
    }

    boolean standby() {
        return standby;
    }

    int restoredCount() {
        return restoredCount;
    }

    /** %r: the file holding the last restart point (here: the checkpoint's REDO; there are no restart points). */
    void setRestartPoint(long redo) {
        lastRestartPoint = Lsn.isValid(redo) ? name(segment(redo)) : "";
    }

    long segment(long lsn) {
        return Lsn.segmentNumber(lsn, segmentSize);
    }

    String name(long segno) {
        return Lsn.segmentFileName(timeline, segno, segmentSize);
    }

    // ------------------------------------------------------------------ fetching segments

    /** Makes sure the segment holding {@code lsn} and the next one were asked of the archive. */
    void lookahead(long lsn) {
        long s = segment(lsn);
        ensure(s);
        ensure(s + 1);
    }

    private void ensure(long segno) {
        if (segno > 0 && !attempted.contains(segno)) {
            fetch(segno);
        }
    }

    /**
     * The reader stopped at {@code end}: is there more? Restores the segment
     * it needs (outside standby mode, once); in standby mode retries until a
     * segment arrives or promotion is requested. True: open a new reader at
     * {@code end.endLsn()}; false: the end of recovery.
     *
     * @throws StartupProcess.Cancelled when a shutdown cancels the startup meanwhile
     */
    boolean more(WalEnd end) {
        checkCancelled();
        long s = segment(end.endLsn());
        while (restored.contains(s)) {
            s++; // we have it from the archive: the reader needs the one after
        }
        if (!attempted.contains(s) && fetch(s)) {
            return true;
        }
        while (standby) {
            if (promoteRequested()) {
                return fetch(s); // one last look, then the end of recovery
            }
            waitForRetry();
            if (promoteRequested()) {
                return fetch(s);
            }
            if (fetch(s)) {
                return true;
            }
        }
        return false;
    }

    /** wal_retrieve_retry_interval, cut short by a promote file; a shutdown request cancels. */
    private void waitForRetry() {
        long until = System.nanoTime() + retryMillis() * 1_000_000L;
        while (System.nanoTime() < until) {
            checkCancelled();
            if (Files.exists(dataDir.resolve(PROMOTE_SIGNAL))) {
                return;
            }
            sleep(100);
        }
        checkCancelled();
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new StartupProcess.Cancelled();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupProcess.Cancelled();
        }
    }

    private long retryMillis() {
        String v = settings.get("wal_retrieve_retry_interval");
        try {
            long ms = v.isEmpty() ? DEFAULT_RETRY_MILLIS : Long.parseLong(v.trim());
            return ms > 0 ? ms : DEFAULT_RETRY_MILLIS;
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_MILLIS;
        }
    }

    /** The promote file (pg_ctl promote): consumed, "received promote request". */
    private boolean promoteRequested() {
        Path p = dataDir.resolve(PROMOTE_SIGNAL);
        if (!Files.exists(p)) {
            return false;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // PostgreSQL ignores a failure to remove it too
        }
        log.log("received promote request");
        standby = false;
        return true;
    }

    /** PostgreSQL's RestoreArchivedFile + KeepFileRestoredFromArchive for one segment; true when restored. */
    boolean fetch(long segno) {
        attempted.add(segno);
        String command = settings.get("restore_command");
        if (command.isEmpty()) {
            return false;
        }
        String fname = name(segno);
        String xlogpath = "pg_wal/" + RECOVERYXLOG;
        Path recoveryXlog = pgWal.resolve(RECOVERYXLOG);
        try {
            Files.deleteIfExists(recoveryXlog);
        } catch (IOException e) {
            throw RecoveryTarget.fatal(SqlState.IO_ERROR, "could not remove file \"" + xlogpath + "\": "
                    + e.getMessage(), null, null);
        }
        String cmd = expand(command, xlogpath, fname, lastRestartPoint);
        log.debug(3, "executing restore command \"" + cmd + "\"");
        int rc = run(cmd);
        if (rc == 0) {
            long size;
            try {
                size = Files.size(recoveryXlog);
            } catch (NoSuchFileException e) {
                log.report(Severity.LOG, SqlState.IO_ERROR, "could not stat file \"" + xlogpath
                        + "\": No such file or directory", "restore_command returned a zero exit status, but "
                        + "stat() failed.", null);
                return false;
            } catch (IOException e) {
                throw RecoveryTarget.fatal(SqlState.IO_ERROR, "could not stat file \"" + xlogpath + "\": "
                        + e.getMessage(), "restore_command returned a zero exit status, but stat() failed.", null);
            }
            if (size != segmentSize) {
                String msg = "archive file \"" + fname + "\" has wrong size: " + size + " instead of " + segmentSize;
                if (standby && size < segmentSize) {
                    log.debug(1, msg); // being copied into the archive: try again later
                    return false;
                }
                throw RecoveryTarget.fatal(SqlState.INTERNAL_ERROR, msg, null, null);
            }
            keep(segno, fname, recoveryXlog);
            log.log("restored log file \"" + fname + "\" from archive");
            restored.add(segno);
            restoredCount++;
            return true;
        }
        String why = waitResult(rc);
        if (rc > 125) {
            // command not found, not executable, killed by a signal: not "no such file in the archive"
            throw RecoveryTarget.fatal(SqlState.INTERNAL_ERROR, "could not restore file \"" + fname
                    + "\" from archive: " + why, null, null);
        }
        log.debug(2, "could not restore file \"" + fname + "\" from archive: " + why);
        return false;
    }

    /** RECOVERYXLOG becomes pg_wal/<segment> (replacing what was there), with its archive status. */
    private void keep(long segno, String fname, Path recoveryXlog) {
        Path target = pgWal.resolve(fname);
        Path status = pgWal.resolve("archive_status");
        try {
            fsyncFile(recoveryXlog);
            Files.move(recoveryXlog, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDir(pgWal);
            Files.createDirectories(status);
            boolean always = "always".equals(settings.get("archive_mode"));
            Files.deleteIfExists(status.resolve(fname + (always ? ".done" : ".ready")));
            Path mark = status.resolve(fname + (always ? ".ready" : ".done"));
            if (!Files.exists(mark)) {
                Files.createFile(mark);
            }
            fsyncDir(status);
        } catch (IOException e) {
            throw RecoveryTarget.fatal(SqlState.IO_ERROR, "could not rename file \"pg_wal/" + RECOVERYXLOG
                    + "\" to \"pg_wal/" + fname + "\": " + e.getMessage(), null, null);
        }
    }

    /** Runs a shell command in the data directory; its output goes to the log, as a child's stderr does. */
    private int run(String cmd) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd).directory(dataDir.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            int rc = p.waitFor();
            if (!out.isEmpty()) {
                log.log(out.length() > 4000 ? out.substring(0, 4000) : out);
            }
            return rc;
        } catch (IOException e) {
            return 127; // the shell could not be run: as "command not found"
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupProcess.Cancelled();
        }
    }

    /** PostgreSQL's wait_result_to_str for an exit status. */
    static String waitResult(int rc) {
        return switch (rc) {
            case 126 -> "command not executable";
            case 127 -> "command not found";
            default -> "child process exited with exit code " + rc;
        };
    }

    /** restore_command's placeholders: %p, %f, %r, %% (PostgreSQL's BuildRestoreCommand); another %x stays. */
    static String expand(String command, String path, String file, String restartPoint) {
        StringBuilder sb = new StringBuilder(command.length() + 64);
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '%' && i + 1 < command.length()) {
                char n = command.charAt(i + 1);
                String with = switch (n) {
                    case 'p' -> path;
                    case 'f' -> file;
                    case 'r' -> restartPoint;
                    case '%' -> "%";
                    default -> null;
                };
                if (with != null) {
                    sb.append(with);
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** recovery_end_command / archive_cleanup_command: %r and %%; a failure is a WARNING (PostgreSQL's ExecuteRecoveryCommand). */
    void runRecoveryCommand(String setting) {
        String command = settings.get(setting);
        if (command.isEmpty()) {
            return;
        }
        String cmd = expandRecoveryCommand(command, lastRestartPoint); // only %r and %% are special here
        log.debug(3, "executing " + setting + " \"" + cmd + "\"");
        int rc = run(cmd);
        if (rc != 0) {
            Severity sev = rc > 125 && setting.equals("recovery_end_command") ? Severity.FATAL : Severity.WARNING;
            if (sev == Severity.FATAL) {
                throw RecoveryTarget.fatal(SqlState.INTERNAL_ERROR, setting + " \"" + cmd + "\": " + waitResult(rc),
                        null, null);
            }
            log.report(Severity.WARNING, null, setting + " \"" + cmd + "\": " + waitResult(rc), null, null);
        }
    }

    static String expandRecoveryCommand(String command, String restartPoint) {
        StringBuilder sb = new StringBuilder(command.length() + 32);
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '%' && i + 1 < command.length()) {
                char n = command.charAt(i + 1);
                if (n == 'r') {
                    sb.append(restartPoint);
                    i++;
                    continue;
                } else if (n == '%') {
                    sb.append('%');
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ the end

    /**
     * After a recovery target stopped replay at {@code endLsn}: the WAL after
     * it is discarded, because Modgres continues on the same timeline from
     * there (PostgreSQL switches to a new one): the rest of that segment is
     * zeroed (a copy of the segment is kept as {@code <segment>.partial} when
     * the archive does not have it), segments after it restored in this
     * recovery are removed (the archive has them), and other later segments
     * of pg_wal/ are renamed {@code <segment>.partial}. So neither a later
     * crash recovery nor the writer finds records of the abandoned history.
     */
    void discardAfter(long endLsn) {
        long seg = segment(endLsn);
        long off = Lsn.segmentOffset(endLsn, segmentSize);
        try {
            long firstWhole = seg;
            if (off > 0) {
                firstWhole = seg + 1;
                Path file = pgWal.resolve(name(seg));
                if (Files.exists(file)) {
                    if (!restored.contains(seg)) {
                        Path partial = pgWal.resolve(name(seg) + ".partial");
                        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
                        fsyncFile(partial);
                    }
                    zero(file, off);
                }
            }
            List<Long> later = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(pgWal)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (Lsn.isSegmentFileName(n) && Lsn.timelineOfSegmentFileName(n) == timeline) {
                        long s = Lsn.parseSegmentFileName(n, segmentSize);
                        if (s >= firstWhole) {
                            later.add(s);
                        }
                    }
                }
            }
            Path status = pgWal.resolve("archive_status");
            for (long s : later) {
                Path file = pgWal.resolve(name(s));
                if (restored.contains(s)) {
                    Files.deleteIfExists(file);
                } else {
                    Files.move(file, pgWal.resolve(name(s) + ".partial"), StandardCopyOption.REPLACE_EXISTING);
                }
                Files.deleteIfExists(status.resolve(name(s) + ".ready"));
                Files.deleteIfExists(status.resolve(name(s) + ".done"));
            }
            fsyncDir(pgWal);
            if (!later.isEmpty() || off > 0) {
                log.debug(1, "discarded the WAL after " + Lsn.format(endLsn) + " (" + later.size()
                        + " later segments)");
            }
        } catch (IOException e) {
            throw RecoveryTarget.fatal(SqlState.IO_ERROR, "could not discard the WAL after the recovery stop point "
                    + Lsn.format(endLsn) + ": " + e.getMessage(), null, null);
        }
    }

    private static void zero(Path file, long from) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = c.size();
            ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
            for (long at = from; at < size;) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), size - at));
                at += c.write(zeros, at);
            }
            c.force(true);
        }
    }

    /**
     * PostgreSQL's CleanupAfterArchiveRecovery (less the timeline switch):
     * recovery_end_command, the signal files removed (durably), "archive
     * recovery complete".
     */
    void complete() {
        runRecoveryCommand("recovery_end_command");
        try {
            if (standbySignal) {
                Files.deleteIfExists(dataDir.resolve(STANDBY_SIGNAL));
            }
            if (recoverySignal) {
                Files.deleteIfExists(dataDir.resolve(RECOVERY_SIGNAL));
            }
            Files.deleteIfExists(pgWal.resolve(RECOVERYXLOG));
            fsyncDir(dataDir);
        } catch (IOException e) {
            throw RecoveryTarget.fatal(SqlState.IO_ERROR, "could not remove file \"" + (standbySignal
                    ? STANDBY_SIGNAL : RECOVERY_SIGNAL) + "\": " + e.getMessage(), null, null);
        }
        log.log("archive recovery complete");
    }

    private static void fsyncFile(Path p) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    private static void fsyncDir(Path p) {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            // some platforms cannot fsync a directory; PostgreSQL ignores that too
        }
    }
}
