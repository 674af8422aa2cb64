/**
 * Protocol 3.0 bytes: {@link modgres.backend.protocol.PgReader} and
 * {@link modgres.backend.protocol.PgWriter} (one reused buffer each, per
 * connection), the backend messages ({@link modgres.backend.protocol.Messages}),
 * the startup packet and its {@code options} command line. No SQL and no
 * session state here. Nothing is exported.
 */
package modgres.backend.protocol;
