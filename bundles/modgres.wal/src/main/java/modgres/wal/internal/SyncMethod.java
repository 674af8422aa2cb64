package modgres.wal.internal;

import java.util.Locale;

/** {@code wal_sync_method}: how the log is made durable. */
public enum SyncMethod {
    /** {@code FileChannel.force(true)}: data and metadata. */
    FSYNC,
    /** {@code FileChannel.force(false)}: data (and the metadata needed to read it back). The default. */
    FDATASYNC,
    /** Files opened with {@code SYNC}: every write is durable when it returns; no separate sync. */
    OPEN_SYNC,
    /** Files opened with {@code DSYNC}: as {@link #OPEN_SYNC}, data only. */
    OPEN_DATASYNC;

    /** The setting's value: {@code fsync}, {@code fdatasync}, {@code open_sync}, {@code open_datasync}. */
    public static SyncMethod fromSetting(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the files are opened so that each write is synchronous. */
    boolean syncsOnWrite() {
        return this == OPEN_SYNC || this == OPEN_DATASYNC;
    }
}
