package modgres.sql.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import modgres.api.error.PgException;
import modgres.sql.ast.Alias;
import modgres.sql.ast.ColumnTarget;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.Dml;
import modgres.sql.ast.Expr;
import modgres.sql.ast.FromItem;
import modgres.sql.ast.ObjectRef;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.ResTarget;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SetClause;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.ast.Statement;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.exec.Planner;
import modgres.sql.exec.UpdatableViews;
import modgres.sql.parser.SqlParser;

/*
 * Design notes: rewrite rules (CREATE RULE / DROP RULE, PostgreSQL's rewriteHandler.c for non-SELECT rules).
 *
 * Storage: a pg_rewrite row per rule (rulename, ev_class = the table, ev_type '2' UPDATE, '3' INSERT, '4'
 * DELETE, is_instead, ev_qual = the WHERE as SQL text, ev_action = the commands as canonical SQL text separated
 * by U+001E; empty for NOTHING); pg_class.relhasrules is set. Views' _RETURN rules stay where DdlExecutor puts
 * them and are never applied here.
 *
 * Application: a statement on a table with rules for its event becomes a sequence of statements run in turn in
 * the same transaction (each its own statement, as PostgreSQL runs a rewritten query list):
 *
 *   INSERT ... VALUES r1, r2 (or DEFAULT VALUES)
 *     the original (unless an unconditional INSTEAD rule; with conditional INSTEAD rules one INSERT per row
 *     with WHERE (qual) IS NOT TRUE for each), then for each rule (by name) each action once per row with
 *     NEW.c replaced by the row's value for c (its default, or NULL); a rule's WHERE becomes the action's
 *     condition (an INSERT ... VALUES action turns into INSERT ... SELECT * FROM (VALUES ...) WHERE qual).
 *   UPDATE t [a] SET ... WHERE w / DELETE FROM t [a] WHERE w
 *     first each action, run over the rows the original matches: the action gets FROM t AS a (USING for a
 *     DELETE action) and WHERE w AND qual, OLD.c read as a.c, NEW.c as the SET expression of c (else a.c);
 *     an INSERT ... VALUES action becomes INSERT ... SELECT row FROM t AS a WHERE ...; then the original
 *     (unless an unconditional INSTEAD rule; a conditional one adds AND (qual) IS NOT TRUE).
 *
 * The command tag counts the original's rows; when INSTEAD rules replaced it, the rows of the last action of
 * the same command (PostgreSQL's tag of the replacing query), else 0. Not handled (0A000): INSERT ... SELECT
 * and ON CONFLICT, UPDATE ... FROM, DELETE ... USING, RETURNING, SELECT and NOTIFY actions, rules ON SELECT.
 */
/** CREATE RULE, DROP RULE and the rewriting of statements on tables with rules; see the design notes. */
final class Rules {
    /** A rule as stored. */
    record Rule(int oid, String name, int table, String event, boolean instead, String qual, List<String> actions) {
    }

    /** A statement rewritten by rules: the statements to run, which of them are the original's, the kind. */
    record Sequence(List<Statement> statements, List<Boolean> original, String kind, boolean replaced) {
    }

    private static final String SEPARATOR = "\u001e";

    private final DataPath data;

    Rules(DataPath data) {
        this.data = data;
    }

    private static String eventCode(String event) {
        return switch (event) {
            case "SELECT" -> "1";
            case "UPDATE" -> "2";
            case "INSERT" -> "3";
            default -> "4";
        };
    }

    static String eventName(String code) {
        return switch (code) {
            case "1" -> "SELECT";
            case "2" -> "UPDATE";
            case "3" -> "INSERT";
            default -> "DELETE";
        };
    }

    /** The rules of a table (not views' _RETURN rules), by name. */
    List<Rule> of(int table) {
        // read once per catalog snapshot: every INSERT / UPDATE / DELETE asks for its table's rules
        return data.catalog().derived(new RulesOf(table), k -> read(table));
    }

    private record RulesOf(int table) {
    }

    private List<Rule> read(int table) {
        List<Rule> out = new ArrayList<>();
        SysTable t = SysTable.PG_REWRITE;
        for (CatalogStore.Row r : data.catalog().rowsWhere(t, "ev_class", table)) {
            String name = (String) r.get(t, "rulename");
            if (name.equals("_RETURN")) {
                continue;
            }
            String act = (String) r.get(t, "ev_action");
            out.add(new Rule((Integer) r.get(t, "oid"), name, table, eventName((String) r.get(t, "ev_type")),
                    (Boolean) r.get(t, "is_instead"), (String) r.get(t, "ev_qual"),
                    act == null || act.isEmpty() ? List.of() : List.of(act.split(SEPARATOR))));
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(out);
    }

    private List<Rule> of(int table, String event) {
        return of(table).stream().filter(r -> r.event().equals(event)).toList();
    }

    // ------------------------------------------------------------------ DDL

    String create(Ddl.CreateRule cr, Planner p) {
        Relation rel = p.relation(cr.table());
        if (cr.event().equals("SELECT")) {
            throw new PgException("0A000", "rules ON SELECT are not supported (use a view)");
        }
        if (rel.kind() != 'r' && rel.kind() != 'p') {
            throw new PgException("0A000", "rules on \"" + rel.name() + "\" are not supported yet: only on tables");
        }
        data.txn.lockRelation(rel.oid(), modgres.api.txn.LockMode.ACCESS_EXCLUSIVE);
        SysTable t = SysTable.PG_REWRITE;
        CatalogStore.Row existing = null;
        for (CatalogStore.Row r : data.catalog().rowsWhere(t, "ev_class", rel.oid())) {
            if (cr.name().equals(r.get(t, "rulename"))) {
                existing = r;
            }
        }
        if (existing != null && !cr.orReplace()) {
            throw new PgException("42710", "rule \"" + cr.name() + "\" for relation \"" + rel.name()
                    + "\" already exists");
        }
        List<String> actions = new ArrayList<>();
        for (Statement a : cr.actions()) {
            actions.add(SqlDeparser.deparse(a));
        }
        Object[] row = new Object[t.columns().size()];
        row[t.column("oid")] = existing != null ? existing.get(t, "oid") : data.txn.newOid();
        row[t.column("rulename")] = cr.name();
        row[t.column("ev_class")] = rel.oid();
        row[t.column("ev_type")] = eventCode(cr.event());
        row[t.column("ev_enabled")] = "O";
        row[t.column("is_instead")] = cr.instead();
        row[t.column("ev_qual")] = cr.where() == null ? null : SqlDeparser.deparse(cr.where());
        row[t.column("ev_action")] = String.join(SEPARATOR, actions);
        if (existing != null) {
            data.store.update(t, existing.tid(), row, data.txn);
        } else {
            data.store.insert(t, row, data.txn);
        }
        CatalogStore.Row cls = data.catalog().row(SysTable.PG_CLASS, "oid", rel.oid());
        if (cls != null && !Boolean.TRUE.equals(cls.get(SysTable.PG_CLASS, "relhasrules"))) {
            Object[] v = cls.values().clone();
            v[SysTable.PG_CLASS.column("relhasrules")] = true;
            data.store.update(SysTable.PG_CLASS, cls.tid(), v, data.txn);
        }
        data.txn.catalogChanged();
        data.invalidate();
        return "CREATE RULE";
    }

    String drop(Ddl.Drop d, Planner p) {
        for (ObjectRef o : d.objects()) {
            String name = o.name().get(0);
            Relation rel = data.tableOfDrop(o.table(), d.ifExists(), p);
            if (rel == null) {
                continue;
            }
            CatalogStore.Row found = null;
            for (CatalogStore.Row r : data.catalog().rowsWhere(SysTable.PG_REWRITE, "ev_class", rel.oid())) {
                if (name.equals(r.get(SysTable.PG_REWRITE, "rulename")) && !name.equals("_RETURN")) {
                    found = r;
                }
            }
            if (found == null) {
                if (d.ifExists()) {
                    data.noticeSink.accept(new modgres.api.sql.Notice("NOTICE", "00000", "rule \"" + name
                            + "\" for relation \"" + rel.name() + "\" does not exist, skipping", null, null, 0));
                    continue;
                }
                throw new PgException("42704", "rule \"" + name + "\" for relation \"" + rel.name()
                        + "\" does not exist");
            }
            data.txn.lockRelation(rel.oid(), modgres.api.txn.LockMode.ACCESS_EXCLUSIVE);
            data.store.delete(SysTable.PG_REWRITE, found.tid(), data.txn);
        }
        data.txn.catalogChanged();
        data.invalidate();
        return "DROP RULE";
    }

    // ------------------------------------------------------------------ pg_get_ruledef

    /** pg_get_ruledef(oid [, pretty]): the rule's CREATE RULE, in PostgreSQL's layout; null for an unknown OID. */
    static String ruleDef(modgres.sql.catalog.CatalogView cat, int oid, boolean pretty) {
        if (cat == null) {
            return null;
        }
        SysTable t = SysTable.PG_REWRITE;
        CatalogStore.Row r = cat.row(t, "oid", oid);
        if (r == null) {
            return null;
        }
        Relation rel = cat.relation((Integer) r.get(t, "ev_class"));
        if (rel == null) {
            return null;
        }
        String name = (String) r.get(t, "rulename");
        if (name.equals("_RETURN")) {
            return "CREATE RULE \"_RETURN\" AS\n    ON SELECT TO " + rel.name() + " DO INSTEAD  "
                    + r.get(t, "ev_action") + ";";
        }
        StringBuilder sb = new StringBuilder("CREATE RULE ").append(modgres.sql.ast.Keywords.quoteIdentifier(name))
                .append(" AS\n    ON ").append(eventName((String) r.get(t, "ev_type"))).append(" TO ");
        modgres.sql.catalog.Namespace ns = cat.namespace(rel.namespace());
        if (!pretty && ns != null) {
            sb.append(modgres.sql.ast.Keywords.quoteIdentifier(ns.name())).append('.');
        }
        sb.append(modgres.sql.ast.Keywords.quoteIdentifier(rel.name()));
        String qual = (String) r.get(t, "ev_qual");
        if (qual != null) {
            sb.append("\n   WHERE ").append(pretty ? qual : "(" + qual + ")");
        }
        sb.append(" DO ");
        if ((Boolean) r.get(t, "is_instead")) {
            sb.append("INSTEAD ");
        }
        String act = (String) r.get(t, "ev_action");
        List<String> actions = act == null || act.isEmpty() ? List.of() : List.of(act.split(SEPARATOR));
        if (actions.isEmpty()) {
            sb.append("NOTHING;");
        } else if (actions.size() == 1) {
            sb.append(' ').append(layout(actions.get(0))).append(';');
        } else {
            sb.append("( ");
            for (String a : actions) {
                sb.append(layout(a)).append(";\n\n ");
            }
            sb.setLength(sb.length() - 3);
            sb.append("\n);");
        }
        return sb.toString();
    }

    /**
     * An action laid out as PostgreSQL's ruleutils prints an INSERT: a one-row VALUES on its own line
     * ("\n  VALUES (...)"), a SELECT without FROM after two spaces with one target per line; others as stored.
     */
    private static String layout(String action) {
        Statement st;
        try {
            st = SqlParser.parseStatement(action);
        } catch (RuntimeException e) {
            return action;
        }
        if (!(st instanceof Dml.Insert i) || i.source() == null || i.with() != null || i.onConflict() != null
                || !i.returning().isEmpty() || !i.source().bare()) {
            return action;
        }
        String head = SqlDeparser.deparse(new Dml.Insert(i.position(), null, i.relation(), i.columns(),
                i.overriding(), null, null, List.of()));
        if (!head.endsWith(" DEFAULT VALUES")) {
            return action;
        }
        head = head.substring(0, head.length() - " DEFAULT VALUES".length());
        List<String> items = new ArrayList<>();
        if (i.source().body() instanceof SelectStmt.Values v && v.rows().size() == 1) {
            for (Expr e : v.rows().get(0)) {
                items.add(SqlDeparser.deparse(e));
            }
            return head + "\n  VALUES (" + String.join(", ", items) + ")";
        }
        if (i.source().body() instanceof SelectStmt.Values v) {
            // several rows: PostgreSQL's VALUES list, no space inside a row, untyped literals resolved to text
            List<String> rows = new ArrayList<>();
            for (List<Expr> r : v.rows()) {
                List<String> cells = new ArrayList<>();
                for (Expr e : r) {
                    String text = SqlDeparser.deparse(e);
                    cells.add(e instanceof Expr.Constant k && k.kind() == Expr.ConstKind.STRING ? text + "::text"
                            : text);
                }
                rows.add("(" + String.join(",", cells) + ")");
            }
            return head + " VALUES " + String.join(", ", rows);
        }
        if (i.source().body() instanceof SelectStmt.Simple sel && sel.from().isEmpty() && !sel.distinct()
                && sel.where() == null && sel.groupBy().isEmpty() && sel.having() == null) {
            for (ResTarget t : sel.targets()) {
                items.add(SqlDeparser.deparse(t.value())
                        + (t.alias() == null ? "" : " AS " + modgres.sql.ast.Keywords.quoteIdentifier(t.alias())));
            }
            return head + "  SELECT " + String.join(",\n            ", items);
        }
        return action;
    }

    // ------------------------------------------------------------------ application

    private static PgException unsupported(String what) {
        return new PgException("0A000", what + " is not supported yet");
    }

    /** {@code st} rewritten by the rules of its table, or null when it has none for its event. */
    Sequence rewrite(Statement st, Planner p) {
        if (st instanceof Dml.Insert ins) {
            Relation rel = p.relation(ins.relation());
            if (rel.kind() != 'r' && rel.kind() != 'p') {
                return null;
            }
            List<Rule> rules = of(rel.oid(), "INSERT");
            return rules.isEmpty() ? null : insert(ins, rel, rules);
        }
        if (st instanceof Dml.Update up) {
            Relation rel = p.relation(up.relation());
            if (rel.kind() != 'r' && rel.kind() != 'p') {
                return null;
            }
            List<Rule> rules = of(rel.oid(), "UPDATE");
            return rules.isEmpty() ? null : modify(up, null, rel, rules);
        }
        if (st instanceof Dml.Delete del) {
            Relation rel = p.relation(del.relation());
            if (rel.kind() != 'r' && rel.kind() != 'p') {
                return null;
            }
            List<Rule> rules = of(rel.oid(), "DELETE");
            return rules.isEmpty() ? null : modify(null, del, rel, rules);
        }
        return null;
    }

    private static Expr nullConst() {
        return new Expr.Constant(0, Expr.ConstKind.NULL, null);
    }

    /** A NULL of the column's type (an untyped NULL in INSERT ... SELECT would be text). */
    private static Expr typedNull(Relation.Column col) {
        modgres.sql.types.Type t = modgres.sql.types.Types.byOid(col.type());
        return t == null ? nullConst() : SqlParser.parseExpression("NULL::" + t.format(col.typmod()));
    }

    private static Expr and(Expr a, Expr b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : new Expr.BoolExpr(a.position(), Expr.BoolOp.AND, List.of(a, b));
    }

    private static Expr notTrue(Expr q) {
        return new Expr.BooleanTest(q.position(), q, Expr.BoolTestKind.IS_NOT_TRUE);
    }

    /** NEW.c / OLD.c replaced as {@code newCol} / {@code oldCol} say (null: not available here). */
    private static Function<Expr.ColumnRef, Expr> newOld(Function<String, Expr> newCol, Function<String, Expr> oldCol) {
        return cr -> {
            if (cr.star() || cr.fields().size() != 2) {
                return cr;
            }
            String q = cr.fields().get(0).toLowerCase(Locale.ROOT);
            Function<String, Expr> f = q.equals("new") ? newCol : q.equals("old") ? oldCol : null;
            if (f == null) {
                return cr;
            }
            Expr e = f.apply(cr.fields().get(1));
            if (e == null) {
                throw new PgException("42P01", "missing FROM-clause entry for table \"" + q + "\"", null, null,
                        cr.position(), null);
            }
            return e;
        };
    }

    private static Statement parse(String sql) {
        return SqlParser.parseStatement(sql);
    }

    /** An action made conditional on {@code cond} (null: as it is). */
    private static Statement conditional(Statement a, Expr cond) {
        if (cond == null) {
            return a;
        }
        if (a instanceof Dml.Insert i) {
            SelectStmt src = i.source();
            if (src == null) {
                throw unsupported("a conditional rule action INSERT ... DEFAULT VALUES");
            }
            SelectStmt.Simple s;
            if (src.body() instanceof SelectStmt.Values v && src.bare() && v.rows().size() == 1) {
                // one row: SELECT its values WHERE cond (untyped literals keep taking the column's type)
                List<ResTarget> targets = new ArrayList<>();
                for (Expr e : v.rows().get(0)) {
                    targets.add(new ResTarget(e.position(), e, null));
                }
                s = new SelectStmt.Simple(i.position(), false, List.of(), targets, null, List.of(), cond, false,
                        List.of(), null, List.of());
            } else {
                FromItem from = new FromItem.Subselect(i.position(), false, src, new Alias("*SELECT*", List.of()));
                s = new SelectStmt.Simple(i.position(), false, List.of(),
                        List.of(new ResTarget(i.position(), new Expr.ColumnRef(i.position(), List.of(), true), null)),
                        null, List.of(from), cond, false, List.of(), null, List.of());
            }
            return new Dml.Insert(i.position(), i.with(), i.relation(), i.columns(), i.overriding(),
                    SelectStmt.of(s), i.onConflict(), i.returning());
        }
        if (a instanceof Dml.Update u) {
            return new Dml.Update(u.position(), u.with(), u.relation(), u.set(), u.from(), and(u.where(), cond),
                    u.returning());
        }
        if (a instanceof Dml.Delete d) {
            return new Dml.Delete(d.position(), d.with(), d.relation(), d.using(), and(d.where(), cond),
                    d.returning());
        }
        throw unsupported("a rule action " + a.getClass().getSimpleName().toUpperCase(Locale.ROOT));
    }

    private static void checkAction(Statement a) {
        if (!(a instanceof Dml)) {
            throw unsupported("a rule action other than INSERT, UPDATE or DELETE");
        }
        if (a instanceof Dml.Insert i && i.onConflict() != null) {
            throw unsupported("ON CONFLICT in a rule action");
        }
    }

    private Sequence insert(Dml.Insert ins, Relation rel, List<Rule> rules) {
        if (!ins.returning().isEmpty()) {
            throw unsupported("RETURNING on a table with rules");
        }
        if (ins.onConflict() != null) {
            throw unsupported("INSERT ... ON CONFLICT on a table with rules");
        }
        List<Relation.Column> targets = new ArrayList<>();
        if (ins.columns().isEmpty()) {
            targets.addAll(rel.liveColumns());
        } else {
            for (ColumnTarget ct : ins.columns()) {
                Relation.Column c = rel.column(ct.name());
                if (c == null || !ct.indirection().isEmpty()) {
                    throw unsupported("this INSERT on a table with rules");
                }
                targets.add(c);
            }
        }
        List<Map<String, Expr>> rows = new ArrayList<>();
        SelectStmt src = ins.source();
        if (src == null) {
            rows.add(new LinkedHashMap<>());
        } else if (src.body() instanceof SelectStmt.Values v && src.bare()) {
            for (List<Expr> r : v.rows()) {
                Map<String, Expr> m = new LinkedHashMap<>();
                for (int i = 0; i < r.size() && i < targets.size(); i++) {
                    if (!(r.get(i) instanceof Expr.Default)) {
                        m.put(targets.get(i).name(), r.get(i));
                    }
                }
                rows.add(m);
            }
        } else {
            throw unsupported("INSERT ... SELECT on a table with rules");
        }
        List<Statement> out = new ArrayList<>();
        List<Boolean> original = new ArrayList<>();
        boolean replaced = rules.stream().anyMatch(r -> r.instead() && r.qual() == null);
        boolean conditionalInstead = rules.stream().anyMatch(r -> r.instead() && r.qual() != null);
        List<List<Statement>> actionsPerRule = new ArrayList<>();
        List<Expr> keepConds = new ArrayList<>();
        for (Map<String, Expr> row : rows) {
            Function<String, Expr> newCol = c -> {
                Relation.Column col = rel.column(c);
                if (col == null) {
                    throw new PgException("42703", "column new." + c + " does not exist");
                }
                Expr e = row.get(col.name());
                if (e != null) {
                    return e;
                }
                return col.defaultExpr() == null ? typedNull(col) : SqlParser.parseExpression(col.defaultExpr());
            };
            Function<Expr.ColumnRef, Expr> sub = newOld(newCol, c -> null);
            Expr keep = null;
            for (Rule r : rules) {
                Expr q = r.qual() == null ? null
                    : (Expr) UpdatableViews.map(SqlParser.parseExpression(r.qual()), sub, true);
                if (r.instead() && q != null) {
                    keep = and(keep, notTrue(q));
                }
            }
            keepConds.add(keep);
        }
        if (!replaced) {
            if (!conditionalInstead) {
                out.add(ins);
                original.add(true);
            } else {
                for (int i = 0; i < rows.size(); i++) {
                    List<ColumnTarget> cols = new ArrayList<>();
                    List<Expr> vals = new ArrayList<>();
                    for (Map.Entry<String, Expr> e : rows.get(i).entrySet()) {
                        cols.add(new ColumnTarget(ins.position(), e.getKey(), List.of()));
                        vals.add(e.getValue());
                    }
                    if (vals.isEmpty()) {
                        // DEFAULT VALUES as a row: the first plain column given its default (or NULL)
                        for (Relation.Column col : rel.liveColumns()) {
                            if (col.identity().isEmpty() && col.generated().isEmpty()) {
                                cols.add(new ColumnTarget(ins.position(), col.name(), List.of()));
                                vals.add(col.defaultExpr() == null ? typedNull(col)
                                        : SqlParser.parseExpression(col.defaultExpr()));
                                break;
                            }
                        }
                    }
                    Dml.Insert one = new Dml.Insert(ins.position(), ins.with(), ins.relation(), cols,
                            ins.overriding(), vals.isEmpty() ? null
                                    : SelectStmt.of(new SelectStmt.Values(ins.position(), List.of(vals))),
                            null, List.of());
                    out.add(conditional(one, keepConds.get(i)));
                    original.add(true);
                }
            }
        }
        for (Rule r : rules) {
            for (String a : r.actions()) {
                Statement action = parse(a);
                checkAction(action);
                for (Map<String, Expr> row : rows) {
                    Function<String, Expr> newCol = c -> {
                        Relation.Column col = rel.column(c);
                        if (col == null) {
                            throw new PgException("42703", "column new." + c + " does not exist");
                        }
                        Expr e = row.get(col.name());
                        if (e != null) {
                            return e;
                        }
                        return col.defaultExpr() == null ? typedNull(col)
                                : SqlParser.parseExpression(col.defaultExpr());
                    };
                    Function<Expr.ColumnRef, Expr> sub = newOld(newCol, c -> null);
                    Expr q = r.qual() == null ? null
                            : (Expr) UpdatableViews.map(SqlParser.parseExpression(r.qual()), sub, true);
                    out.add(conditional((Statement) UpdatableViews.map(action, sub, true), q));
                    original.add(false);
                }
            }
        }
        return new Sequence(out, original, "INSERT", replaced);
    }

    private Sequence modify(Dml.Update up, Dml.Delete del, Relation rel, List<Rule> rules) {
        RangeVar target = up != null ? up.relation() : del.relation();
        Expr where = up != null ? up.where() : del.where();
        if (up != null && (!up.from().isEmpty() || !up.returning().isEmpty())
                || del != null && (!del.using().isEmpty() || !del.returning().isEmpty())) {
            throw unsupported((up != null ? "UPDATE ... FROM or RETURNING" : "DELETE ... USING or RETURNING")
                    + " on a table with rules");
        }
        String alias = target.alias() != null ? target.alias().name() : rel.name();
        Map<String, Expr> set = new LinkedHashMap<>();
        if (up != null) {
            for (SetClause sc : up.set()) {
                if (sc.multi() || sc.targets().size() != 1 || !sc.targets().get(0).indirection().isEmpty()) {
                    throw unsupported("this SET clause on a table with rules");
                }
                set.put(sc.targets().get(0).name(), sc.value());
            }
        }
        Function<String, Expr> oldCol = c -> new Expr.ColumnRef(0, List.of(alias, c), false);
        Function<String, Expr> newCol = up == null ? c -> null
                : c -> set.containsKey(c) ? set.get(c) : new Expr.ColumnRef(0, List.of(alias, c), false);
        Function<Expr.ColumnRef, Expr> sub = newOld(newCol, oldCol);
        RangeVar scan = new RangeVar(target.position(), target.catalog(), target.schema(), target.name(),
                target.inherit(), new Alias(alias, List.of()));
        List<Statement> out = new ArrayList<>();
        List<Boolean> original = new ArrayList<>();
        boolean replaced = false;
        Expr keep = null;
        for (Rule r : rules) {
            Expr q = r.qual() == null ? null
                    : (Expr) UpdatableViews.map(SqlParser.parseExpression(r.qual()), sub, true);
            if (r.instead()) {
                if (q == null) {
                    replaced = true;
                } else {
                    keep = and(keep, notTrue(q));
                }
            }
            for (String a : r.actions()) {
                Statement action = parse(a);
                checkAction(action);
                Statement m = (Statement) UpdatableViews.map(action, sub, true);
                Expr cond = and(where, q);
                if (m instanceof Dml.Insert i) {
                    if (!(i.source() != null && i.source().body() instanceof SelectStmt.Values v && i.source().bare())) {
                        throw unsupported("this rule action on UPDATE or DELETE");
                    }
                    for (List<Expr> vr : v.rows()) {
                        List<ResTarget> targets = new ArrayList<>();
                        for (Expr e : vr) {
                            targets.add(new ResTarget(e.position(), e, null));
                        }
                        SelectStmt.Simple s = new SelectStmt.Simple(i.position(), false, List.of(), targets, null,
                                List.of(scan), cond, false, List.of(), null, List.of());
                        out.add(new Dml.Insert(i.position(), i.with(), i.relation(), i.columns(), i.overriding(),
                                SelectStmt.of(s), null, List.of()));
                        original.add(false);
                    }
                } else if (m instanceof Dml.Update u) {
                    String ua = u.relation().alias() != null ? u.relation().alias().name() : u.relation().name();
                    if (ua.equals(alias)) {
                        throw unsupported("a rule action on the rule's own table");
                    }
                    List<FromItem> from = new ArrayList<>(u.from());
                    from.add(scan);
                    out.add(new Dml.Update(u.position(), u.with(), u.relation(), u.set(), from, and(u.where(), cond),
                            u.returning()));
                    original.add(false);
                } else if (m instanceof Dml.Delete d) {
                    String da = d.relation().alias() != null ? d.relation().alias().name() : d.relation().name();
                    if (da.equals(alias)) {
                        throw unsupported("a rule action on the rule's own table");
                    }
                    List<FromItem> using = new ArrayList<>(d.using());
                    using.add(scan);
                    out.add(new Dml.Delete(d.position(), d.with(), d.relation(), using, and(d.where(), cond),
                            d.returning()));
                    original.add(false);
                }
            }
        }
        if (!replaced) {
            if (up != null) {
                out.add(new Dml.Update(up.position(), up.with(), up.relation(), up.set(), up.from(),
                        and(up.where(), keep), up.returning()));
            } else {
                out.add(new Dml.Delete(del.position(), del.with(), del.relation(), del.using(),
                        and(del.where(), keep), del.returning()));
            }
            original.add(true);
        }
        return new Sequence(out, original, up != null ? "UPDATE" : "DELETE", replaced);
    }
}
