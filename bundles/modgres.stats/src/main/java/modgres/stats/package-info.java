/**
 * The cumulative statistics store (PostgreSQL's pgstat shared hash and its
 * permanent file): per-table and per-database counters, pg_stat_archiver,
 * and pg_stat_bgwriter / pg_stat_wal folded from the buffer pool's, the
 * checkpointer's and the WAL's live counters; written to
 * {@code pg_stat/pgstat.stat} at a clean stop, read back and removed at the
 * next start. Never swapped; the collectors that feed it are.
 */
package modgres.stats;
