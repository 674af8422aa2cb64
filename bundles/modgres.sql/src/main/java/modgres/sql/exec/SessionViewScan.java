package modgres.sql.exec;

import java.util.Iterator;
import java.util.List;

/**
 * The views over the own session's state, {@code pg_cursors} and
 * {@code pg_prepared_statements} (PostgreSQL's pg_cursor() and
 * pg_prepared_statement() functions), in PostgreSQL 15's columns. The rows
 * come from the session running the query ({@link ExecState#session}, when
 * it is a {@link Source}), read when the scan opens.
 */
public final class SessionViewScan extends Plan {
    /** The two views. */
    public enum Kind {
        CURSORS("pg_cursors", "pg_cursor c", List.of(OutCol.of("name", 25), OutCol.of("statement", 25),
                OutCol.of("is_holdable", 16), OutCol.of("is_binary", 16), OutCol.of("is_scrollable", 16),
                OutCol.of("creation_time", 1184))),
        PREPARED_STATEMENTS("pg_prepared_statements", "pg_prepared_statement p", List.of(OutCol.of("name", 25),
                OutCol.of("statement", 25), OutCol.of("prepare_time", 1184), OutCol.of("parameter_types", 2211),
                OutCol.of("from_sql", 16), OutCol.of("generic_plans", 20), OutCol.of("custom_plans", 20)));

        final String view;
        /** The set-returning function and alias of PostgreSQL's view definition (EXPLAIN's label). */
        final String function;
        final List<OutCol> columns;

        Kind(String view, String function, List<OutCol> columns) {
            this.view = view;
            this.function = function;
            this.columns = columns;
        }

        /** The kind of a pg_catalog view name, null for others. */
        public static Kind of(String name) {
            for (Kind k : values()) {
                if (k.view.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A session that has such state: the rows of a view, in its columns' order and Java types. */
    public interface Source {
        List<Object[]> sessionViewRows(Kind kind);
    }

    private final Kind kind;
    private Iterator<Object[]> it;

    public SessionViewScan(Kind kind) {
        super(kind.columns);
        this.kind = kind;
        estimate(0, 10, 1000);
    }

    @Override
    protected void doOpen(ExecState ex) {
        it = (ex.session instanceof Source s ? s.sessionViewRows(kind) : List.<Object[]>of()).iterator();
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        return it.hasNext() ? it.next() : null;
    }

    @Override
    public String label() {
        return "Function Scan on " + kind.function;
    }
}
