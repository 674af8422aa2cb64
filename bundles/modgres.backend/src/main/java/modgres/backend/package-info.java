/**
 * The backend: PostgreSQL's per-connection process as a thread. The
 * {@link modgres.backend.BackendComponent} publishes
 * {@link modgres.api.backend.BackendLauncher}; each launched
 * {@code Backend} reads the startup packet, authenticates the client
 * ({@code ClientAuth}), opens a {@link modgres.api.sql.SqlSession} and runs
 * the v3 message loop, turning the engine's results into messages through
 * {@code WireSink}. The state machine is drawn in the bundle's README.md.
 * Nothing here is exported.
 */
package modgres.backend;
