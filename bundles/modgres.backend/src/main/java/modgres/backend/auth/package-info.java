/**
 * Client authentication without I/O: pg_hba.conf
 * ({@link modgres.backend.auth.HbaFile}), stored passwords and the md5
 * check ({@link modgres.backend.auth.Passwords}), the server side of
 * SCRAM-SHA-256 ({@link modgres.backend.auth.ScramServer}) and the
 * bootstrap roles used until the catalog exists
 * ({@link modgres.backend.auth.BootstrapRoles}). Nothing is exported.
 */
package modgres.backend.auth;
