/**
 * The postmaster: data directory checks and first-start initialisation,
 * the {@code postmaster.pid} lock, settings as a service, the start-up order
 * of the server's processes, their supervision, signals and shutdown.
 * Nothing here is exported; other bundles see it through modgres.api.
 */
package modgres.postmaster;
