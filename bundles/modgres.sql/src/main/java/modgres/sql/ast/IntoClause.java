package modgres.sql.ast;

import java.util.List;

/**
 * The target of {@code SELECT ... INTO} and {@code CREATE TABLE ... AS}.
 *
 * @param accessMethod {@code USING method} or null
 * @param onCommit     null when not given
 * @param tablespace   null when not given
 */
public record IntoClause(RangeVar relation, Persistence persistence, List<String> columns, String accessMethod,
        List<DefElem> options, OnCommit onCommit, String tablespace) {
    public IntoClause {
        columns = List.copyOf(columns);
        options = List.copyOf(options);
    }

    public enum Persistence {
        PERMANENT(""), TEMPORARY("TEMPORARY "), UNLOGGED("UNLOGGED ");

        /** The SQL written before TABLE / SEQUENCE / VIEW, with a trailing space. */
        public final String sql;

        Persistence(String sql) {
            this.sql = sql;
        }
    }

    public enum OnCommit {
        PRESERVE_ROWS("PRESERVE ROWS"), DELETE_ROWS("DELETE ROWS"), DROP("DROP");

        public final String sql;

        OnCommit(String sql) {
            this.sql = sql;
        }
    }
}
