/**
 * The settings (GUC) engine: PostgreSQL 15's setting definitions, loaded from
 * a resource; value parsing, units, bounds and SHOW formatting as guc.c does
 * them; postgresql.conf / postgresql.auto.conf reading with includes as
 * guc-file.l does; start-up loading, SIGHUP reload and ALTER SYSTEM, with the
 * log lines PostgreSQL writes. Plain Java, no OSGi: the postmaster's
 * component wraps {@link modgres.postmaster.guc.GucSettings} as the service.
 */
package modgres.postmaster.guc;
