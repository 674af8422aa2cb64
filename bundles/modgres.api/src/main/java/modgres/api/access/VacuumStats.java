package modgres.api.access;

/**
 * What one vacuum of a heap did (the figures of {@code VACUUM VERBOSE} and of
 * {@code pg_stat_all_tables}).
 *
 * @param pagesScanned      pages read
 * @param tuplesRemoved     dead tuples removed
 * @param liveTuples        live tuples left
 * @param deadTuplesLeft    dead tuples not yet removable (newer than the horizon)
 * @param tuplesFrozen      tuples frozen
 * @param pagesTruncated    empty pages cut from the end of the file
 */
public record VacuumStats(long pagesScanned, long tuplesRemoved, long liveTuples, long deadTuplesLeft,
        long tuplesFrozen, long pagesTruncated) {
}
