package modgres.api.wal;

/**
 * What {@link Wal#recycleSegments} did.
 *
 * @param recycled segments renamed to future segment names, to be reused without creating a file
 * @param removed  segments deleted
 * @param kept     old segments kept because they are not archived yet ({@code archive_mode})
 */
public record WalRecycleResult(int recycled, int removed, int kept) {
}
