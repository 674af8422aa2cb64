package modgres.api.wal;

/**
 * Cumulative counters since the log started, the raw material of
 * {@code pg_stat_wal}.
 *
 * @param records        records inserted ({@code wal_records})
 * @param fullPageImages full-page images inserted ({@code wal_fpi})
 * @param bytes          bytes of records inserted ({@code wal_bytes}; page headers and padding not counted)
 * @param buffersFull    times a page had to be written because the WAL buffers were full ({@code wal_buffers_full})
 * @param writes         write calls to segment files ({@code wal_write})
 * @param syncs          fsyncs of segment files ({@code wal_sync}); one serves every committer it covers
 * @param segmentsCreated segment files created (zero-filled) by the log
 */
public record WalStats(long records, long fullPageImages, long bytes, long buffersFull, long writes, long syncs,
        long segmentsCreated) {
}
