package modgres.sql.ast;

import java.util.List;

/** INSERT, UPDATE and DELETE. */
public sealed interface Dml extends Statement {

    enum Overriding { NONE, SYSTEM_VALUE, USER_VALUE }

    /**
     * {@code [WITH ...] INSERT INTO table [AS alias] [(cols)] [OVERRIDING ...]
     * {DEFAULT VALUES | query} [ON CONFLICT ...] [RETURNING ...]}.
     *
     * @param relation   the table, its alias in {@link RangeVar#alias()}
     * @param source     the rows, or null for DEFAULT VALUES
     * @param onConflict null when not given
     */
    record Insert(int position, WithClause with, RangeVar relation, List<ColumnTarget> columns,
            Overriding overriding, SelectStmt source, OnConflict onConflict, List<ResTarget> returning)
            implements Dml {
        public Insert {
            columns = List.copyOf(columns);
            returning = List.copyOf(returning);
        }
    }

    /**
     * {@code [WITH ...] UPDATE [ONLY] table [[AS] alias] SET ... [FROM ...]
     * [WHERE cond | WHERE CURRENT OF cursor] [RETURNING ...]}; the cursor form
     * is an {@link Expr.CurrentOf} in where.
     */
    record Update(int position, WithClause with, RangeVar relation, List<SetClause> set, List<FromItem> from,
            Expr where, List<ResTarget> returning) implements Dml {
        public Update {
            set = List.copyOf(set);
            from = List.copyOf(from);
            returning = List.copyOf(returning);
        }
    }

    /** {@code [WITH ...] DELETE FROM [ONLY] table [[AS] alias] [USING ...] [WHERE ...] [RETURNING ...]}. */
    record Delete(int position, WithClause with, RangeVar relation, List<FromItem> using, Expr where,
            List<ResTarget> returning) implements Dml {
        public Delete {
            using = List.copyOf(using);
            returning = List.copyOf(returning);
        }
    }
}
