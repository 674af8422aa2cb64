package modgres.sql.engine;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import modgres.sql.ast.Expr;
import modgres.sql.catalog.Relation;

/*
 * Design notes: the columns a statement uses, for column privileges.
 *
 * PostgreSQL records the exact columns of each range-table entry while it
 * analyses a statement (selectedCols). Here the check runs over the parsed
 * statement: every column reference's last name (a.b.c -> c) is collected,
 * a star (t.* or *) marks "all columns". A relation's used columns are then
 * its columns whose names were referenced -- by name, so a name two tables
 * share counts for both (stricter than PostgreSQL, never looser).
 */
/** The column names a statement's column references mention; see the design notes. */
final class ReferencedColumns {
    private final Set<String> names = new HashSet<>();
    private boolean star;

    private ReferencedColumns() {
    }

    static ReferencedColumns of(Object statement) {
        ReferencedColumns r = new ReferencedColumns();
        r.walk(statement);
        return r;
    }

    /** The columns of {@code rel} the statement uses (all of them after a star). */
    List<String> of(Relation rel) {
        List<String> out = new ArrayList<>();
        for (Relation.Column c : rel.liveColumns()) {
            if (star || names.contains(c.name())) {
                out.add(c.name());
            }
        }
        return out;
    }

    private void walk(Object n) {
        if (n == null) {
            return;
        }
        if (n instanceof Expr.ColumnRef ref) {
            if (ref.star()) {
                star = true;
            } else if (!ref.fields().isEmpty()) {
                names.add(ref.fields().get(ref.fields().size() - 1));
            }
            return;
        }
        if (n instanceof List<?> l) {
            for (Object o : l) {
                walk(o);
            }
            return;
        }
        if (n instanceof Record rec) {
            for (RecordComponent c : rec.getClass().getRecordComponents()) {
                Object v;
                try {
                    v = c.getAccessor().invoke(rec);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                if (v instanceof Record || v instanceof List<?>) {
                    walk(v);
                }
            }
        }
    }
}
