/**
 * TOAST value formats (PostgreSQL's varatt.h): the compressed inline varlena,
 * the on-disk external pointer, the pglz-format compressor, and the
 * bookkeeping of stored sizes for {@code pg_column_size}. The policy that
 * decides what to compress or move out of line and the chunk store live in
 * {@code modgres.sql.exec.Toasting}.
 */
package modgres.sql.toast;
