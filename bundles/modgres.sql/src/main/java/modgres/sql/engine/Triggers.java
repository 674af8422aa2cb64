package modgres.sql.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.ObjectRef;
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
 * OLD before the trigger fires.
 *
 * Partitions and members: statement triggers fire only on the table the
 * statement names (Firing with top == null); the rows written into its
 * partitions or inheritance children fire those relations' row triggers
 * (member firings, RowTriggers.forMember) and queue into the statement's
 * firing, so every AFTER ROW event fires, in order, at the statement's end.
 * A ROW trigger of a partitioned table is not copied into pg_trigger rows of
 * its partitions (PostgreSQL's clones): it is looked up from each partition's
 * partitioned ancestors when the partition's triggers are resolved, so a
 * partition created or attached later has it at once and DROP TRIGGER on the
 * parent removes it everywhere; the clone rules are enforced by name (a
 * partition cannot have or drop one of the same name: 42710, 2BP01), and an
 * inherited BEFORE ROW trigger must not move the row out of the partition.
 *
 *   UPDATE moving a row (ModifyTable.update):
 *     BEFORE UPDATE (source) ─▶ BEFORE DELETE (source; NULL keeps the row)
 *       ─▶ delete ─▶ AFTER DELETE queued ─▶ route ─▶ BEFORE INSERT (destination)
 *       ─▶ insert ─▶ AFTER INSERT queued ─▶ both versions into UPDATE's
 *          transition tables (no AFTER UPDATE row event)
 *
 * Transition tables (tgoldtable/tgnewtable): the statement's firing captures
 * the rows of its event (members' rows mapped into the named table's column
 * order) when one of its AFTER triggers names a table; while such a trigger
 * runs, its names are readable as relations (NamedTuplestoreScan, scope
 * stack below) by the SQL of the trigger function. INSERT ... ON CONFLICT DO
 * UPDATE also fires the table's UPDATE statement triggers, BEFORE/AFTER
 * UPDATE row triggers for the rows it updates, and fills UPDATE's transition
 * tables with them. COPY FROM fires INSERT's triggers. Not done: INSTEAD OF
 * triggers on views (see UpdatableViews), deferred constraint triggers.
 */
/** CREATE/DROP TRIGGER and the firing of triggers; see the design notes. */
final class Triggers {
    static final int ROW = 1, BEFORE = 2, INSERT = 4, DELETE = 8, UPDATE = 16, TRUNCATE = 32, INSTEAD = 64;

    /** A pg_trigger row. */
    record Trig(long tid, int oid, int relation, String name, int function, int type, List<String> args,
            int[] columns, String when, String oldTable, String newTable, int clonedFrom) {
    }

    /** Scanned WHEN conditions, by text. */
    private final java.util.Map<String, java.util.Map<modgres.sql.pl.PlAst.Sql, List<modgres.sql.parser.Token>>>
            conditionTokens = new java.util.HashMap<>();

    private final DataPath data;

    Triggers(DataPath data) {
        this.data = data;
    }

    private List<Trig> all() {
        // read once per catalog snapshot: every write asks for its table's triggers
        return data.catalog().derived(ALL_TRIGGERS, k -> readAll());
    }

    private static final Object ALL_TRIGGERS = new Object();

    private List<Trig> readAll() {
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
                    (String) r.get(t, "tgqual"), (String) r.get(t, "tgoldtable"), (String) r.get(t, "tgnewtable"),
                    0));
        }
        out.sort(Comparator.comparing(Trig::name));
        return List.copyOf(out);
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
        String[] transition = transitionTables(ct, rel);
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
        checkClonesNameClash(rel, ct.name(), ct.forEachRow());
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
        row[t.column("tgoldtable")] = transition[0];
        row[t.column("tgnewtable")] = transition[1];
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

    /**
     * A ROW trigger of a partitioned table is a trigger of each of its partitions too (as PostgreSQL's clones):
     * its name must be free on every partition below, and a partition cannot take the name of one it inherits.
     */
    private void checkClonesNameClash(Relation rel, String name, boolean row) {
        var inh = data.catalog().inheritance();
        List<Trig> all = all();
        for (int p = inh.partitionParent(rel.oid()); p != 0; p = inh.partitionParent(p)) {
            for (Trig t : all) {
                if (t.relation() == p && (t.type() & ROW) != 0 && t.name().equals(name)) {
                    throw new PgException("42710", "trigger \"" + name + "\" for relation \"" + rel.name()
                            + "\" already exists");
                }
            }
        }
        if (!row || rel.kind() != 'p') {
            return;
        }
        for (int d : inh.descendants(rel.oid())) {
            for (Trig t : all) {
                if (t.relation() == d && t.name().equals(name)) {
                    Relation part = data.catalog().relation(d);
                    throw new PgException("42710", "trigger \"" + name + "\" for relation \""
                            + (part == null ? "?" : part.name()) + "\" already exists");
                }
            }
        }
    }

    /**
     * REFERENCING OLD TABLE / NEW TABLE: the names (old, new; null when absent) after PostgreSQL's checks of
     * CreateTrigger: AFTER triggers of one event, no column list, not TRUNCATE, OLD for DELETE/UPDATE and NEW
     * for INSERT/UPDATE, two different names, and no ROW trigger on a partition or inheritance child.
     */
    private String[] transitionTables(Ddl.CreateTrigger ct, Relation rel) {
        String[] names = new String[2];
        if (ct.referencing().isEmpty()) {
            return names;
        }
        var inh = data.catalog().inheritance();
        if (ct.forEachRow() && inh.partitionParent(rel.oid()) != 0) {
            throw new PgException("0A000", "ROW triggers with transition tables are not supported on partitions");
        }
        if (ct.forEachRow() && !inh.parents(rel.oid()).isEmpty()) {
            throw new PgException("0A000", "ROW triggers with transition tables are not supported on inheritance"
                    + " children");
        }
        if (ct.timing() != 'A') {
            throw new PgException("42P17", "transition table name can only be specified for an AFTER trigger");
        }
        if (ct.events().contains("TRUNCATE")) {
            throw new PgException("0A000", "TRUNCATE triggers with transition tables are not supported");
        }
        if (ct.events().size() > 1) {
            throw new PgException("0A000", "transition tables cannot be specified for triggers with more than one"
                    + " event");
        }
        if (!ct.updateColumns().isEmpty()) {
            throw new PgException("0A000", "transition tables cannot be specified for triggers with column lists");
        }
        String event = ct.events().get(0);
        for (String r : ct.referencing()) {
            boolean old = r.startsWith("OLD ");
            String name = r.substring(4);
            if (old) {
                if (event.equals("INSERT")) {
                    throw new PgException("42P17", "OLD TABLE can only be specified for a DELETE or UPDATE trigger");
                }
                if (names[0] != null) {
                    throw new PgException("42P17", "OLD TABLE cannot be specified multiple times");
                }
                names[0] = name;
            } else {
                if (event.equals("DELETE")) {
                    throw new PgException("42P17", "NEW TABLE can only be specified for an INSERT or UPDATE trigger");
                }
                if (names[1] != null) {
                    throw new PgException("42P17", "NEW TABLE cannot be specified multiple times");
                }
                names[1] = name;
            }
        }
        if (names[0] != null && names[0].equals(names[1])) {
            throw new PgException("42P17", "OLD TABLE name and NEW TABLE name cannot be the same");
        }
        return names;
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
            Relation rel = data.tableOfDrop(o.table(), d.ifExists(), p);
            if (rel == null) {
                continue;
            }
            Trig found = null;
            for (Trig t : of(rel.oid())) {
                if (t.name().equals(name)) {
                    found = t;
                }
            }
            if (found == null) {
                var inh = data.catalog().inheritance();
                for (int up = inh.partitionParent(rel.oid()); up != 0; up = inh.partitionParent(up)) {
                    for (Trig t : of(up)) {
                        if (t.name().equals(name) && (t.type() & ROW) != 0) {
                            String owner = data.catalog().relation(up).name();
                            throw new PgException("2BP01", "cannot drop trigger " + name + " on table " + rel.name()
                                    + " because trigger " + name + " on table " + owner + " requires it", null,
                                    "You can drop trigger " + name + " on table " + owner + " instead.");
                        }
                    }
                }
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

    /**
     * The row triggers that fire for rows of {@code rel}: its own and those of its partitioned ancestors (a
     * ROW trigger on a partitioned table stands for a clone on each of its partitions, present and future,
     * with the UPDATE OF columns mapped by name), in name order.
     */
    private List<Trig> rowTriggers(Relation rel, int bit) {
        List<Trig> out = new ArrayList<>();
        List<Trig> all = all();
        for (Trig t : all) {
            if (t.relation() == rel.oid() && (t.type() & ROW) != 0 && (t.type() & bit) != 0) {
                out.add(t);
            }
        }
        var inh = data.catalog().inheritance();
        for (int p = inh.partitionParent(rel.oid()); p != 0; p = inh.partitionParent(p)) {
            Relation parent = data.catalog().relation(p);
            if (parent == null) {
                break;
            }
            for (Trig t : all) {
                if (t.relation() == p && (t.type() & ROW) != 0 && (t.type() & bit) != 0) {
                    out.add(cloneFor(t, parent, rel));
                }
            }
        }
        out.sort(Comparator.comparing(Trig::name));
        return out;
    }

    /** A partitioned table's ROW trigger as it fires on its partition {@code rel}. */
    private static Trig cloneFor(Trig t, Relation parent, Relation rel) {
        int[] cols = new int[t.columns().length];
        for (int i = 0; i < cols.length; i++) {
            Relation.Column c = rel.column(parent.columns().get(t.columns()[i] - 1).name());
            cols[i] = c == null ? 0 : c.attnum();
        }
        return new Trig(t.tid(), t.oid(), rel.oid(), t.name(), t.function(), t.type(), t.args(), cols, t.when(),
                t.oldTable(), t.newTable(), parent.oid());
    }

    /**
     * The triggers of a statement's event on the table it names, or null when the database has no trigger at
     * all: its statement triggers, and its row triggers unless it is partitioned (its partitions' clones fire
     * for the rows, through {@link RowTriggers#forMember}).
     */
    RowTriggers forStatement(Relation rel, String kind) {
        List<CatalogStore.Row> rows = data.catalog().rows(SysTable.PG_TRIGGER);
        if (rows == null || rows.isEmpty()) {
            return null;
        }
        int bit = eventBit(kind);
        List<Trig> ts = new ArrayList<>();
        for (Trig t : of(rel.oid())) {
            if ((t.type() & ROW) == 0 && (t.type() & bit) != 0) {
                ts.add(t);
            }
        }
        if (rel.kind() != 'p') {
            ts.addAll(rowTriggers(rel, bit));
        }
        ts.sort(Comparator.comparing(Trig::name));
        return new Firing(rel, kind, ts, null);
    }

    /** TRUNCATE's statement triggers, before or after the truncation. */
    void truncate(Relation rel, boolean before, ExecState ex) {
        List<Trig> ts = of(rel.oid()).stream().filter(t -> (t.type() & TRUNCATE) != 0
                && ((t.type() & BEFORE) != 0) == before).toList();
        Firing f = new Firing(rel, "TRUNCATE", ts, null);
        for (Trig t : ts) {
            f.fire(ex, t, null, null);
        }
    }

    // ---------------------------------------------------------------- transition tables

    /** A transition table while its trigger runs: the named table's live columns and the captured rows. */
    record TransitionRows(List<String> names, int[] types, List<Object[]> rows) {
    }

    /** The transition tables of the triggers now running, innermost last (a trigger's SQL sees the innermost). */
    private final java.util.ArrayDeque<java.util.Map<String, TransitionRows>> transitionScopes =
            new java.util.ArrayDeque<>();

    /** Makes the innermost transition tables readable by name in what {@code p} plans. */
    void exposeTransitionTables(Planner p) {
        java.util.Map<String, TransitionRows> scope = transitionScopes.peekLast();
        if (scope == null) {
            return;
        }
        for (var e : scope.entrySet()) {
            String name = e.getKey();
            modgres.sql.exec.NamedTuplestoreScan.register(p, name, e.getValue().names(), e.getValue().types(),
                    () -> {
                        java.util.Map<String, TransitionRows> now = transitionScopes.peekLast();
                        TransitionRows r = now == null ? null : now.get(name);
                        return r == null ? List.of() : r.rows();
                    });
        }
    }

    /** Part of a cached plan's key: the shapes of the transition tables in scope ("" when none). */
    String transitionSignature() {
        java.util.Map<String, TransitionRows> scope = transitionScopes.peekLast();
        if (scope == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (var e : new java.util.TreeMap<>(scope).entrySet()) {
            b.append(e.getKey()).append(e.getValue().names()).append(java.util.Arrays.toString(e.getValue().types()));
        }
        return b.toString();
    }

    /** One queued AFTER ROW event: the firing whose triggers apply, and the row versions. */
    private record Event(Firing firing, Object[] oldRow, Object[] newRow) {
    }

    /**
     * The triggers of one relation for one event within a statement. The statement's firing (top == null)
     * fires the statement triggers of the table the statement names, owns the queue of AFTER ROW events and
     * the transition tables (rows in its table's layout); the firing of a member (an inheritance child or
     * partition the statement reaches, or the source and destination partitions of a moved row) fires row
     * triggers only and queues into the statement's.
     */
    private final class Firing implements RowTriggers {
        private final Relation rel;
        private final String op;
        private final List<Trig> triggers;
        private final Firing top;
        // statement firing only
        private final List<Event> queued = new ArrayList<>();
        private final java.util.Map<String, Firing> members = new java.util.HashMap<>();
        private final List<Object[]> oldRows = new ArrayList<>();
        private final List<Object[]> newRows = new ArrayList<>();
        private boolean captureOld;
        private boolean captureNew;
        /** Member firing: column i of the statement's table is column toTop[i] here (-1: none). */
        private int[] toTop;

        Firing(Relation rel, String op, List<Trig> triggers, Firing top) {
            this.rel = rel;
            this.op = op;
            this.triggers = triggers;
            this.top = top;
            if (top == null) {
                for (Trig t : triggers) {
                    if ((t.type() & BEFORE) == 0) {
                        captureOld |= t.oldTable() != null;
                        captureNew |= t.newTable() != null;
                    }
                }
            }
        }

        private Firing statement() {
            return top == null ? this : top;
        }

        @Override
        public RowTriggers forMember(Relation member, String memberOp) {
            Firing st = statement();
            String key = member.oid() + "/" + memberOp;
            Firing f = st.members.get(key);
            if (f == null) {
                f = new Firing(member, memberOp, rowTriggers(member, eventBit(memberOp)), st);
                int[] map = new int[st.rel.columns().size()];
                for (int i = 0; i < map.length; i++) {
                    Relation.Column c = st.rel.columns().get(i);
                    Relation.Column m = c.dropped() ? null : member.column(c.name());
                    map[i] = m == null ? -1 : m.attnum() - 1;
                }
                f.toTop = map;
                st.members.put(key, f);
            }
            return f;
        }

        /** A row of this firing's relation in the statement table's layout. */
        private Object[] inTopLayout(Object[] row) {
            int width = statement().rel.columns().size();
            if (toTop == null) {
                return java.util.Arrays.copyOf(row, width);
            }
            Object[] out = new Object[width];
            for (int i = 0; i < width; i++) {
                out[i] = toTop[i] < 0 || toTop[i] >= row.length ? null : row[toTop[i]];
            }
            return out;
        }

        @Override
        public void movedRow(Object[] oldTopRow, Object[] newTopRow) {
            Firing st = statement();
            int width = st.rel.columns().size();
            if (st.captureOld) {
                st.oldRows.add(java.util.Arrays.copyOf(oldTopRow, width));
            }
            if (st.captureNew) {
                st.newRows.add(java.util.Arrays.copyOf(newTopRow, width));
            }
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
        /** The partition constraint of rel (null: none or not known). */
        private java.util.function.Predicate<Object[]> stays;

        @Override
        public void partitionCheck(java.util.function.Predicate<Object[]> holds) {
            stays = holds;
        }

        /** After an inherited BEFORE ROW trigger: the row must still belong to this partition. */
        private void checkStays(Trig t, Object[] row) {
            if (t.clonedFrom() == 0 || stays == null || stays.test(row)) {
                return;
            }
            Namespace ns = data.catalog().namespace(rel.namespace());
            throw new PgException("0A000", "moving row to another partition during a BEFORE FOR EACH ROW trigger"
                    + " is not supported", "Before executing trigger \"" + t.name() + "\", the row was to be in"
                    + " partition \"" + (ns == null ? "" : ns.name() + ".") + rel.name() + "\".", null);
        }

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
            java.util.Map<String, TransitionRows> scope = transitionScope(t);
            if (scope != null) {
                transitionScopes.addLast(scope);
            }
            try {
                return data.functions.callTrigger(fn, tg, ex).value();
            } finally {
                if (scope != null) {
                    transitionScopes.removeLast();
                }
            }
        }

        /** The transition tables trigger {@code t} names, over the statement's captured rows; null if none. */
        private java.util.Map<String, TransitionRows> transitionScope(Trig t) {
            if (t.oldTable() == null && t.newTable() == null) {
                return null;
            }
            Firing st = statement();
            List<String> names = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            List<Integer> live = new ArrayList<>();
            for (Relation.Column c : st.rel.columns()) {
                if (!c.dropped()) {
                    names.add(c.name());
                    types.add(c.type());
                    live.add(c.attnum() - 1);
                }
            }
            int[] ty = types.stream().mapToInt(Integer::intValue).toArray();
            java.util.Map<String, TransitionRows> scope = new java.util.HashMap<>();
            if (t.oldTable() != null) {
                scope.put(t.oldTable(), new TransitionRows(names, ty, project(st.oldRows, live)));
            }
            if (t.newTable() != null) {
                scope.put(t.newTable(), new TransitionRows(names, ty, project(st.newRows, live)));
            }
            return scope;
        }

        private static List<Object[]> project(List<Object[]> rows, List<Integer> live) {
            List<Object[]> out = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                Object[] p = new Object[live.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = r[live.get(i)];
                }
                out.add(p);
            }
            return out;
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
                    if (i < 0) {
                        continue;
                    }
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
            if (top != null) {
                return; // a member: the statement's firing fires the statement triggers
            }
            current = ex;
            queued.clear();
            members.clear();
            oldRows.clear();
            newRows.clear();
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
            return beforeUpdate(ex, null, row); // the same chain, without an OLD row
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
                    checkStays(t, next);
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
            Firing st = statement();
            if (top == null && rel.kind() == 'p') {
                return; // the partitions' firings queued and captured the row
            }
            int width = rel.columns().size();
            Object[] o = oldRow == null ? null : java.util.Arrays.copyOf(oldRow, width);
            Object[] n = newRow == null ? null : java.util.Arrays.copyOf(newRow, width);
            for (Trig t : triggers) {
                if ((t.type() & ROW) != 0 && (t.type() & BEFORE) == 0) {
                    st.queued.add(new Event(this, o, n));
                    break;
                }
            }
            if (op.equals(st.op)) {
                if (st.captureOld && o != null) {
                    st.oldRows.add(inTopLayout(o));
                }
                if (st.captureNew && n != null) {
                    st.newRows.add(inTopLayout(n));
                }
            }
        }

        @Override
        public void afterStatement(ExecState ex) {
            if (top != null) {
                return;
            }
            fireQueuedRows(ex);
            for (Trig t : triggers) {
                if (applies(t, false, false, null, null)) {
                    fire(ex, t, null, null);
                }
            }
            oldRows.clear();
            newRows.clear();
        }

        @Override
        public void fireQueuedRows(ExecState ex) {
            if (top != null) {
                return;
            }
            current = ex;
            List<Event> events = new ArrayList<>(queued);
            queued.clear();
            for (Event e : events) {
                e.firing().current = ex;
                for (Trig t : e.firing().triggers) {
                    if (e.firing().applies(t, false, true, e.oldRow(), e.newRow())) {
                        e.firing().fire(ex, t, e.oldRow(), e.newRow());
                    }
                }
            }
        }
    }
}
