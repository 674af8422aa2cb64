package modgres.sql.ast;

import java.util.List;

/** An item of a FROM list (or of UPDATE ... FROM, DELETE ... USING). */
public sealed interface FromItem extends Node
        permits RangeVar, FromItem.Subselect, FromItem.Function, FromItem.Join, FromItem.TableSample {

    /** {@code relation TABLESAMPLE method (args) [REPEATABLE (seed)]}; repeatable may be null. */
    record TableSample(int position, RangeVar relation, List<String> method, List<Expr> args, Expr repeatable)
            implements FromItem {
        public TableSample {
            method = List.copyOf(method);
            args = List.copyOf(args);
        }
    }

    /** {@code [LATERAL] (query) [AS] alias}. */
    record Subselect(int position, boolean lateral, SelectStmt query, Alias alias) implements FromItem {
    }

    /**
     * One function of a FROM function item, with its column definition list
     * (inside {@code ROWS FROM (...)}) or an empty list.
     */
    record FunctionItem(Expr call, List<ColumnDef> columnDefs) {
        public FunctionItem {
            columnDefs = List.copyOf(columnDefs);
        }
    }

    /**
     * {@code [LATERAL] f(...) [WITH ORDINALITY] [AS] alias [(coldefs)]} or
     * {@code ROWS FROM (f(...), g(...))}.
     *
     * @param columnDefs {@code AS (a int, b text)} after the item, or empty
     */
    record Function(int position, boolean lateral, boolean rowsFrom, List<FunctionItem> functions,
            boolean ordinality, Alias alias, List<ColumnDef> columnDefs) implements FromItem {
        public Function {
            functions = List.copyOf(functions);
            columnDefs = List.copyOf(columnDefs);
        }
    }

    enum JoinType {
        INNER("JOIN"), LEFT("LEFT JOIN"), RIGHT("RIGHT JOIN"), FULL("FULL JOIN"), CROSS("CROSS JOIN");

        public final String sql;

        JoinType(String sql) {
            this.sql = sql;
        }
    }

    /**
     * A join. Exactly one of natural, using (non-empty) and on is given, except
     * for CROSS JOIN which has none.
     *
     * @param usingAlias {@code USING (a) AS j}, or null
     * @param alias      {@code (a JOIN b ON ...) AS x}, or null
     */
    record Join(int position, JoinType type, boolean natural, FromItem left, FromItem right, List<String> using,
            Alias usingAlias, Expr on, Alias alias) implements FromItem {
        public Join {
            using = List.copyOf(using);
        }
    }
}
