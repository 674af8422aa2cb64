/**
 * Temporary files for executor nodes that outgrow work_mem (PostgreSQL's
 * tuplesort, hash join batches and hash aggregation spill): the statement's
 * temporary file space ({@link modgres.sql.exec.spill.TempFileSpace}), the
 * files ({@link modgres.sql.exec.spill.TempFile}), how rows are written to
 * them ({@link modgres.sql.exec.spill.RowCodec}), the external merge sort
 * ({@link modgres.sql.exec.spill.ExternalSort}) and the partitions of a
 * spilled hash table ({@link modgres.sql.exec.spill.HashPartitions}). The
 * nodes that use them (Sort, HashJoin, Unique in Nodes; Aggregate) carry
 * their own design notes.
 */
package modgres.sql.exec.spill;
