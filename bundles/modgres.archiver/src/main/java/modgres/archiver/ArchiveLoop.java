package modgres.archiver;

/*
 * Design notes
 * ------------
 * PostgreSQL's archiver (pgarch.c) with its archive modules: this loop is the
 * process and owns the protocol and the counters (pg_stat_archiver), the
 * module (an ArchiveModule service: archive_command, basic_archive-like copy,
 * ...) only archives one segment, so swapping modules loses no state:
 *
 *     pg_wal/archive_status/<segment>.ready   written by the WAL bundle when a
 *                                             segment is complete (archive_mode)
 *     archive pg_wal/<segment>                the implementation's part; idempotent
 *     rename <segment>.ready -> <segment>.done   the commit point
 *
 * A round takes the .ready files in name order (segment names sort in WAL
 * order). A crash or a swap between the archive step and the rename leaves
 * the .ready, so the next archiver archives that segment once more: the
 * archive step must accept an existing identical copy. Nothing is ever lost
 * because .done is written only after the archive step succeeded, and the
 * WAL bundle recycles a segment only when its .done exists.
 *
 * Failure: up to three tries one second apart (PostgreSQL's
 * NUM_ARCHIVE_RETRIES), then a WARNING and the round ends; the .ready stays
 * and the next round (60 s, or sooner when a new .ready appears) retries.
 *
 * pg_stat_archiver: every success and every failed attempt is recorded as a
 * StatsEvent (Archived / ArchiveFailed, epoch microseconds) in this loop's
 * PendingStats, handed to the active StatsCollector after each round. With
 * no collector bound, or one that refuses (it is stopping), the events stay
 * pending (merged back) and go with the next flush: nothing is lost by a
 * swap of the collector. The loop's own counters stay for callers and tests.
 *
 * During recovery (the WAL not accepting records yet) nothing is archived
 * with archive_mode = on, only with always, as PostgreSQL starts its
 * archiver only then (PgArchStartupAllowed): the startup process may be
 * replacing segments restored from the archive, which it marks .done itself.
 *
 * archive_timeout: checked at every poll (about once a second) by an
 * ArchiveTimeout, which forces a segment switch when the last one is older
 * than archive_timeout and WAL was written since; see ArchiveTimeout.
 */

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import modgres.api.archive.ArchiveException;
import modgres.api.archive.ArchiveModule;
import modgres.api.server.Latch;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsCollector;
import modgres.api.stats.StatsEvent;

/**
 * The archiver's loop, without OSGi: the .ready → .done protocol around the
 * active {@link ArchiveModule} (asked for at every segment, so a module
 * swapped between two segments takes over at the next one; with none, the
 * archiver behaves as PostgreSQL does when archiving is not configured).
 */
public final class ArchiveLoop implements Runnable {

    /** Where the loop reports (a ServerLog in the bundle, a list in tests). */
    public interface Report {
        void log(String message, String detail);

        void warning(String message, String detail);

        void debug(String message);
    }

    /** The DETAIL when no archive module is active. */
    static final String NO_MODULE = "No archive module is active: install modgres.archiver.command "
            + "(archive_command) or modgres.archiver.copy (basic_archive.archive_directory).";

    /** PostgreSQL's NUM_ARCHIVE_RETRIES. */
    public static final int NUM_ARCHIVE_RETRIES = 3;
    /** PostgreSQL's PGARCH_AUTOWAKE_INTERVAL: a round at least this often. */
    public static final long AUTOWAKE_MILLIS = 60_000;
    /** How often the archive_status directory is looked at for new .ready files. */
    public static final long POLL_MILLIS = 1_000;

    private final Path dataDir;
    private final Supplier<String> archiveMode;
    private final Supplier<ArchiveModule> modules;
    private final Report report;
    private final long retryDelayMillis;
    private final Latch latch = new Latch();
    private volatile boolean stopping;
    private volatile String lastNotConfigured;
    private List<String> lastSeen = List.of();
    private volatile long archivedCount;
    private volatile String lastArchivedWal;
    private volatile long failedCount;
    private volatile String lastFailedWal;
    /** pg_stat_archiver events not handed to a collector yet; only the loop's thread touches it. */
    private final PendingStats pending = new PendingStats();
    private volatile Supplier<StatsCollector> collector = () -> null;
    private volatile ArchiveTimeout timeout;
    private volatile BooleanSupplier inRecovery = () -> false;
    private volatile boolean waitedForRecovery;

    public ArchiveLoop(Path dataDir, Supplier<String> archiveMode, Supplier<ArchiveModule> modules, Report report,
            long retryDelayMillis) {
        this.dataDir = dataDir;
        this.archiveMode = archiveMode;
        this.modules = modules;
        this.report = report;
        this.retryDelayMillis = retryDelayMillis;
    }

    /** Reports to pg_stat_archiver through the active collector (a dynamic reference; may supply null). */
    public ArchiveLoop withStats(Supplier<StatsCollector> collector) {
        this.collector = collector == null ? () -> null : collector;
        return this;
    }

    /** Tells whether recovery is in progress (then only archive_mode = always archives). */
    public ArchiveLoop withRecovery(BooleanSupplier inRecovery) {
        this.inRecovery = inRecovery == null ? () -> false : inRecovery;
        return this;
    }

    /** Forces segment switches for archive_timeout (checked at every poll while archiving is enabled). */
    public ArchiveLoop withTimeout(ArchiveTimeout timeout) {
        this.timeout = timeout;
        return this;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                checkTimeout();
                round();
                sleep();
            }
        } finally {
            flushStats(); // a last try; what a collector cannot take now stays pending in this loop
        }
    }

    private boolean enabled() {
        String mode = archiveMode.get();
        return "on".equals(mode) || "always".equals(mode);
    }

    /** One round; returns how many segments it archived (committed with .done). Flushes the stats after it. */
    public int round() {
        try {
            return archiveRound();
        } finally {
            flushStats();
        }
    }

    private int archiveRound() {
        if (!enabled()) {
            lastNotConfigured = null;
            return 0;
        }
        if (!"always".equals(archiveMode.get()) && inRecovery.getAsBoolean()) {
            waitedForRecovery = true;
            return 0;
        }
        waitedForRecovery = false;
        ArchiveModule module = modules.get();
        String w = module == null ? NO_MODULE : module.configured() ? null : module.notConfigured();
        if (w != null) {
            if (!w.equals(lastNotConfigured)) {
                report.warning("archive_mode enabled, yet archiving is not configured", w);
                lastNotConfigured = w;
            }
            return 0;
        }
        lastNotConfigured = null;
        int n = 0;
        for (String segment : readySegments()) {
            if (stopping) {
                break;
            }
            if (!archiveWithRetries(segment)) {
                break; // PostgreSQL stops the round at the first segment that keeps failing
            }
            n++;
        }
        lastSeen = readySegments();
        return n;
    }

    private boolean archiveWithRetries(String segment) {
        for (int attempt = 1; attempt <= NUM_ARCHIVE_RETRIES; attempt++) {
            if (!Files.exists(ready(segment))) {
                return true; // another archiver committed it meanwhile (overlap during a swap)
            }
            ArchiveModule module = modules.get();
            if (module == null) {
                return false; // the module went away mid-round (a swap): the next round carries on
            }
            try {
                module.archive(dataDir, segment);
                markDone(segment);
                archivedCount++;
                lastArchivedWal = segment;
                pending.event(new StatsEvent.Archived(segment, nowMicros()));
                report.debug("archived write-ahead log file \"" + segment + "\"");
                return true;
            } catch (ArchiveException e) {
                failed(segment);
                report.log(e.getMessage(), e.detail());
            } catch (IOException e) {
                failed(segment);
                report.log("could not rename file \"" + ready(segment) + "\" to \"" + done(segment) + "\": "
                        + e.getMessage(), null);
            }
            if (attempt < NUM_ARCHIVE_RETRIES && !stopping && retryDelayMillis > 0) {
                latch.await(retryDelayMillis);
            }
        }
        report.warning("archiving write-ahead log file \"" + segment + "\" failed too many times, will try again later", null);
        return false;
    }

    /** A failed attempt (PostgreSQL counts each one in pg_stat_archiver.failed_count). */
    private void failed(String segment) {
        failedCount++;
        lastFailedWal = segment;
        pending.event(new StatsEvent.ArchiveFailed(segment, nowMicros()));
    }

    private static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Hands the pending events to the collector; with none bound, or when it
     * refuses them, they stay pending for the next flush.
     */
    void flushStats() {
        if (pending.isEmpty()) {
            return;
        }
        StatsCollector c = collector.get();
        if (c == null) {
            return;
        }
        PendingStats out = pending.drain();
        boolean taken;
        try {
            taken = c.flush(out);
        } catch (RuntimeException e) {
            taken = false; // a collector going away: keep the counts
        }
        if (!taken) {
            pending.merge(out);
        }
    }

    /** The events not handed to a collector yet (tests). */
    PendingStats pendingStats() {
        return pending;
    }

    private boolean checkTimeout() {
        ArchiveTimeout t = timeout;
        if (t == null || !enabled()) {
            return false;
        }
        return t.check();
    }

    /** The commit point: .ready → .done (atomic); a .done already there (another archiver) is fine. */
    private void markDone(String segment) throws IOException {
        try {
            Files.move(ready(segment), done(segment), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | FileAlreadyExistsException e) {
            if (!Files.exists(done(segment))) {
                throw e;
            }
            Files.deleteIfExists(ready(segment));
        }
    }

    private Path statusDir() {
        return dataDir.resolve("pg_wal").resolve("archive_status");
    }

    private Path ready(String segment) {
        return statusDir().resolve(segment + ".ready");
    }

    private Path done(String segment) {
        return statusDir().resolve(segment + ".done");
    }

    /** The segments with a .ready, in name (= WAL) order. */
    public List<String> readySegments() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(statusDir())) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(statusDir(), "*.ready")) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                names.add(f.substring(0, f.length() - ".ready".length()));
            }
        } catch (IOException e) {
            report.log("could not open archive status directory \"" + statusDir() + "\": " + e.getMessage(), null);
        }
        Collections.sort(names);
        return names;
    }

    private void sleep() {
        long slept = 0;
        while (!stopping && slept < AUTOWAKE_MILLIS) {
            if (latch.await(POLL_MILLIS)) {
                return; // woken: a setting changed or we are stopping
            }
            slept += POLL_MILLIS;
            if (checkTimeout()) {
                return; // a forced switch: its segment is ready now
            }
            if (waitedForRecovery && !inRecovery.getAsBoolean()) {
                return; // recovery is over: archive what is ready
            }
            if (enabled() && !lastSeen.containsAll(readySegments())) {
                return; // a new .ready: archive it now
            }
        }
    }

    public void resume() {
        stopping = false;
    }

    public void stop() {
        stopping = true;
        wakeUp();
    }

    public void wakeUp() {
        latch.set();
    }

    /** pg_stat_archiver.archived_count since this loop started. */
    public long archivedCount() {
        return archivedCount;
    }

    public String lastArchivedWal() {
        return lastArchivedWal;
    }

    public long failedCount() {
        return failedCount;
    }

    public String lastFailedWal() {
        return lastFailedWal;
    }
}
