package modgres.wal.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.buffer.WalFlusher;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.server.ProcessIds;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;
import modgres.api.wal.Wal;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalListener;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalRecycleResult;
import modgres.api.wal.WalState;
import modgres.api.wal.WalStats;

/**
 * Publishes the write-ahead log as {@link Wal} and as the buffer pool's
 * {@link WalFlusher}, and listens to reloads ({@link SettingsListener}) for
 * the {@code sighup} settings it honours at run time: {@code fsync},
 * {@code wal_sync_method}, {@code full_page_writes}, {@code min_wal_size}.
 *
 * <p>At activation it reads {@code wal_segment_size}, {@code wal_buffers}
 * (-1: 1/32 of {@code shared_buffers}, at least 64 kB, at most one segment),
 * {@code archive_mode}, {@code wal_init_zero}, {@code wal_recycle} and the
 * data directory, and allocates the WAL buffers. The log starts in
 * {@link WalState#READING}: whoever runs recovery (the postmaster) reads it
 * and calls {@link #startAt}. Deactivation flushes what was inserted.
 *
 * <p>{@link WalListener}s are bound dynamically (whiteboard). Calls are
 * delegated to a {@link WriteAheadLog}.
 */
@Component(name = "modgres.wal", service = { Wal.class, WalFlusher.class, SettingsListener.class },
        immediate = true)
public final class WalComponent implements Wal, WalFlusher, SettingsListener {

    private final Settings settings;
    private final ServerLog log;
    private final WriteAheadLog wal;

    @Activate
    public WalComponent(@Reference(name = "Settings") Settings settings,
            @Reference(name = "LoggerFactory", service = LoggerFactory.class) Logger logger) {
        this.settings = settings;
        this.log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "postmaster"));
        this.wal = new WriteAheadLog(config(settings), log);
    }

    /** The configuration the settings describe. */
    static WalConfig config(Settings s) {
        long segmentSize = s.getLong("wal_segment_size");
        int segmentPages = (int) (segmentSize / PAGE_SIZE);
        int walBuffers = s.getInt("wal_buffers");
        if (walBuffers == -1) {
            walBuffers = Math.max(Math.min(s.getInt("shared_buffers") / 32, segmentPages), 8);
        }
        walBuffers = Math.max(walBuffers, 4);
        String archive = s.getString("archive_mode");
        SyncMethod method;
        try {
            method = SyncMethod.fromSetting(s.getString("wal_sync_method"));
        } catch (IllegalArgumentException e) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid value for parameter \"wal_sync_method\": \""
                    + s.getString("wal_sync_method") + "\"");
        }
        return new WalConfig(s.dataDirectory(), segmentSize, walBuffers, 1, 0L, !"off".equals(archive),
                s.getBool("wal_init_zero"), s.getBool("wal_recycle"), minWalSegments(s, segmentSize), method,
                s.getBool("fsync"), s.getBool("full_page_writes"));
    }

    private static int minWalSegments(Settings s, long segmentSize) {
        long bytes = (long) s.getInt("min_wal_size") * 1024 * 1024;
        return (int) Math.max(2, bytes / segmentSize);
    }

    @Deactivate
    void deactivate() {
        wal.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindWalListener(WalListener l) {
        wal.addListener(l);
    }

    void unbindWalListener(WalListener l) {
        wal.removeListener(l);
    }

    @Override
    public void settingsChanged(Set<String> names) {
        if (names.contains("fsync")) {
            wal.setFsync(settings.getBool("fsync"));
        }
        if (names.contains("full_page_writes")) {
            wal.setFullPageWrites(settings.getBool("full_page_writes"));
        }
        if (names.contains("wal_sync_method")) {
            wal.setSyncMethod(SyncMethod.fromSetting(settings.getString("wal_sync_method")));
        }
        if (names.contains("min_wal_size") || names.contains("wal_recycle")) {
            wal.setRecycling(settings.getBool("wal_recycle"), minWalSegments(settings, wal.segmentSize()));
        }
    }

    /** The plain object behind the component (tests). */
    WriteAheadLog delegate() {
        return wal;
    }

    // ---------------------------------------------------------------- Wal

    @Override
    public WalState state() {
        return wal.state();
    }

    @Override
    public int timeline() {
        return wal.timeline();
    }

    @Override
    public long segmentSize() {
        return wal.segmentSize();
    }

    @Override
    public String segmentFileName(long lsn) {
        return wal.segmentFileName(lsn);
    }

    @Override
    public WalReader reader(long fromLsn) {
        return wal.reader(fromLsn);
    }

    @Override
    public WalEnd findEnd(long fromLsn) {
        return wal.findEnd(fromLsn);
    }

    @Override
    public void startAt(WalEnd end) {
        wal.startAt(end);
    }

    @Override
    public long insert(WalRecord record) {
        return wal.insert(record);
    }

    @Override
    public boolean needsFullPageImage(long pageLsn) {
        return wal.needsFullPageImage(pageLsn);
    }

    @Override
    public void flush(long upTo) {
        wal.flush(upTo);
    }

    @Override
    public boolean needsFlush(long lsn) {
        return wal.needsFlush(lsn);
    }

    @Override
    public long backgroundFlush() {
        return wal.backgroundFlush();
    }

    @Override
    public long insertPosition() {
        return wal.insertPosition();
    }

    @Override
    public long writtenPosition() {
        return wal.writtenPosition();
    }

    @Override
    public long flushedPosition() {
        return wal.flushedPosition();
    }

    @Override
    public long redoPointer() {
        return wal.redoPointer();
    }

    @Override
    public void setRedoPointer(long lsn) {
        wal.setRedoPointer(lsn);
    }

    @Override
    public long advanceRedoPointer() {
        return wal.advanceRedoPointer();
    }

    @Override
    public long switchSegment() {
        return wal.switchSegment();
    }

    @Override
    public WalRecycleResult recycleSegments(long keepFromLsn) {
        return wal.recycleSegments(keepFromLsn);
    }

    @Override
    public WalStats stats() {
        return wal.stats();
    }
}
