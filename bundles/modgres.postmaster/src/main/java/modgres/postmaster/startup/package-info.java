/**
 * The startup process: crash recovery from pg_control's checkpoint through
 * the end of valid WAL, and archive recovery (recovery.signal: point-in-time
 * recovery with restore_command and the recovery_target settings;
 * standby.signal: a warm standby until promoted) in
 * {@link modgres.postmaster.startup.StartupProcess} with
 * {@code ArchiveRecovery} and {@code RecoveryTarget}; the redo context over
 * the shared buffers, and the XLOG resource manager's redo and desc routines.
 * Plain Java except the component that publishes the XLOG handler; the
 * postmaster runs the startup on its {@code startup} thread. See README.md
 * in this folder for archive recovery and its deviations from PostgreSQL.
 */
package modgres.postmaster.startup;
