/**
 * The SQL lexer and parser: {@link modgres.sql.parser.SqlParser} turns a
 * query string into {@link modgres.sql.ast} statements following
 * PostgreSQL 15's lexical rules and grammar, and reports errors as
 * PostgreSQL does ({@link modgres.sql.parser.SqlSyntaxException}: SQLSTATE,
 * message, 1-based character position). Hand-written: a scanner
 * ({@link modgres.sql.parser.Lexer}) and a recursive-descent parser with
 * precedence climbing for expressions, layered as ParserBase (tokens,
 * names) → ExpressionParser → QueryParser → DdlParser → Parser (statement
 * list, utility statements). Private to the bundle for now.
 */
package modgres.sql.parser;
