/**
 * PostgreSQL's checkpointer: on checkpoint_timeout, WAL volume, request or
 * shutdown it writes every dirty buffer, fsyncs the data files, writes and
 * flushes the checkpoint record, updates {@code global/pg_control} atomically
 * and recycles the WAL segments no longer needed. Also the
 * {@link modgres.api.control.ControlFile} service
 * ({@link modgres.checkpointer.ControlFileStore}).
 */
package modgres.checkpointer;
