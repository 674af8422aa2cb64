/**
 * The PL/pgSQL language: {@link modgres.sql.pl.PlParser} turns a function
 * body into {@link modgres.sql.pl.PlAst} statements, and
 * {@link modgres.sql.pl.PlInterpreter} runs them, with every SQL expression
 * and query evaluated by the SQL engine through {@link modgres.sql.pl.PlRuntime}
 * (PostgreSQL's SPI) with the variables as parameters.
 */
package modgres.sql.pl;
