package modgres.sql.ast;

/**
 * A statement: a query ({@link SelectStmt}), a data-modifying statement
 * ({@link Dml}), a definition ({@link Ddl}) or a utility command
 * ({@link Utility}).
 */
public sealed interface Statement extends Node permits SelectStmt, Dml, Ddl, Utility {
}
