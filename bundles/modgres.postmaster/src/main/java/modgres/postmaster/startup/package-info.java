/**
 * The startup process: crash recovery from pg_control's checkpoint through
 * the end of valid WAL ({@link modgres.postmaster.startup.StartupProcess}),
 * the redo context over the shared buffers, and the XLOG resource manager's
 * redo and desc routines. Plain Java except the component that publishes the
 * XLOG handler; the postmaster runs the startup on its {@code startup} thread.
 */
package modgres.postmaster.startup;
