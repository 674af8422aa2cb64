package modgres.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferStats;
import modgres.api.control.CheckpointStats;
import modgres.api.control.Checkpointer;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.server.ProcessIds;
import modgres.api.settings.Settings;
import modgres.api.stats.ArchiverStats;
import modgres.api.stats.BgWriterStats;
import modgres.api.stats.DatabaseStats;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsStore;
import modgres.api.stats.TableStats;
import modgres.api.stats.WalActivity;
import modgres.api.wal.Wal;
import modgres.api.wal.WalStats;

/**
 * The cumulative statistics store: see the README. Activated at once (it
 * must read and remove {@code pg_stat/pgstat.stat} at start-up, so that a
 * crash afterwards leaves no file to restore); writes the file when it is
 * deactivated (a clean stop). The buffer pool, checkpointer and WAL are
 * optional dynamic references whose counters are folded into the
 * pg_stat_bgwriter and pg_stat_wal totals.
 */
@Component(name = "modgres.stats", immediate = true, service = StatsStore.class)
public final class StatsStoreComponent implements StatsStore {

    // Checkpoint fold: timed, requested, write time (us), sync time (us), buffers written.
    private static final int CP_TIMED = 0, CP_REQ = 1, CP_WRITE_US = 2, CP_SYNC_US = 3, CP_BUFFERS = 4;
    // Buffer fold: bgwriter writes, maxwritten_clean, backend writes, allocations.
    private static final int BUF_CLEAN = 0, BUF_MAXWRITTEN = 1, BUF_BACKEND = 2, BUF_ALLOC = 3;

    private final Path dataDirectory;
    private final ServerLog log;
    private final LongSupplier clock;

    private final CumulativeStats stats = new CumulativeStats();
    private final SourceFold<Checkpointer> checkpoints = new SourceFold<>(5, StatsStoreComponent::checkpointCounters);
    private final SourceFold<BufferPool> buffers = new SourceFold<>(4, StatsStoreComponent::bufferCounters);
    private final SourceFold<Wal> wals = new SourceFold<>(6, StatsStoreComponent::walCounters);

    private final Object resetLock = new Object();
    private long bgwriterReset;
    private long walReset;

    @Activate
    public StatsStoreComponent(@Reference Settings settings,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this(settings.dataDirectory(),
                ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "postmaster")),
                StatsStoreComponent::nowMicros);
    }

    /** For tests: an explicit data directory, log and clock (epoch microseconds). */
    StatsStoreComponent(Path dataDirectory, ServerLog log, LongSupplier clock) {
        this.dataDirectory = dataDirectory;
        this.log = log;
        this.clock = clock;
        load();
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    // ---- the sources of pg_stat_bgwriter and pg_stat_wal ----

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBufferPool(BufferPool pool) {
        buffers.bind(pool);
    }

    void unbindBufferPool(BufferPool pool) {
        buffers.unbind(pool);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCheckpointer(Checkpointer checkpointer) {
        checkpoints.bind(checkpointer);
    }

    void unbindCheckpointer(Checkpointer checkpointer) {
        checkpoints.unbind(checkpointer);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindWal(Wal wal) {
        wals.bind(wal);
    }

    void unbindWal(Wal wal) {
        wals.unbind(wal);
    }

    private static long[] checkpointCounters(Checkpointer c) {
        CheckpointStats s = c.stats();
        return new long[] {s.checkpointsTimed(), s.checkpointsRequested(), Math.round(s.writeTimeMillis() * 1000),
                Math.round(s.syncTimeMillis() * 1000), s.buffersCheckpoint()};
    }

    private static long[] bufferCounters(BufferPool p) {
        BufferStats s = p.stats();
        return new long[] {s.writesBgwriter(), s.maxWrittenClean(), s.writesBackend(), s.allocations()};
    }

    private static long[] walCounters(Wal w) {
        WalStats s = w.stats();
        return new long[] {s.records(), s.fullPageImages(), s.bytes(), s.buffersFull(), s.writes(), s.syncs()};
    }

    // ---- StatsStore ----

    @Override
    public void apply(PendingStats pending) {
        stats.apply(pending);
    }

    @Override
    public TableStats table(int db, int rel) {
        return stats.table(db, rel);
    }

    @Override
    public List<TableStats> tables(int db) {
        return stats.tables(db);
    }

    @Override
    public DatabaseStats database(int db) {
        return stats.database(db);
    }

    @Override
    public BgWriterStats bgwriter() {
        synchronized (resetLock) {
            long[] c = checkpoints.totals();
            long[] b = buffers.totals();
            return new BgWriterStats(c[CP_TIMED], c[CP_REQ], c[CP_WRITE_US] / 1000.0, c[CP_SYNC_US] / 1000.0,
                    c[CP_BUFFERS], b[BUF_CLEAN], b[BUF_MAXWRITTEN], b[BUF_BACKEND], 0, b[BUF_ALLOC],
                    bgwriterReset);
        }
    }

    @Override
    public WalActivity wal() {
        synchronized (resetLock) {
            long[] w = wals.totals();
            // track_wal_io_timing is off: wal_write_time and wal_sync_time stay 0.
            return new WalActivity(w[0], w[1], w[2], w[3], w[4], w[5], 0, 0, walReset);
        }
    }

    @Override
    public ArchiverStats archiver() {
        return stats.archiver();
    }

    @Override
    public void resetDatabase(int db) {
        stats.resetDatabase(db, clock.getAsLong());
    }

    @Override
    public void resetTable(int db, int rel) {
        stats.resetTable(db, rel, clock.getAsLong());
    }

    @Override
    public void resetShared(String target) {
        long now = clock.getAsLong();
        if ("bgwriter".equals(target)) {
            synchronized (resetLock) {
                checkpoints.reset();
                buffers.reset();
                bgwriterReset = now;
            }
        } else if ("archiver".equals(target)) {
            stats.resetArchiver(now);
        } else if ("wal".equals(target)) {
            synchronized (resetLock) {
                wals.reset();
                walReset = now;
            }
        } else if ("recovery_prefetch".equals(target)) {
            // PostgreSQL 15 accepts it (pg_stat_recovery_prefetch); there is no recovery prefetching here.
        } else {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "unrecognized reset target: \"" + target + "\"",
                    null, "Target must be \"archiver\", \"bgwriter\", \"recovery_prefetch\", or \"wal\".");
        }
    }

    // ---- persistence ----

    /** Reads pg_stat/pgstat.stat if it is there and valid, then removes it (see the README). */
    private void load() {
        Path file = dataDirectory.resolve(StatsFile.NAME);
        StatsFile.Content content = null;
        try {
            byte[] data = Files.readAllBytes(file);
            content = StatsFile.decode(data);
        } catch (NoSuchFileException e) {
            // First start, or the last stop was not clean (crash): the statistics start from zero.
        } catch (StatsFile.CorruptedException e) {
            log.report(Severity.LOG, null, "corrupted statistics file \"" + StatsFile.NAME + "\"", null, null);
        } catch (IOException e) {
            log.report(Severity.LOG, null, "could not open statistics file \"" + StatsFile.NAME + "\": " + e,
                    null, null);
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dataDirectory.resolve(StatsFile.TEMP_NAME));
        } catch (IOException e) {
            log.report(Severity.LOG, null, "could not unlink statistics file \"" + StatsFile.NAME + "\": " + e,
                    null, null);
        }
        if (content == null) {
            // As PostgreSQL after a failure to restore: every shared statistic starts now.
            long now = clock.getAsLong();
            bgwriterReset = now;
            walReset = now;
            stats.archiverResetTime(now);
            return;
        }
        checkpoints.restore(content.checkpointTotals());
        buffers.restore(content.bufferTotals());
        wals.restore(content.walTotals());
        bgwriterReset = content.bgwriterReset();
        walReset = content.walReset();
        stats.restoreArchiver(content.archiver());
        content.databases().forEach(stats::restoreDatabase);
        content.tables().forEach(stats::restoreTable);
    }

    /** The content of the file as it would be written now (samples the sources first). */
    StatsFile.Content content() {
        synchronized (resetLock) {
            return new StatsFile.Content(clock.getAsLong(), checkpoints.totals(), buffers.totals(), bgwriterReset,
                    wals.totals(), walReset, stats.archiver(), stats.databases(), stats.allTables());
        }
    }

    /** A clean stop: everything to pg_stat/pgstat.stat. */
    @Deactivate
    void deactivate() {
        try {
            StatsFile.write(dataDirectory, content());
        } catch (IOException | RuntimeException e) {
            log.report(Severity.LOG, null,
                    "could not write temporary statistics file \"" + StatsFile.TEMP_NAME + "\": " + e, null, null);
        }
    }
}
