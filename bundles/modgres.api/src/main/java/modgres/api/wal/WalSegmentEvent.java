package modgres.api.wal;

/**
 * A segment is complete: every byte of it is written and durable (unless
 * {@code fsync} is off), and nothing will be written to it again.
 *
 * @param timeline      its timeline
 * @param segmentNumber its number
 * @param fileName      its name in {@code pg_wal/}, e.g. {@code 000000010000000000000001}
 * @param endLsn        the LSN just past it (the start of the next segment)
 */
public record WalSegmentEvent(int timeline, long segmentNumber, String fileName, long endLsn) {
}
