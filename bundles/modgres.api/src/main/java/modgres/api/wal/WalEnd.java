package modgres.api.wal;

/**
 * Where a scan of the log stopped: the end of valid WAL.
 *
 * @param lastRecordLsn the start of the last valid record read, or {@link Lsn#INVALID} if none was
 * @param endLsn        where the next record goes: the end of the last valid record (rounded up to 8
 *                      bytes), the start of the next segment after a switch record, or the scan's start
 *                      when nothing valid was found
 * @param reason        why the scan stopped, as PostgreSQL words it ({@code invalid record length at
 *                      0/1A3C8E0: wanted 24, got 0}, {@code incorrect resource manager data checksum in
 *                      record at ...}, ...); {@code ""} while a reader is still reading
 */
public record WalEnd(long lastRecordLsn, long endLsn, String reason) {
    public WalEnd {
        if (reason == null) {
            reason = "";
        }
    }

    @Override
    public String toString() {
        return "end of WAL at " + Lsn.format(endLsn) + " (last record at " + Lsn.format(lastRecordLsn) + "): "
                + reason;
    }
}
