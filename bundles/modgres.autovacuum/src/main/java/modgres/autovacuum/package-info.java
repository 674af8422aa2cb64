/**
 * PostgreSQL's autovacuum launcher and workers: a {@code ServerProcess}
 * ({@code autovacuum launcher}) that every {@code autovacuum_naptime} asks the
 * active, swappable {@link modgres.api.autovacuum.AutovacuumPolicy} which
 * tables need work and runs the tasks through the SQL engine's
 * {@link modgres.api.autovacuum.Maintenance} on up to
 * {@code autovacuum_max_workers} {@code autovacuum worker} threads, with the
 * cost-based delay balanced among them. Not exported: nothing here is API.
 */
package modgres.autovacuum;
