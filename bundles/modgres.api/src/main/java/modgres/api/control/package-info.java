/**
 * The cluster's control file and checkpoints: {@link modgres.api.control.ControlFile}
 * reads and atomically rewrites {@code global/pg_control}
 * ({@link modgres.api.control.ControlData}, with the
 * {@link modgres.api.control.ClusterState}); {@link modgres.api.control.Checkpointer}
 * is how the SQL {@code CHECKPOINT} command and the console ask the
 * checkpointer for a checkpoint and read its counters
 * ({@link modgres.api.control.CheckpointStats}, for {@code pg_stat_bgwriter});
 * {@link modgres.api.control.CheckpointRecord} is the main data of the
 * checkpoint WAL record, for the checkpointer that writes it and the recovery
 * that reads it.
 *
 * <p>Modgres's {@code pg_control} is its own layout (one 8192-byte block with a
 * CRC-32C), not PostgreSQL's: {@code pg_controldata} cannot read it.
 */
@Export
@Version("1.1.0")
package modgres.api.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
