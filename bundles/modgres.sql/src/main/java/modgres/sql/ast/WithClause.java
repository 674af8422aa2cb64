package modgres.sql.ast;

import java.util.List;

/** {@code WITH [RECURSIVE] cte, ...}. */
public record WithClause(int position, boolean recursive, List<CommonTableExpr> ctes) implements Node {
    public WithClause {
        ctes = List.copyOf(ctes);
    }

    public enum Materialized { DEFAULT, MATERIALIZED, NOT_MATERIALIZED }

    /** {@code SEARCH {BREADTH|DEPTH} FIRST BY cols SET seqColumn}. */
    public record Search(boolean breadthFirst, List<String> columns, String sequenceColumn) {
        public Search {
            columns = List.copyOf(columns);
        }
    }

    /**
     * {@code CYCLE cols SET markColumn [TO value DEFAULT default] USING pathColumn};
     * markValue and markDefault null when not given.
     */
    public record Cycle(List<String> columns, String markColumn, Expr markValue, Expr markDefault,
            String pathColumn) {
        public Cycle {
            columns = List.copyOf(columns);
        }
    }

    /**
     * {@code name [(cols)] AS [[NOT] MATERIALIZED] (query)}: query is a SELECT,
     * INSERT, UPDATE or DELETE; search and cycle may be null.
     */
    public record CommonTableExpr(int position, String name, List<String> columns, Materialized materialized,
            Statement query, Search search, Cycle cycle) implements Node {
        public CommonTableExpr {
            columns = List.copyOf(columns);
        }
    }
}
