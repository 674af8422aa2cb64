/**
 * The first SQL engine: sessions with their settings overlay, transaction
 * state, prepared statements and portals, and the evaluation of SELECT
 * lists without FROM. Everything else is parsed and refused with 0A000.
 * See {@link modgres.sql.engine.SqlEngineComponent} for the design notes.
 */
package modgres.sql.engine;
