package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.TableElement;
import modgres.sql.catalog.Relation;

/*
 * Design notes: CREATE TABLE ... (LIKE source [INCLUDING | EXCLUDING option]...)
 * (PostgreSQL 15's transformTableLikeClause and expandTableLikeClause).
 *
 * What is copied, in the order the element appears among the other table
 * elements: every live column of the source with its name, type, typmod and
 * NOT NULL (always, whatever the options say). The options are applied left
 * to right over an all-off set, so "INCLUDING ALL EXCLUDING INDEXES" works:
 *
 *   DEFAULTS     column defaults (pg_attrdef's SQL text; generated columns' are not defaults)
 *   CONSTRAINTS  CHECK constraints, under their own names (never foreign keys)
 *   INDEXES      primary key and unique constraints as constraints of the new table, other
 *                indexes as plain indexes; names chosen for the new table (t_pkey, t_a_key,
 *                t_a_idx) as PostgreSQL's ChooseIndexName does
 *   IDENTITY, GENERATED, STORAGE, COMMENTS, COMPRESSION, STATISTICS
 *                accepted; nothing of them is copied here (not modelled for copies)
 *
 * The copy is a snapshot: later changes of the source do not reach the new
 * table, and no dependency is recorded (as in PostgreSQL).
 *
 * Invariants: dropped columns of the source are skipped (the new table's
 * attnums are dense); a name given twice (by two LIKEs, or a LIKE and a
 * column definition) is 42701 as for any duplicated column.
 */
/** Expands a LIKE element of CREATE TABLE into columns, checks and index definitions; see the design notes. */
final class CreateTableLike {
    /** An index copied by INCLUDING INDEXES that is no constraint: created once the table exists. */
    record PlainIndex(List<String> columns, boolean unique, boolean nullsNotDistinct) {
    }

    private static final List<String> OPTIONS = List.of("COMMENTS", "COMPRESSION", "CONSTRAINTS", "DEFAULTS",
            "GENERATED", "IDENTITY", "INDEXES", "STATISTICS", "STORAGE", "ALL");

    private CreateTableLike() {
    }

    /**
     * Adds the source's columns to {@code cols} (and its checks and unique constraints when asked for); returns
     * the plain indexes to create after the table.
     */
    static List<PlainIndex> copy(DdlExecutor ddl, String table, int nsp, TableElement.Like like,
            List<DdlExecutor.Col> cols, List<DdlExecutor.Uniq> uniques, List<DdlExecutor.Chk> checks,
            List<String> pendingNames) {
        Relation src = ddl.planner.relation(like.source());
        if (src.kind() != 'r' && src.kind() != 'p' && src.kind() != 'v' && src.kind() != 'm' && src.kind() != 'c'
                && src.kind() != 'f') {
            throw new PgException("42809", "relation \"" + src.name() + "\" is invalid in LIKE clause", null, null,
                    like.source().position(), null);
        }
        boolean defaults = false;
        boolean constraints = false;
        boolean indexes = false;
        for (TableElement.LikeOption o : like.options()) {
            String what = o.what().toUpperCase(java.util.Locale.ROOT);
            if (!OPTIONS.contains(what)) {
                throw new PgException("42601", "unrecognized LIKE option \"" + o.what() + "\"", null, null,
                        like.position(), null);
            }
            boolean all = what.equals("ALL");
            if (all || what.equals("DEFAULTS")) {
                defaults = o.including();
            }
            if (all || what.equals("CONSTRAINTS")) {
                constraints = o.including();
            }
            if (all || what.equals("INDEXES")) {
                indexes = o.including();
            }
        }
        for (Relation.Column c : src.columns()) {
            if (c.dropped()) {
                continue;
            }
            for (DdlExecutor.Col have : cols) {
                if (have.name.equals(c.name())) {
                    throw new PgException("42701", "column \"" + c.name() + "\" specified more than once");
                }
            }
            DdlExecutor.Col col = new DdlExecutor.Col();
            col.name = c.name();
            col.type = c.type();
            col.typmod = c.typmod();
            col.notNull = c.notNull();
            boolean generated = c.generated() != null && !c.generated().isEmpty();
            boolean identity = c.identity() != null && !c.identity().isEmpty();
            if (defaults && !generated && !identity && c.defaultExpr() != null) {
                col.defaultSql = c.defaultExpr();
            }
            col.attnum = cols.size() + 1;
            cols.add(col);
        }
        if (constraints) {
            for (Relation.Constraint k : src.constraints()) {
                if (k.type() == 'c') {
                    checks.add(new DdlExecutor.Chk(k.name(), k.expr()));
                }
            }
        }
        List<PlainIndex> plain = new ArrayList<>();
        if (!indexes) {
            return plain;
        }
        for (Relation.Index idx : src.indexes()) {
            List<String> names = new ArrayList<>();
            boolean expression = false;
            for (int a : idx.keys()) {
                if (a <= 0) {
                    expression = true;
                    break;
                }
                names.add(src.columns().get(a - 1).name());
            }
            if (expression) {
                continue; // expression indexes are not copied here
            }
            Relation.Constraint owner = null;
            for (Relation.Constraint k : src.constraints()) {
                if ((k.type() == 'p' || k.type() == 'u') && k.index() == idx.oid()) {
                    owner = k;
                }
            }
            if (owner != null && owner.type() == 'p') {
                uniques.add(new DdlExecutor.Uniq(ddl.uniqueName(nsp, table + "_pkey", pendingNames), names, true,
                        false, like.position()));
            } else if (owner != null) {
                uniques.add(new DdlExecutor.Uniq(ddl.uniqueName(nsp, table + "_" + String.join("_", names) + "_key",
                        pendingNames), names, false, idx.nullsNotDistinct(), like.position()));
            } else {
                plain.add(new PlainIndex(names, idx.unique(), idx.nullsNotDistinct()));
            }
        }
        return plain;
    }
}
