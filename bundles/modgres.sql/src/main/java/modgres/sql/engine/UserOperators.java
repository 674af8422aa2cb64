package modgres.sql.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import modgres.api.error.PgException;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.TypeName;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.SysTable;
import modgres.sql.exec.TypeSystem;
import modgres.sql.types.Casts;
import modgres.sql.types.Routine;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/*
 * Design notes: user-defined operators (CREATE OPERATOR, DROP OPERATOR) for
 * one session, and their part in operator resolution.
 *
 * Storage: one pg_operator row per operator, PostgreSQL's columns; oprcode
 * is the function's name as text (regproc), qualified with its schema when
 * it is a user-defined one outside the search path. The function itself is
 * looked up by that name and the operator's exact argument types each time
 * an expression uses the operator (LookupFuncName, as CREATE OPERATOR did),
 * so a user-defined function (pg_proc) or a built-in one (the type system's
 * catalog: int4mi, texteq, ... are the procs of its operators) both work.
 *
 * Visibility, as PostgreSQL's OpernameGetCandidates: a qualified name
 * (OPERATOR(s.op)) finds the operators of that schema only; an unqualified
 * one those of the schemas on the search path, the temporary schema first
 * unless the path places it (PostgreSQL skips it for functions, not for
 * operators).
 *
 * Resolution (TypeSystemImpl.operator asks here first), after PostgreSQL's
 * oper_select_candidate in the few cases that matter here:
 *   1. an operator whose argument types are exactly the operands' (an
 *      unknown literal taking the other side's type: binary_oper_exact) wins
 *      over everything, built-ins included; so CASE x WHEN y with x and y of
 *      a domain with its own "=" calls the user's "=" and not the base
 *      type's;
 *   2. otherwise the built-in operators are tried (on the domains' base
 *      types);
 *   3. when none of those matches either, a user-defined operator whose
 *      argument types the operands reach by implicit casts (a domain by its
 *      base type) is used.
 */
/** CREATE / DROP OPERATOR and the resolution of user-defined operators; see the design notes. */
final class UserOperators {

    /** An operator as its pg_operator row describes it. */
    record Op(int oid, long tid, String name, int namespace, int left, int right, int result, String proc) {
    }

    private final DataPath data;
    private CatalogView loadedFrom;
    private List<Op> ops = List.of();

    UserOperators(DataPath data) {
        this.data = data;
    }

    private List<Op> ops() {
        CatalogView view = data.catalog();
        if (view != loadedFrom) {
            List<Op> l = new ArrayList<>();
            SysTable t = SysTable.PG_OPERATOR;
            List<CatalogStore.Row> rows = view.rows(t);
            for (CatalogStore.Row r : rows == null ? List.<CatalogStore.Row>of() : rows) {
                l.add(new Op((Integer) r.get(t, "oid"), r.tid(), (String) r.get(t, "oprname"),
                        (Integer) r.get(t, "oprnamespace"), (Integer) r.get(t, "oprleft"),
                        (Integer) r.get(t, "oprright"), (Integer) r.get(t, "oprresult"),
                        (String) r.get(t, "oprcode")));
            }
            ops = l;
            loadedFrom = view;
        }
        return ops;
    }

    private String tempSchema() {
        return modgres.sql.exec.DdlExecutor.tempSchemaName(data.txn.pid());
    }

    /** The schemas an operator name finds operators in (see the design notes); null schema: the search path. */
    private List<Integer> namespaces(String schema) {
        CatalogView cat = data.catalog();
        List<Integer> out = new ArrayList<>();
        if (schema != null) {
            Namespace ns = cat.namespace(schema.equals("pg_temp") ? tempSchema() : schema);
            if (ns == null && !schema.equals("pg_temp")) {
                throw new PgException("3F000", "schema \"" + schema + "\" does not exist");
            }
            if (ns != null) {
                out.add(ns.oid());
            }
            return out;
        }
        List<String> path = new ArrayList<>();
        if (!data.searchPath.contains("pg_temp")) {
            path.add(tempSchema()); // searched first for operators (unlike functions), as PostgreSQL does
        }
        for (String s : data.searchPath) {
            path.add(s.equals("pg_temp") ? tempSchema() : s);
        }
        for (String s : path) {
            Namespace ns = cat.namespace(s);
            if (ns != null) {
                out.add(ns.oid());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- resolution

    /** Step 1: a user-defined operator of exactly these operand types (0 left: prefix), or null. */
    TypeSystem.Fn exact(String schema, String name, int left, int right) {
        List<Op> all = ops();
        if (all.isEmpty()) {
            return null;
        }
        if (left == Types.UNKNOWN_OID && right != Types.UNKNOWN_OID) {
            left = right;
        } else if (right == Types.UNKNOWN_OID && left != Types.UNKNOWN_OID && left != 0) {
            right = left;
        }
        for (int nsp : namespaces(schema)) {
            for (Op o : all) {
                if (o.namespace() == nsp && o.name().equals(name) && o.left() == left && o.right() == right) {
                    return fn(o);
                }
            }
        }
        return null;
    }

    /** Step 3: a user-defined operator the operands reach by implicit casts, or null. */
    TypeSystem.Fn coercible(String schema, String name, int left, int right) {
        List<Op> all = ops();
        if (all.isEmpty()) {
            return null;
        }
        for (int nsp : namespaces(schema)) {
            for (Op o : all) {
                if (o.namespace() == nsp && o.name().equals(name) && (o.left() == 0) == (left == 0)
                        && (left == 0 || reaches(left, o.left())) && reaches(right, o.right())) {
                    return fn(o);
                }
            }
        }
        return null;
    }

    private boolean reaches(int from, int to) {
        if (from == to || from == Types.UNKNOWN_OID) {
            return true;
        }
        TypeSystemImpl ts = data.ts;
        int fb = ts.baseType(from);
        int tb = ts.baseType(to);
        if (fb == tb) {
            return true;
        }
        Type f = Types.byOid(fb);
        Type t = Types.byOid(tb);
        return f != null && t != null && Casts.canCoerce(f, t, Casts.Context.IMPLICIT);
    }

    /** The operator's function as the executor calls it, with the operator's argument types. */
    private TypeSystem.Fn fn(Op o) {
        TypeSystem.Fn f = function(o.proc(), o.left(), o.right());
        int[] at = o.left() == 0 ? new int[] {o.right()} : new int[] {o.left(), o.right()};
        return new TypeSystem.Fn(o.name(), at, o.result(), -1, f.impl(), f.strict(), f.volatility());
    }

    /**
     * The function named {@code proc} taking exactly (left, right) (just right when left is 0): a user-defined
     * or built-in function, or the proc of a built-in operator (int4mi); 42883 as PostgreSQL's LookupFuncName.
     */
    private TypeSystem.Fn function(String proc, int left, int right) {
        int[] args = left == 0 ? new int[] {right} : new int[] {left, right};
        TypeSystem.Fn f = null;
        try {
            f = data.ts.function(proc, args);
        } catch (PgException e) {
            if (!"42883".equals(e.sqlState()) && !"42725".equals(e.sqlState())) {
                throw e;
            }
        }
        if (f != null && java.util.Arrays.equals(f.argTypes(), args)) {
            return f;
        }
        String simple = proc.substring(proc.lastIndexOf('.') + 1);
        for (Routine r : modgres.sql.types.Catalog.operators()) {
            if (simple.equals(r.proc()) && r.argTypes().length == 2 == (left != 0)
                    && r.argTypes()[r.argTypes().length - 1].oid() == right
                    && (left == 0 || r.argTypes()[0].oid() == left)) {
                Routine.Resolved res = new Routine.Resolved(r, r.argTypes(), r.result());
                TypeSystemImpl ts = data.ts;
                return new TypeSystem.Fn(simple, args, r.result().oid(), -1, (a, ex) -> res.invoke(a, ts.ctx),
                        r.strict(), r.volatility());
            }
        }
        if (f != null && left == 0 ? f.argTypes().length == 1 : f != null) {
            return f; // a function reached by implicit casts (PostgreSQL wants the exact types; close enough)
        }
        StringBuilder sig = new StringBuilder(simple).append('(');
        for (int i = 0; i < args.length; i++) {
            sig.append(i > 0 ? ", " : "").append(data.ts.format(args[i], -1));
        }
        throw new PgException("42883", "function " + sig + ") does not exist");
    }

    // ---------------------------------------------------------------- CREATE / DROP

    private int typeOf(DefElem.Value v) {
        if (v instanceof DefElem.Type t) {
            TypeName tn = t.type();
            return data.ts.typeOid(tn.names(), !tn.arrayBounds().isEmpty());
        }
        if (v instanceof DefElem.Name n) {
            if (n.parts().size() == 1 && n.parts().get(0).equals("none")) {
                return 0;
            }
            return data.ts.typeOid(n.parts(), false);
        }
        if (v instanceof DefElem.Str s) {
            return data.ts.typeOid(List.of(s.value()), false);
        }
        throw new PgException("42601", "invalid argument type");
    }

    private static List<String> nameOf(DefElem.Value v) {
        if (v instanceof DefElem.Type t) {
            return t.type().names();
        }
        if (v instanceof DefElem.Name n) {
            return n.parts();
        }
        if (v instanceof DefElem.Str s) {
            return List.of(s.value());
        }
        if (v instanceof DefElem.Op o) {
            return o.op().schema() == null ? List.of(o.op().name()) : List.of(o.op().schema(), o.op().name());
        }
        throw new PgException("42601", "invalid name");
    }

    String create(Ddl.CreateOperator co, Consumer<String> warning) {
        String name = co.name().get(co.name().size() - 1);
        String schema = co.name().size() > 1 ? co.name().get(co.name().size() - 2) : null;
        List<String> proc = null;
        Integer left = null;
        Integer right = null;
        String restrict = "-";
        String join = "-";
        boolean hashes = false;
        boolean merges = false;
        for (DefElem d : co.definition()) {
            switch (d.name().toLowerCase(java.util.Locale.ROOT)) {
                case "function", "procedure" -> proc = nameOf(d.value());
                case "leftarg" -> left = typeOf(d.value());
                case "rightarg" -> right = typeOf(d.value());
                case "commutator", "negator" -> nameOf(d.value());
                case "restrict" -> restrict = String.join(".", nameOf(d.value()));
                case "join" -> join = String.join(".", nameOf(d.value()));
                case "hashes" -> hashes = true;
                case "merges", "sort1", "sort2", "ltcmp", "gtcmp" -> merges = true;
                default -> warning.accept("operator attribute \"" + d.name() + "\" not recognized");
            }
        }
        if (proc == null) {
            throw new PgException("42P13", "operator function must be specified");
        }
        if (left == null && right == null) {
            throw new PgException("42P13", "operator argument types must be specified");
        }
        if (right == null || right == 0) {
            throw new PgException("42P13", "operator right argument type must be specified",
                    "Postfix operators are not supported.", null);
        }
        int l = left == null ? 0 : left;
        int r = right;
        String procName = String.join(".", proc);
        TypeSystem.Fn f = function(procName, l, r);
        if (f.resultType() == 2278) {
            throw new PgException("42P13", "operator function must not return void"); // not PostgreSQL's check
        }
        CatalogView cat = data.catalog();
        int nsp = creationNamespace(cat, schema);
        for (Op o : ops()) {
            if (o.namespace() == nsp && o.name().equals(name) && o.left() == l && o.right() == r) {
                throw new PgException("42723", "operator " + name + " already exists");
            }
        }
        data.functions.ensureStorage(SysTable.PG_OPERATOR);
        SysTable t = SysTable.PG_OPERATOR;
        Object[] row = new Object[t.columns().size()];
        row[t.column("oid")] = data.txn.newOid();
        row[t.column("oprname")] = name;
        row[t.column("oprnamespace")] = nsp;
        row[t.column("oprowner")] = modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER;
        row[t.column("oprkind")] = l == 0 ? "l" : "b";
        row[t.column("oprcanmerge")] = merges;
        row[t.column("oprcanhash")] = hashes;
        row[t.column("oprleft")] = l;
        row[t.column("oprright")] = r;
        row[t.column("oprresult")] = f.resultType();
        row[t.column("oprcom")] = 0;
        row[t.column("oprnegate")] = 0;
        row[t.column("oprcode")] = procName;
        row[t.column("oprrest")] = restrict;
        row[t.column("oprjoin")] = join;
        data.store.insert(t, row, data.txn);
        data.txn.catalogChanged();
        data.invalidate();
        return "CREATE OPERATOR";
    }

    private int creationNamespace(CatalogView cat, String schema) {
        if (schema != null) {
            if (schema.equals("pg_temp")) {
                return data.domains.tempNamespace(cat);
            }
            Namespace ns = cat.namespace(schema);
            if (ns == null) {
                throw new PgException("3F000", "schema \"" + schema + "\" does not exist");
            }
            return ns.oid();
        }
        for (String s : data.searchPath) {
            Namespace ns = cat.namespace(s);
            if (ns != null && !s.equals("pg_catalog") && !s.equals("pg_temp")) {
                return ns.oid();
            }
        }
        throw new PgException("3F000", "no schema has been selected to create in");
    }

    String drop(Ddl.DropOperator d, Consumer<String> notice) {
        List<Op> victims = new ArrayList<>();
        for (Ddl.OperatorWithArgs w : d.operators()) {
            String name = w.name().get(w.name().size() - 1);
            String schema = w.name().size() > 1 ? w.name().get(w.name().size() - 2) : null;
            int l = w.left() == null ? 0 : data.ts.typeOid(w.left().names(), !w.left().arrayBounds().isEmpty());
            int r = w.right() == null ? 0 : data.ts.typeOid(w.right().names(), !w.right().arrayBounds().isEmpty());
            Op found = null;
            for (int nsp : namespaces(schema)) {
                for (Op o : ops()) {
                    if (found == null && o.namespace() == nsp && o.name().equals(name) && o.left() == l
                            && o.right() == r) {
                        found = o;
                    }
                }
            }
            if (found == null) {
                String shown = (schema == null ? "" : schema + ".") + name;
                String sig = l == 0 ? shown + " " + data.ts.format(r, -1)
                        : data.ts.format(l, -1) + " " + shown + " " + data.ts.format(r, -1);
                if (d.ifExists()) {
                    notice.accept("operator " + shown + " does not exist, skipping");
                    continue;
                }
                throw new PgException("42883", "operator does not exist: " + sig);
            }
            victims.add(found);
        }
        for (Op o : victims) {
            data.store.delete(SysTable.PG_OPERATOR, o.tid(), data.txn);
        }
        data.txn.catalogChanged();
        data.invalidate();
        return "DROP OPERATOR";
    }

    /** PostgreSQL's dependency lines of the operators that take or return a type. */
    List<String> usingType(int typeOid, String typeName) {
        List<String> out = new ArrayList<>();
        for (Op o : ops()) {
            if (o.left() == typeOid || o.right() == typeOid || o.result() == typeOid) {
                out.add("operator " + o.name() + "(" + (o.left() == 0 ? "NONE" : data.ts.format(o.left(), -1)) + ","
                        + data.ts.format(o.right(), -1) + ") depends on type " + typeName);
            }
        }
        return out;
    }
}
