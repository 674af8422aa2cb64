package modgres.sql.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.ObjectRef;
import modgres.sql.ast.RangeVar;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.Planner;
import modgres.sql.exec.RowTriggers;
import modgres.sql.pl.PlInterpreter;

/*
 * Design notes: triggers (CREATE TRIGGER, DROP TRIGGER, and firing them).
 *
 * Storage: pg_trigger rows with PostgreSQL's columns; tgtype has
 * PostgreSQL's bits (ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16,
 * TRUNCATE 32, INSTEAD 64), tgargs the arguments as a text[] literal,
 * tgattr the UPDATE OF columns' attnums.
 *
 * Firing (PostgreSQL's order: by trigger name within each kind):
 *
 *   statement start ─▶ BEFORE STATEMENT
 *   each row        ─▶ BEFORE ROW (NULL skips the row; a changed NEW is written)
 *                   ─▶ write ─▶ AFTER ROW event queued (old, new)
 *   statement end   ─▶ queued AFTER ROW triggers in row order ─▶ AFTER STATEMENT
 *
 * TRUNCATE fires its statement triggers around the truncation. A trigger
 * function runs as a VOLATILE PL/pgSQL function (UserFunctions.callTrigger)
 * with NEW, OLD and the TG_ variables. UPDATE OF fires when one of the
 * columns is a target of the UPDATE's SET, as in PostgreSQL.
 * A WHEN condition (stored as SQL text in tgqual) is evaluated over NEW and
 * OLD before the trigger fires. Not done: INSTEAD OF triggers on views,
 * transition tables, COPY FROM.
 */
/** CREATE/DROP TRIGGER and the firing of triggers; see the design notes. */
final class Triggers {
    static final int ROW = 1, BEFORE = 2, INSERT = 4, DELETE = 8, UPDATE = 16, TRUNCATE = 32, INSTEAD = 64;

    /** A pg_trigger row. */
    record Trig(long tid, int oid, int relation, String name, int function, int type, List<String> args,
            int[] columns, String when) {
    }

    /** Scanned WHEN conditions, by text. */
    private final java.util.Map<String, java.util.Map<modgres.sql.pl.PlAst.Sql, List<modgres.sql.parser.Token>>>
            conditionTokens = new java.util.HashMap<>();

    private final DataPath data;

    Triggers(DataPath data) {
        this.data = data;
    }

    private List<Trig> all() {
        List<Trig> out = new ArrayList<>();
        List<CatalogStore.Row> rows = data.catalog().rows(SysTable.PG_TRIGGER);
        if (rows == null) {
            return out;
        }
        SysTable t = SysTable.PG_TRIGGER;
        for (CatalogStore.Row r : rows) {
            int rel = (Integer) r.get(t, "tgrelid");
            if (data.catalog().relation(rel) == null) {
                continue; // the table was dropped
            }
            out.add(new Trig(r.tid(), (Integer) r.get(t, "oid"), rel, (String) r.get(t, "tgname"),
                    (Integer) r.get(t, "tgfoid"), (Short) r.get(t, "tgtype"),
                    UserFunctions.list((String) r.get(t, "tgargs")),
                    modgres.sql.catalog.CatalogView.parseInts((String) r.get(t, "tgattr")),
                    (String) r.get(t, "tgqual")));
        }
        out.sort(Comparator.comparing(Trig::name));
        return out;
    }

    private List<Trig> of(int relation) {
        return all().stream().filter(x -> x.relation() == relation).toList();
    }

    // ---------------------------------------------------------------- DDL

    String create(Ddl.CreateTrigger ct, Planner p) {
        Relation rel = p.relation(ct.table());
        if (rel.kind() != 'r' && rel.kind() != 'p') {
            throw new PgException("42809", "\"" + rel.name() + "\" is not a table");
        }
        if (ct.timing() == 'I') {
            throw new PgException("42809", "\"" + rel.name() + "\" is a table", "Tables cannot have INSTEAD OF"
                    + " triggers.", null);
        }
        if (!ct.referencing().isEmpty()) {
            throw new PgException("0A000", "transition tables are not supported yet");
        }
        if (ct.events().contains("TRUNCATE") && ct.forEachRow()) {
            throw new PgException("0A000", "TRUNCATE FOR EACH ROW triggers are not supported");
        }
        String fname = ct.function().get(ct.function().size() - 1);
        UserFunctions.Def fn = null;
        for (UserFunctions.Def d : data.functions.named(fname)) {
            if (d.inTypes.length == 0 && d.kind == 'f') {
                fn = d;
            }
        }
        if (fn == null) {
            throw new PgException("42883", "function " + fname + "() does not exist");
        }
        if (fn.returnType != UserFunctions.TRIGGER) {
            throw new PgException("42P17", "function " + fname + " must return type trigger");
        }
        int type = (ct.forEachRow() ? ROW : 0) | (ct.timing() == 'B' ? BEFORE : 0);
        for (String e : ct.events()) {
            type |= switch (e) {
                case "INSERT" -> INSERT;
                case "DELETE" -> DELETE;
                case "UPDATE" -> UPDATE;
                default -> TRUNCATE;
            };
        }
        List<Integer> attnums = new ArrayList<>();
        for (String c : ct.updateColumns()) {
            Relation.Column col = rel.column(c);
            if (col == null) {
                throw new PgException("42703", "column \"" + c + "\" of relation \"" + rel.name()
                        + "\" does not exist");
            }
            attnums.add(col.attnum());
        }
        Trig existing = null;
        for (Trig t : of(rel.oid())) {
            if (t.name().equals(ct.name())) {
                existing = t;
            }
        }
        if (existing != null && !ct.orReplace()) {
            throw new PgException("42710", "trigger \"" + ct.name() + "\" for relation \"" + rel.name()
                    + "\" already exists");
        }
        SysTable t = SysTable.PG_TRIGGER;
        Object[] row = new Object[t.columns().size()];
        row[t.column("oid")] = existing != null ? existing.oid() : data.txn.newOid();
        row[t.column("tgrelid")] = rel.oid();
        row[t.column("tgparentid")] = 0;
        row[t.column("tgname")] = ct.name();
        row[t.column("tgfoid")] = fn.oid;
        row[t.column("tgtype")] = (short) type;
        row[t.column("tgenabled")] = "O";
        row[t.column("tgisinternal")] = false;
        row[t.column("tgconstrrelid")] = 0;
        row[t.column("tgconstrindid")] = 0;
        row[t.column("tgconstraint")] = 0;
        row[t.column("tgdeferrable")] = false;
        row[t.column("tginitdeferred")] = false;
        row[t.column("tgnargs")] = (short) ct.args().size();
        row[t.column("tgattr")] = modgres.sql.catalog.CatalogView.formatInts(attnums.stream().mapToInt(
                Integer::intValue).toArray());
        row[t.column("tgargs")] = argsLiteral(ct.args());
        row[t.column("tgqual")] = ct.when() == null ? null : modgres.sql.ast.SqlDeparser.deparse(ct.when());
        data.functions.ensureStorage(t);
        if (existing != null) {
            data.store.update(t, existing.tid(), row, data.txn);
        } else {
            data.store.insert(t, row, data.txn);
        }
        data.txn.catalogChanged();
        data.invalidate();
        return "CREATE TRIGGER";
    }

    private static String argsLiteral(List<String> args) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < args.size(); i++) {
            sb.append(i > 0 ? "," : "").append('"').append(args.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    String drop(Ddl.Drop d, Planner p) {
        for (ObjectRef o : d.objects()) {
            String name = o.name().get(0);
            List<String> tn = o.table();
            RangeVar rv = new RangeVar(0, null, tn.size() > 1 ? tn.get(tn.size() - 2) : null, tn.get(tn.size() - 1),
                    true, null);
            Relation rel;
            try {
                rel = p.relation(rv);
            } catch (PgException e) {
                if (d.ifExists() && "42P01".equals(e.sqlState())) {
                    data.noticeSink.accept(new modgres.api.sql.Notice("NOTICE", "00000", "relation \""
                            + tn.get(tn.size() - 1) + "\" does not exist, skipping", null, null, 0));
                    continue;
                }
                throw e;
            }
            Trig found = null;
            for (Trig t : of(rel.oid())) {
                if (t.name().equals(name)) {
                    found = t;
                }
            }
            if (found == null) {
                if (d.ifExists()) {
                    data.noticeSink.accept(new modgres.api.sql.Notice("NOTICE", "00000", "trigger \"" + name
                            + "\" for relation \"" + rel.name() + "\" does not exist, skipping", null, null, 0));
                    continue;
                }
                throw new PgException("42704", "trigger \"" + name + "\" for table \"" + rel.name()
                        + "\" does not exist");
            }
            data.store.delete(SysTable.PG_TRIGGER, found.tid(), data.txn);
            data.txn.catalogChanged();
        }
        data.invalidate();
        return "DROP TRIGGER";
    }

    /** DROP FUNCTION of a trigger function: refused while triggers use it, unless CASCADE (which drops them). */
    void beforeDropFunction(UserFunctions.Def fn, boolean cascade) {
        List<Trig> users = all().stream().filter(t -> t.function() == fn.oid)
                .sorted(Comparator.comparingInt(t -> Integer.toUnsignedLong(t.oid()) > 0 ? t.oid() : 0)).toList();
        if (users.isEmpty()) {
            return;
        }
        if (!cascade) {
            StringBuilder detail = new StringBuilder();
            for (Trig t : users) {
                detail.append(detail.isEmpty() ? "" : "\n").append("trigger ").append(t.name()).append(" on table ")
                        .append(data.catalog().relation(t.relation()).name()).append(" depends on function ")
                        .append(fn.signature(data.ts));
            }
            throw new PgException("2BP01", "cannot drop function " + fn.signature(data.ts)
                    + " because other objects depend on it", detail.toString(),
                    "Use DROP ... CASCADE to drop the dependent objects too.");
        }
        for (Trig t : users) {
            data.noticeSink.accept(new modgres.api.sql.Notice("NOTICE", "00000", "drop cascades to trigger "
                    + t.name() + " on table " + data.catalog().relation(t.relation()).name(), null, null, 0));
            data.store.delete(SysTable.PG_TRIGGER, t.tid(), data.txn);
        }
    }

    // ---------------------------------------------------------------- firing

    private static int eventBit(String kind) {
        return switch (kind) {
            case "INSERT" -> INSERT;
            case "UPDATE" -> UPDATE;
            case "DELETE" -> DELETE;
            default -> TRUNCATE;
        };
    }

    /** The triggers of a statement's event on a table, or null when it has none. */
    RowTriggers forStatement(Relation rel, String kind) {
        int bit = eventBit(kind);
        List<Trig> ts = of(rel.oid()).stream().filter(t -> (t.type() & bit) != 0).toList();
        return ts.isEmpty() ? null : new Firing(rel, kind, ts);
    }

    /** TRUNCATE's statement triggers, before or after the truncation. */
    void truncate(Relation rel, boolean before, ExecState ex) {
        List<Trig> ts = of(rel.oid()).stream().filter(t -> (t.type() & TRUNCATE) != 0
                && ((t.type() & BEFORE) != 0) == before).toList();
        Firing f = new Firing(rel, "TRUNCATE", ts);
        for (Trig t : ts) {
            f.fire(ex, t, null, null);
        }
    }

    private final class Firing implements RowTriggers {
        private final Relation rel;
        private final String op;
        private final List<Trig> triggers;
        private final List<Object[][]> queued = new ArrayList<>();

        Firing(Relation rel, String op, List<Trig> triggers) {
            this.rel = rel;
            this.op = op;
            this.triggers = triggers;
        }

        private PlInterpreter.Rec rec(Object[] row) {
            List<String> names = new ArrayList<>();
            int[] types = new int[rel.columns().size()];
            Object[] values = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                Relation.Column c = rel.columns().get(i);
                names.add(c.name());
                types[i] = c.type();
                values[i] = row != null && i < row.length ? row[i] : null;
            }
            return new PlInterpreter.Rec(names, types, values, row == null);
        }

        /** UPDATE: the attributes SET assigns (null: unknown, then a changed value counts). */
        private boolean[] assigned;

        @Override
        public void updateTargets(boolean[] cols) {
            assigned = cols;
        }

        /** The statement's ExecState, for WHEN conditions (set as each trigger entry point is called). */
        private ExecState current;

        private boolean whenHolds(Trig t, Object[] oldRow, Object[] newRow) {
            Namespace ns = data.catalog().namespace(rel.namespace());
            PlInterpreter.TriggerData tg = new PlInterpreter.TriggerData(t.name(), "", "ROW", op, rel.name(),
                    ns == null ? "" : ns.name(), t.args(), rec(newRow), rec(oldRow));
            NestedSql rt = new NestedSql(data, current, 'v', new java.util.HashMap<>(), new java.util.HashMap<>());
            return PlInterpreter.condition(t.when(), rt, tg, conditionTokens.computeIfAbsent(t.when(),
                    k -> new java.util.HashMap<>()));
        }

        Object fire(ExecState ex, Trig t, Object[] oldRow, Object[] newRow) {
            UserFunctions.Def fn = data.functions.byOid(t.function());
            if (fn == null) {
                throw new PgException("42883", "function with OID " + t.function() + " does not exist");
            }
            boolean row = (t.type() & ROW) != 0;
            String when = (t.type() & BEFORE) != 0 ? "BEFORE" : (t.type() & INSTEAD) != 0 ? "INSTEAD OF" : "AFTER";
            Namespace ns = data.catalog().namespace(rel.namespace());
            PlInterpreter.TriggerData tg = new PlInterpreter.TriggerData(t.name(), when, row ? "ROW" : "STATEMENT",
                    op, rel.name(), ns == null ? "" : ns.name(), t.args(), rec(row ? newRow : null),
                    rec(row ? oldRow : null));
            return data.functions.callTrigger(fn, tg, ex).value();
        }

        private boolean applies(Trig t, boolean before, boolean row, Object[] oldRow, Object[] newRow) {
            if (((t.type() & BEFORE) != 0) != before || ((t.type() & ROW) != 0) != row) {
                return false;
            }
            if (t.when() != null && !whenHolds(t, oldRow, newRow)) {
                return false;
            }
            if (op.equals("UPDATE") && t.columns().length > 0) {
                for (int attnum : t.columns()) {
                    int i = attnum - 1;
                    if (assigned == null ? oldRow != null && newRow != null
                            && !java.util.Objects.equals(oldRow[i], newRow[i])
                            : i < assigned.length && assigned[i]) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        }

        @Override
        public void beforeStatement(ExecState ex) {
            current = ex;
            queued.clear();
            for (Trig t : triggers) {
                if (applies(t, true, false, null, null)) {
                    fire(ex, t, null, null);
                }
            }
        }

        /** The row a BEFORE ROW trigger returned, in the table's layout. */
        private Object[] returned(Object r, int width) {
            if (!(r instanceof PlInterpreter.Rec rec)) {
                return null;
            }
            Object[] out = new Object[width];
            System.arraycopy(rec.values, 0, out, 0, Math.min(width, rec.values.length));
            return out;
        }

        @Override
        public Object[] beforeInsert(ExecState ex, Object[] row) {
            current = ex;
            int width = rel.columns().size();
            Object[] cur = row;
            for (Trig t : triggers) {
                if (applies(t, true, true, null, cur)) {
                    Object[] next = returned(fire(ex, t, null, cur), width);
                    if (next == null) {
                        return null;
                    }
                    cur = next;
                }
            }
            return cur;
        }

        @Override
        public Object[] beforeUpdate(ExecState ex, Object[] oldRow, Object[] newRow) {
            current = ex;
            int width = rel.columns().size();
            Object[] cur = newRow;
            for (Trig t : triggers) {
                if (applies(t, true, true, oldRow, cur)) {
                    Object[] next = returned(fire(ex, t, oldRow, cur), width);
                    if (next == null) {
                        return null;
                    }
                    cur = next;
                }
            }
            return cur;
        }

        @Override
        public boolean beforeDelete(ExecState ex, Object[] oldRow) {
            current = ex;
            for (Trig t : triggers) {
                if (applies(t, true, true, oldRow, null) && fire(ex, t, oldRow, null) == null) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void afterRow(ExecState ex, Object[] oldRow, Object[] newRow) {
            int width = rel.columns().size();
            queued.add(new Object[][] {oldRow == null ? null : java.util.Arrays.copyOf(oldRow, width),
                newRow == null ? null : java.util.Arrays.copyOf(newRow, width)});
        }

        @Override
        public void afterStatement(ExecState ex) {
            current = ex;
            List<Object[][]> events = new ArrayList<>(queued);
            queued.clear();
            for (Object[][] e : events) {
                for (Trig t : triggers) {
                    if (applies(t, false, true, e[0], e[1])) {
                        fire(ex, t, e[0], e[1]);
                    }
                }
            }
            for (Trig t : triggers) {
                if (applies(t, false, false, null, null)) {
                    fire(ex, t, null, null);
                }
            }
        }
    }
}
