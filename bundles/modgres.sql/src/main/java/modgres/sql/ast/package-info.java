/**
 * The syntax tree produced by the parser: immutable records under sealed
 * interfaces ({@link modgres.sql.ast.Statement} with
 * {@link modgres.sql.ast.SelectStmt}, {@link modgres.sql.ast.Dml},
 * {@link modgres.sql.ast.Ddl}, {@link modgres.sql.ast.Utility};
 * {@link modgres.sql.ast.Expr}; {@link modgres.sql.ast.FromItem}), each node
 * with the 1-based character position where it starts. The
 * {@link modgres.sql.ast.SqlDeparser} prints any tree back as canonical SQL.
 * Private to the bundle for now.
 */
package modgres.sql.ast;
