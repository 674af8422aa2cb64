package modgres.wal.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link WriteAheadLog} is made with; the component fills it from the
 * settings of the same names.
 *
 * @param dataDirectory   the data directory; segments live in its {@code pg_wal/}
 * @param segmentSize     {@code wal_segment_size} in bytes: a power of two, 1 MiB .. 1 GiB
 * @param walBuffers      {@code wal_buffers} in 8 KiB pages (at least 4)
 * @param timeline        the timeline written
 * @param systemId        the database system identifier written into each segment's first page
 * @param archiveMode     {@code archive_mode} is {@code on} or {@code always}: completed segments get {@code .ready}
 * @param initZero        {@code wal_init_zero}: new segments are filled with zeros (else only sized)
 * @param recycle         {@code wal_recycle}: old segments are renamed for reuse rather than deleted
 * @param minWalSegments  {@code min_wal_size} in segments: how many future segments recycling keeps
 * @param syncMethod      {@code wal_sync_method}
 * @param fsync           {@code fsync}: off skips every sync (fast, and unsafe on a crash of the OS)
 * @param fullPageWrites  {@code full_page_writes}
 */
public record WalConfig(Path dataDirectory, long segmentSize, int walBuffers, int timeline, long systemId,
        boolean archiveMode, boolean initZero, boolean recycle, int minWalSegments, SyncMethod syncMethod,
        boolean fsync, boolean fullPageWrites) {

    public static final long DEFAULT_SEGMENT_SIZE = 16L * 1024 * 1024;

    public WalConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(syncMethod, "syncMethod");
        if (Long.bitCount(segmentSize) != 1 || segmentSize < 1024 * 1024 || segmentSize > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("wal_segment_size must be a power of two between 1MB and 1GB");
        }
        if (walBuffers < 4 || (long) walBuffers * 8192 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("wal_buffers out of range: " + walBuffers);
        }
    }

    /** PostgreSQL's defaults: 16 MiB segments, 512 pages (4 MB) of buffers, timeline 1, fdatasync. */
    public static WalConfig defaults(Path dataDirectory) {
        return new WalConfig(dataDirectory, DEFAULT_SEGMENT_SIZE, 512, 1, 0L, false, true, true, 5,
                SyncMethod.FDATASYNC, true, true);
    }

    public WalConfig withSegmentSize(long v) {
        return new WalConfig(dataDirectory, v, walBuffers, timeline, systemId, archiveMode, initZero, recycle,
                minWalSegments, syncMethod, fsync, fullPageWrites);
    }

    public WalConfig withWalBuffers(int v) {
        return new WalConfig(dataDirectory, segmentSize, v, timeline, systemId, archiveMode, initZero, recycle,
                minWalSegments, syncMethod, fsync, fullPageWrites);
    }

    public WalConfig withArchiveMode(boolean v) {
        return new WalConfig(dataDirectory, segmentSize, walBuffers, timeline, systemId, v, initZero, recycle,
                minWalSegments, syncMethod, fsync, fullPageWrites);
    }

    public WalConfig withRecycle(boolean v, int minSegments) {
        return new WalConfig(dataDirectory, segmentSize, walBuffers, timeline, systemId, archiveMode, initZero, v,
                minSegments, syncMethod, fsync, fullPageWrites);
    }

    public WalConfig withSync(SyncMethod method, boolean on) {
        return new WalConfig(dataDirectory, segmentSize, walBuffers, timeline, systemId, archiveMode, initZero,
                recycle, minWalSegments, method, on, fullPageWrites);
    }

    public WalConfig withFullPageWrites(boolean v) {
        return new WalConfig(dataDirectory, segmentSize, walBuffers, timeline, systemId, archiveMode, initZero,
                recycle, minWalSegments, syncMethod, fsync, v);
    }

    public WalConfig withInitZero(boolean v) {
        return new WalConfig(dataDirectory, segmentSize, walBuffers, timeline, systemId, archiveMode, v, recycle,
                minWalSegments, syncMethod, fsync, fullPageWrites);
    }
}
