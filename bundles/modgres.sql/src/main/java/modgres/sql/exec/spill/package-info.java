/**
 * Temporary files for executor nodes that outgrow work_mem (PostgreSQL's
 * tuplesort, hash join batches and hash aggregation spill): the statement's
 * temporary file space ({@link modgres.sql.exec.spill.TempFileSpace}), the
 * files ({@link modgres.sql.exec.spill.TempFile}), how rows are written to
 * them ({@link modgres.sql.exec.spill.RowCodec}), the external merge sort
 * ({@link modgres.sql.exec.spill.ExternalSort}, also CREATE INDEX's sort
 * within maintenance_work_mem), the partitions of a spilled hash table
 * ({@link modgres.sql.exec.spill.HashPartitions}) and rows kept for
 * re-reading ({@link modgres.sql.exec.spill.RowStore}, with cursors that
 * later rows extend), a statement's result rows awaiting their sending
 * ({@link modgres.sql.exec.spill.ResultStore}), and the session's
 * {@link modgres.sql.exec.spill.MemoryAccount}, to which each of them charges
 * the memory it holds. The nodes that use them (Sort, HashJoin, Unique,
 * NestLoop in Nodes; Aggregate; CteScan; RecursiveUnion; MergeJoin's
 * MarkStore; the planner's Materialize) carry their own design notes.
 */
package modgres.sql.exec.spill;
