package modgres.sql.engine;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.Keywords;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.TypeSystem;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/*
 * Design notes: the catalog functions psql's describe queries call
 * (PostgreSQL's ruleutils.c, format_type.c, encnames and friends), computed
 * from the session's catalog view (the catalog as the statement's transaction
 * sees it).
 *
 * - pg_get_indexdef / pg_get_constraintdef rebuild the definition from
 *   pg_index / pg_constraint as PostgreSQL prints it: schema-qualified table
 *   in CREATE INDEX, the referenced table of a foreign key qualified only when
 *   search_path does not find it, the actions and options PostgreSQL shows.
 *   A check constraint's and a default's expression is the SQL text stored
 *   (conbin / adbin hold SQL source here, not node trees): PostgreSQL prints
 *   the expression after parse analysis (with casts it added, e.g.
 *   0::numeric); this prints it as written.
 * - Catalog arrays stored as text (datacl, the acl columns) are read by
 *   array_to_string(text, text) as array literals.
 * - Objects Modgres has no catalog rows for (triggers, extended statistics,
 *   comments) make these functions answer as PostgreSQL does for a database
 *   without them: pg_get_triggerdef of an unknown oid is NULL, and so on.
 *   pg_partition_ancestors is a set-returning function (TypeSystemImpl).
 */
/** Catalog functions for clients' describe queries; see the design notes. */
final class CatalogFunctions {
    private CatalogFunctions() {
    }

    static final int BOOL = 16, NAME = 19, INT8 = 20, INT2 = 21, INT4 = 23, TEXT = 25, OID = 26,
            REGCLASS = 2205, REGTYPE = 2206;

    /** A fork name of pg_relation_size(rel, fork), as PostgreSQL's forkname_to_number checks it. */
    private static String forkName(String fork) {
        if (!java.util.List.of("main", "fsm", "vm", "init").contains(fork)) {
            throw new modgres.api.error.PgException("22023", "invalid fork name", null,
                    "Valid fork names are \"main\", \"fsm\", \"vm\", and \"init\".");
        }
        return fork;
    }

    private static TypeSystem.Fn fn(String name, int[] args, int result, boolean strict, TypeSystem.Impl impl) {
        return new TypeSystem.Fn(name, args, result, -1, impl, strict);
    }

    private static EngineSession s(ExecState ex) {
        return (EngineSession) ex.session;
    }

    private static int oid(Object v) {
        return (int) ((Number) v).longValue();
    }

    /** pg_table_size: every fork of the relation, plus its TOAST table and the TOAST table's index. */
    private static Long tableBytes(EngineSession s, int oid) {
        Long bytes = s.relationBytes(oid, null);
        var cat = s.catalogView();
        Relation r = bytes == null || cat == null ? null : cat.relation(oid);
        if (r != null && r.toast() != null) {
            Long toast = s.relationBytes(r.toast().oid(), null);
            Long index = s.relationBytes(r.toast().indexOid(), null);
            bytes += (toast == null ? 0 : toast) + (index == null ? 0 : index);
        }
        return bytes;
    }

    /** The function, or null when it is not one of these. */
    static TypeSystem.Fn resolve(String name, int[] a) {
        int n = a.length;
        switch (name + "/" + n) {
            case "format_type/2":
                return fn(name, new int[] {OID, INT4}, TEXT, false, (x, ex) -> x[0] == null ? null
                        : ex != null && ex.types instanceof TypeSystemImpl ts && oid(x[0]) >= 16384
                                ? ts.format(oid(x[0]), x[1] == null ? -1 : (Integer) x[1]) // domains
                                : formatType(oid(x[0]), x[1] == null ? -1 : (Integer) x[1]));
            case "pg_get_expr/2":
                return fn(name, new int[] {TEXT, OID}, TEXT, true,
                        (x, ex) -> expression(s(ex), (String) x[0], oid(x[1])));
            case "pg_get_expr/3":
                return fn(name, new int[] {TEXT, OID, BOOL}, TEXT, true,
                        (x, ex) -> expression(s(ex), (String) x[0], oid(x[1])));
            case "pg_get_ruledef/1":
                return fn(name, new int[] {OID}, TEXT, true,
                        (x, ex) -> Rules.ruleDef(s(ex).catalogView(), oid(x[0]), false));
            case "pg_get_ruledef/2":
                return fn(name, new int[] {OID, BOOL}, TEXT, true,
                        (x, ex) -> Rules.ruleDef(s(ex).catalogView(), oid(x[0]), Boolean.TRUE.equals(x[1])));
            case "pg_get_indexdef/1":
                return fn(name, new int[] {OID}, TEXT, true, (x, ex) -> indexDef(s(ex), oid(x[0]), 0, false));
            case "pg_get_indexdef/3":
                return fn(name, new int[] {OID, INT4, BOOL}, TEXT, true,
                        (x, ex) -> indexDef(s(ex), oid(x[0]), (Integer) x[1], Boolean.TRUE.equals(x[2])));
            case "pg_get_constraintdef/1":
                return fn(name, new int[] {OID}, TEXT, true, (x, ex) -> constraintDef(s(ex), oid(x[0])));
            case "pg_get_constraintdef/2":
                return fn(name, new int[] {OID, BOOL}, TEXT, true, (x, ex) -> constraintDef(s(ex), oid(x[0])));
            case "pg_get_serial_sequence/2":
                return fn(name, new int[] {TEXT, TEXT}, TEXT, true,
                        (x, ex) -> s(ex).serialSequence((String) x[0], (String) x[1]));
            case "pg_relation_size/1":
                return fn(name, new int[] {REGCLASS}, INT8, true, (x, ex) -> s(ex).relationBytes(oid(x[0]), "main"));
            case "pg_relation_size/2":
                return fn(name, new int[] {REGCLASS, TEXT}, INT8, true,
                        (x, ex) -> s(ex).relationBytes(oid(x[0]), forkName((String) x[1])));
            case "pg_table_size/1":
                return fn(name, new int[] {REGCLASS}, INT8, true, (x, ex) -> tableBytes(s(ex), oid(x[0])));
            case "pg_indexes_size/1":
                return fn(name, new int[] {REGCLASS}, INT8, true, (x, ex) -> s(ex).indexesBytes(oid(x[0])));
            case "pg_total_relation_size/1":
                return fn(name, new int[] {REGCLASS}, INT8, true, (x, ex) -> {
                    Long table = tableBytes(s(ex), oid(x[0]));
                    return table == null ? null : table + s(ex).indexesBytes(oid(x[0]));
                });
            case "pg_database_size/1":
                if (a[0] == OID || a[0] == INT4 || a[0] == 20) {
                    return fn(name, new int[] {OID}, INT8, true, (x, ex) -> s(ex).databaseBytes(oid(x[0]), null));
                }
                return fn(name, new int[] {NAME}, INT8, true,
                        (x, ex) -> s(ex).databaseBytes(-1, (String) x[0]));
            case "pg_encoding_to_char/1":
                return fn(name, new int[] {INT4}, NAME, true,
                        (x, ex) -> DatabaseCommands.encodingName((Integer) x[0]));
            case "pg_char_to_encoding/1":
                return fn(name, new int[] {NAME}, INT4, true,
                        (x, ex) -> DatabaseCommands.encodingCode((String) x[0]));
            case "array_to_string/2":
                if (a[0] == TEXT) {
                    return fn(name, new int[] {TEXT, TEXT}, TEXT, true,
                            (x, ex) -> String.join((String) x[1], arrayLiteral((String) x[0])));
                }
                return null;
            case "obj_description/1", "obj_description/2", "col_description/2", "shobj_description/2":
                // COMMENT ON is not stored (no pg_description rows): every object is without a comment
                return fn(name, n == 1 ? new int[] {OID} : new int[] {OID, name.equals("col_description") ? INT4
                        : NAME}, TEXT, true, (x, ex) -> null);
            case "pg_partition_root/1":
                return fn(name, new int[] {REGCLASS}, REGCLASS, true, (x, ex) -> s(ex).catalogView() == null ? x[0]
                        : (Object) Integer.toUnsignedLong(s(ex).catalogView().inheritance().partitionRoot(oid(x[0]))));
            case "pg_get_partition_constraintdef/1":
                return fn(name, new int[] {OID}, TEXT, true, (x, ex) -> {
                    modgres.sql.exec.Planner p = s(ex).catalogPlanner();
                    return p == null ? null : modgres.sql.exec.PartitionConstraints.def(p, oid(x[0]));
                });
            case "pg_get_partkeydef/1":
                return fn(name, new int[] {OID}, TEXT, true, (x, ex) -> s(ex).catalogView() == null ? null
                        : s(ex).catalogView().inheritance().partitionKeyDef(s(ex).catalogView().relation(oid(x[0]))));
            case "pg_relation_is_publishable/1":
                return fn(name, new int[] {REGCLASS}, BOOL, true, (x, ex) -> publishable(s(ex), oid(x[0])));
            case "pg_get_triggerdef/1", "pg_get_triggerdef/2":
                // no triggers exist (pg_trigger has no rows): NULL, as for any OID that is not a trigger
                return fn(name, n == 1 ? new int[] {OID} : new int[] {OID, BOOL}, TEXT, true, (x, ex) -> null);
            case "pg_get_statisticsobjdef_columns/1":
                return fn(name, new int[] {OID}, TEXT, true, (x, ex) -> null);
            case "pg_type_is_visible/1":
                return fn(name, new int[] {OID}, BOOL, true, (x, ex) -> Types.byOid(oid(x[0])) != null);
            case "pg_get_function_result/1":
                return fn(name, new int[] {OID}, TEXT, true, (x, ex) -> {
                    modgres.sql.types.Routine r = modgres.sql.exec.ClientCatalogs.proc(((Number) x[0]).longValue());
                    if (r == null && s(ex) != null && s(ex).userFunctions() != null) {
                        return s(ex).userFunctions().resultText(((Number) x[0]).intValue());
                    }
                    return r == null || r.result() == null ? null : r.result().format(-1);
                });
            case "pg_get_function_arguments/1", "pg_get_function_identity_arguments/1":
                return fn(name, new int[] {OID}, TEXT, true, (x, ex) -> {
                    modgres.sql.types.Routine r = modgres.sql.exec.ClientCatalogs.proc(((Number) x[0]).longValue());
                    if (r == null && s(ex) != null && s(ex).userFunctions() != null) {
                        return s(ex).userFunctions().argumentsText(((Number) x[0]).intValue(),
                                name.equals("pg_get_function_identity_arguments"));
                    }
                    if (r == null) {
                        return null;
                    }
                    StringBuilder sb = new StringBuilder();
                    for (Type t : r.argTypes()) {
                        sb.append(sb.isEmpty() ? "" : ", ").append(t.format(-1));
                    }
                    return sb.toString();
                });
            case "pg_function_is_visible/1":
                return fn(name, new int[] {OID}, BOOL, true, (x, ex) -> true);
            default:
                return null;
        }
    }

    private static final java.util.regex.Pattern NEXTVAL =
            java.util.regex.Pattern.compile("nextval\\(('(?:[^']|'')*')\\)");
    private static final java.util.regex.Pattern STRING = java.util.regex.Pattern.compile("'((?:[^']|'')*)'");

    /**
     * pg_get_expr(expr, relation): the stored SQL as PostgreSQL prints the parsed expression, where the two
     * differ in the forms column defaults take: nextval's argument is a regclass ({@code nextval('s'::regclass)}),
     * and a string literal default is a constant of the column's type ({@code 'x'::text}, {@code
     * 'x'::character varying}, {@code 5} for an integer column, {@code true} for a boolean one). The column is
     * the relation's column whose default is this text (if columns of different types share the text, it is
     * printed as stored).
     */
    static String expression(EngineSession s, String expr, int relOid) {
        String out = NEXTVAL.matcher(expr).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                "nextval(" + m.group(1) + "::regclass)"));
        java.util.regex.Matcher str = STRING.matcher(expr);
        if (!str.matches()) {
            return out;
        }
        CatalogView cat = s.catalogView();
        Relation rel = cat == null ? null : cat.relation(relOid);
        Type type = null;
        for (Relation.Column c : rel == null ? List.<Relation.Column>of() : rel.columns()) {
            if (expr.equals(c.defaultExpr())) {
                Type t = Types.byOid(c.type());
                if (type != null && !type.equals(t)) {
                    return out;
                }
                type = t;
            }
        }
        if (type == null) {
            return out;
        }
        String value = str.group(1).replace("''", "'");
        if (type.typcategory() == 'N' && value.strip().matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)")) {
            return value.strip();
        }
        if (type.typcategory() == 'B') {
            String v = value.strip().toLowerCase(java.util.Locale.ROOT);
            if (List.of("t", "true", "y", "yes", "on", "1").contains(v)) {
                return "true";
            }
            if (List.of("f", "false", "n", "no", "off", "0").contains(v)) {
                return "false";
            }
        }
        return expr + "::" + type.format(-1);
    }

    static String formatType(int type, int typmod) {
        Type t = Types.byOid(type);
        return t == null ? "???" : t.format(typmod);
    }

    /** The elements of an array literal ({@code {a,"b c"}}), unquoted. */
    static List<String> arrayLiteral(String s) {
        List<String> out = new ArrayList<>();
        String body = s.strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, any = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                cur.append(body.charAt(++i));
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any || !out.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String q(String ident) {
        return Keywords.quoteIdentifier(ident);
    }

    /** The relation's name as regclass prints it: qualified unless search_path finds it. */
    static String relationName(EngineSession s, CatalogView cat, Relation r) {
        if (s.tableVisible(r.oid())) {
            return q(r.name());
        }
        Namespace ns = cat.namespace(r.namespace());
        return (ns == null ? "" : q(ns.name()) + ".") + q(r.name());
    }

    private static String columnName(Relation r, int attnum) {
        for (Relation.Column c : r.columns()) {
            if (c.attnum() == attnum) {
                return q(c.name());
            }
        }
        return "?";
    }

    private static String columnList(Relation r, int[] keys) {
        StringBuilder sb = new StringBuilder();
        for (int k : keys) {
            sb.append(sb.isEmpty() ? "" : ", ").append(columnName(r, k));
        }
        return sb.toString();
    }

    /** pg_get_indexdef(index [, column, pretty]): the CREATE INDEX command, or one key column (column > 0). */
    static String indexDef(EngineSession s, int indexOid, int column, boolean pretty) {
        CatalogView cat = s.catalogView();
        if (cat == null) {
            return null;
        }
        CatalogStore.Row ix = cat.row(SysTable.PG_INDEX, "indexrelid", indexOid);
        Relation index = cat.relation(indexOid);
        if (ix == null || index == null) {
            return null;
        }
        Relation table = cat.relation((Integer) ix.get(SysTable.PG_INDEX, "indrelid"));
        if (table == null) {
            return null;
        }
        int[] keys = CatalogView.parseInts((String) ix.get(SysTable.PG_INDEX, "indkey"));
        String indexprs = (String) ix.get(SysTable.PG_INDEX, "indexprs");
        String[] exprs = indexprs == null ? new String[0] : indexprs.split("\n");
        String[] keyTexts = new String[keys.length];
        String[] columnTexts = new String[keys.length];
        for (int i = 0, e = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                keyTexts[i] = columnName(table, keys[i]);
                columnTexts[i] = keyTexts[i];
            } else {
                String stored = e < exprs.length ? exprs[e++] : "?";
                String printed = CheckExpressionPrinter.printAny(table, stored);
                String text = printed != null ? printed : stored;
                // as pg_get_indexdef: a function call as it is, any other expression in parentheses (and, not
                // pretty, an operator's own parentheses inside them)
                boolean call = modgres.sql.parser.SqlParser.parseExpression(stored)
                        instanceof modgres.sql.ast.Expr.FuncCall;
                String full = call || pretty ? text : "(" + text + ")";
                keyTexts[i] = call ? full : "(" + full + ")";
                columnTexts[i] = keyTexts[i];
            }
        }
        String indoption = (String) ix.get(SysTable.PG_INDEX, "indoption");
        int[] opts = indoption == null ? new int[0] : CatalogView.parseInts(indoption);
        for (int i = 0; i < opts.length && i < keyTexts.length; i++) {
            boolean desc = (opts[i] & 1) != 0;
            boolean nullsFirst = (opts[i] & 2) != 0;
            String suffix = (desc ? " DESC" : "") + (desc && !nullsFirst ? " NULLS LAST"
                    : !desc && nullsFirst ? " NULLS FIRST" : "");
            keyTexts[i] += suffix;
        }
        if (column > 0) {
            return column <= keys.length ? columnTexts[column - 1] : "";
        }
        int nkey = ((Short) ix.get(SysTable.PG_INDEX, "indnkeyatts")).intValue();
        Namespace ns = cat.namespace(table.namespace());
        StringBuilder sb = new StringBuilder("CREATE ");
        if ((Boolean) ix.get(SysTable.PG_INDEX, "indisunique")) {
            sb.append("UNIQUE ");
        }
        sb.append("INDEX ").append(q(index.name())).append(" ON ")
                .append(ns == null ? "" : q(ns.name()) + ".").append(q(table.name())).append(" USING btree (");
        for (int i = 0; i < Math.min(nkey, keys.length); i++) {
            sb.append(i == 0 ? "" : ", ").append(keyTexts[i]);
        }
        sb.append(')');
        if (nkey < keys.length) {
            sb.append(" INCLUDE (");
            for (int i = nkey; i < keys.length; i++) {
                sb.append(i == nkey ? "" : ", ").append(columnName(table, keys[i]));
            }
            sb.append(')');
        }
        if ((Boolean) ix.get(SysTable.PG_INDEX, "indnullsnotdistinct")) {
            sb.append(" NULLS NOT DISTINCT");
        }
        String indpred = (String) ix.get(SysTable.PG_INDEX, "indpred");
        if (indpred != null) {
            String printed = CheckExpressionPrinter.print(table, indpred);
            String text = printed != null ? printed : indpred;
            sb.append(" WHERE ").append(pretty ? text : "(" + text + ")");
        }
        return sb.toString();
    }

    private static String action(String code) {
        return switch (code) {
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> null; // 'a' NO ACTION, the default, is not printed
        };
    }

    /** pg_get_constraintdef(constraint [, pretty]). */
    static String constraintDef(EngineSession s, int conOid) {
        CatalogView cat = s.catalogView();
        if (cat == null) {
            return null;
        }
        SysTable t = SysTable.PG_CONSTRAINT;
        CatalogStore.Row c = cat.row(t, "oid", conOid);
        if (c == null) {
            return null;
        }
        Relation rel = cat.relation((Integer) c.get(t, "conrelid"));
        String type = (String) c.get(t, "contype");
        int[] keys = c.get(t, "conkey") == null ? new int[0] : CatalogView.parseInts((String) c.get(t, "conkey"));
        StringBuilder sb = new StringBuilder();
        switch (type) {
            case "p", "u" -> {
                sb.append(type.equals("p") ? "PRIMARY KEY (" : "UNIQUE (").append(rel == null ? "" : columnList(rel,
                        keys)).append(')');
                Relation.Index idx = null;
                if (rel != null) {
                    for (Relation.Index i : rel.indexes()) {
                        if (i.oid() == (Integer) c.get(t, "conindid")) {
                            idx = i;
                        }
                    }
                }
                if (type.equals("u") && idx != null && idx.nullsNotDistinct()) {
                    sb.insert("UNIQUE ".length(), "NULLS NOT DISTINCT ");
                }
            }
            case "c" -> {
                String expr = (String) c.get(t, "conbin");
                String printed = rel == null ? null : CheckExpressionPrinter.print(rel, expr);
                if (rel == null && c.get(t, "contypid") != null && (Integer) c.get(t, "contypid") != 0) {
                    printed = Domains.printCheck(expr); // a domain's: VALUE, as PostgreSQL prints it
                }
                sb.append("CHECK (").append(printed != null ? printed : expr).append(')');
                if ((Boolean) c.get(t, "connoinherit")) {
                    sb.append(" NO INHERIT");
                }
            }
            case "f" -> {
                Relation ref = cat.relation((Integer) c.get(t, "confrelid"));
                int[] refKeys = CatalogView.parseInts((String) c.get(t, "confkey"));
                sb.append("FOREIGN KEY (").append(rel == null ? "" : columnList(rel, keys)).append(") REFERENCES ")
                        .append(ref == null ? "?" : relationName(s, cat, ref)).append('(')
                        .append(ref == null ? "" : columnList(ref, refKeys)).append(')');
                if ("f".equals(c.get(t, "confmatchtype"))) {
                    sb.append(" MATCH FULL");
                }
                String upd = action((String) c.get(t, "confupdtype"));
                String del = action((String) c.get(t, "confdeltype"));
                if (upd != null) {
                    sb.append(" ON UPDATE ").append(upd);
                }
                if (del != null) {
                    sb.append(" ON DELETE ").append(del);
                }
            }
            default -> {
                return null;
            }
        }
        if ((Boolean) c.get(t, "condeferrable")) {
            sb.append(" DEFERRABLE");
        }
        if ((Boolean) c.get(t, "condeferred")) {
            sb.append(" INITIALLY DEFERRED");
        }
        if (!(Boolean) c.get(t, "convalidated")) {
            sb.append(" NOT VALID");
        }
        return sb.toString();
    }

    /** pg_relation_is_publishable: a permanent ordinary table outside the system schemas. */
    static boolean publishable(EngineSession s, int oid) {
        CatalogView cat = s.catalogView();
        Relation r = cat == null ? null : cat.relation(oid);
        if (r == null || r.kind() != 'r' && r.kind() != 'p' || r.node().isTemp() || oid < 16384) {
            return false;
        }
        Namespace ns = cat.namespace(r.namespace());
        return ns != null && !ns.name().equals("pg_catalog") && !ns.name().equals("information_schema");
    }
}
