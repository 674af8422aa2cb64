package modgres.sql.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import modgres.api.error.PgException;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.Dml;
import modgres.sql.ast.Expr;
import modgres.sql.ast.ObjectRef;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.ast.Statement;
import modgres.sql.ast.TypeName;
import modgres.sql.ast.Utility;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.SysTable;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.TypeSystem;
import modgres.sql.parser.Lexer;
import modgres.sql.parser.ParsedStatement;
import modgres.sql.parser.SqlParser;
import modgres.sql.parser.Token;
import modgres.sql.parser.TokenKind;
import modgres.sql.pl.PlAst;
import modgres.sql.pl.PlInterpreter;
import modgres.sql.pl.PlParser;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/*
 * Design notes: user-defined functions and procedures (CREATE FUNCTION,
 * CREATE PROCEDURE, DROP, DO, CALL) for one session.
 *
 * Storage: one row per routine in this database's pg_proc heap (WAL-logged,
 * MVCC, rolled back with its transaction like any catalog row), with
 * PostgreSQL's columns. The rows are read from the session's catalog view;
 * their parsed form (Def) is rebuilt whenever the view is a new one (after a
 * commit changed the catalog, or during a transaction that changed it), and
 * a body's parse tree and the plans of its statements are kept per
 * (oid, source) across views.
 *
 * Resolution joins the built-ins: TypeSystemImpl.function asks here first;
 * the user-defined candidates of the name (at the call's arity, defaults
 * dropped) and the built-ins of the same name and arity go through
 * PostgreSQL's candidate selection together (Catalog.chooseUserCandidate);
 * when a built-in wins or nothing matches, the built-in resolution runs and
 * reports as before (42883 "function x(integer) does not exist").
 *
 * Calls: a LANGUAGE sql function runs its statements in order through
 * NestedSql with the arguments as $1..$n (parameter names are replaced by
 * their $n before parsing); the last statement's first row (all rows for
 * SETOF) is the result. A PL/pgSQL function runs in PlInterpreter with
 * NestedSql as its runtime. Errors get PostgreSQL's CONTEXT line ("SQL
 * function "f" statement 1", "PL/pgSQL function f(integer) line 3 at
 * RETURN"). Calls nest at most NestedSql.MAX_DEPTH deep (54001).
 */
/** CREATE/DROP FUNCTION and PROCEDURE, DO, CALL, and calls of user-defined functions; see the design notes. */
final class UserFunctions {
    static final int LANG_INTERNAL = 12, LANG_SQL = 14, LANG_PLPGSQL = 13576;
    static final int TRIGGER = 2279, VOID = 2278, RECORD = 2249;

    /** A routine as its pg_proc row describes it. */
    static final class Def {
        int oid;
        long tid;
        String name;
        int namespace;
        char kind;
        int language;
        boolean strict;
        boolean retset;
        char volatility;
        int returnType;
        /** Types of the parameters a call passes (IN, INOUT, VARIADIC). */
        int[] inTypes;
        /** Every parameter, in order, with its mode. */
        List<PlInterpreter.Param> params = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        String src;
        Object[] row;

        String signature(TypeSystemImpl ts) {
            StringBuilder sb = new StringBuilder(name).append('(');
            for (int i = 0; i < inTypes.length; i++) {
                sb.append(i > 0 ? "," : "").append(typeName(ts, inTypes[i]));
            }
            return sb.append(')').toString();
        }

        /** The result columns of a routine returning rows (OUT / INOUT / TABLE parameters), empty when none. */
        List<PlInterpreter.Param> outParams() {
            List<PlInterpreter.Param> out = new ArrayList<>();
            for (PlInterpreter.Param p : params) {
                if (p.mode() == 'o' || p.mode() == 'b' || p.mode() == 't') {
                    out.add(p);
                }
            }
            return out;
        }
    }

    /** What a body compiles to, kept across catalog views while the source is the same. */
    private static final class Body {
        final String src;
        PlAst.Block pl;
        List<Statement> sql;
        final Map<String, Statement> parsed = new HashMap<>();
        final Map<String, DataPath.Compiled> plans = new HashMap<>();
        final Map<PlAst.Sql, List<Token>> tokens = new java.util.IdentityHashMap<>();

        Body(String src) {
            this.src = src;
        }
    }

    private final DataPath data;
    private CatalogView loadedFrom;
    private Map<String, List<Def>> byName = new HashMap<>();
    private final Map<Integer, Body> bodies = new HashMap<>();
    private int depth;

    UserFunctions(DataPath data) {
        this.data = data;
    }

    private TypeSystemImpl ts() {
        return data.ts;
    }

    // ---------------------------------------------------------------- types

    static String typeName(TypeSystemImpl ts, int oid) {
        return switch (oid) {
            case TRIGGER -> "trigger";
            case VOID -> "void";
            case RECORD -> "record";
            default -> ts.format(oid, -1);
        };
    }

    /** A type name of a routine's declaration: pseudo-types (trigger, void, record, anyelement...) included. */
    static int typeOid(TypeSystemImpl ts, TypeName t) {
        String n = t.baseName();
        if (t.arrayBounds().isEmpty() && (t.names().size() == 1 || t.names().get(0).equals("pg_catalog"))) {
            if (n.equals("trigger")) {
                return TRIGGER;
            }
            Type pseudo = Types.byName(n);
            if (pseudo != null && Types.isPseudo(pseudo)) {
                return pseudo.oid();
            }
        }
        return ts.typeOid(t.names(), !t.arrayBounds().isEmpty());
    }

    // ---------------------------------------------------------------- the catalog

    private Map<String, List<Def>> defs() {
        CatalogView view = data.catalog();
        if (view != loadedFrom) {
            Map<String, List<Def>> m = new HashMap<>();
            List<CatalogStore.Row> rows = view.rows(SysTable.PG_PROC);
            for (CatalogStore.Row r : rows == null ? List.<CatalogStore.Row>of() : rows) {
                Def d = def(r);
                m.computeIfAbsent(d.name, k -> new ArrayList<>()).add(d);
            }
            byName = m;
            loadedFrom = view;
        }
        return byName;
    }

    private static Def def(CatalogStore.Row r) {
        SysTable t = SysTable.PG_PROC;
        Def d = new Def();
        d.tid = r.tid();
        d.row = r.values();
        d.oid = (Integer) r.get(t, "oid");
        d.name = (String) r.get(t, "proname");
        d.namespace = (Integer) r.get(t, "pronamespace");
        d.kind = ((String) r.get(t, "prokind")).charAt(0);
        d.language = (Integer) r.get(t, "prolang");
        d.strict = (Boolean) r.get(t, "proisstrict");
        d.retset = (Boolean) r.get(t, "proretset");
        d.volatility = ((String) r.get(t, "provolatile")).charAt(0);
        d.returnType = (Integer) r.get(t, "prorettype");
        d.src = (String) r.get(t, "prosrc");
        d.inTypes = ints((String) r.get(t, "proargtypes"));
        String all = (String) r.get(t, "proallargtypes");
        int[] allTypes = all == null ? d.inTypes : ints(all);
        List<String> modes = list((String) r.get(t, "proargmodes"));
        List<String> names = list((String) r.get(t, "proargnames"));
        for (int i = 0; i < allTypes.length; i++) {
            String nm = i < names.size() && !names.get(i).isEmpty() ? names.get(i) : null;
            char mode = i < modes.size() ? modes.get(i).charAt(0) : 'i';
            d.params.add(new PlInterpreter.Param(nm, allTypes[i], -1, mode));
        }
        String defs = (String) r.get(t, "proargdefaults");
        if (defs != null && !defs.isEmpty()) {
            d.defaults.addAll(List.of(defs.split("\u001f", -1)));
        }
        return d;
    }

    private static int[] ints(String s) {
        if (s == null || s.isBlank()) {
            return new int[0];
        }
        String[] p = s.replace("{", "").replace("}", "").trim().split("[\\s,]+");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Integer.parseInt(p[i]);
        }
        return out;
    }

    /** A text[] literal's items (names of parameters, modes); double quotes as PostgreSQL writes them. */
    static List<String> list(String s) {
        return s == null || s.length() < 2 ? new ArrayList<>() : CatalogFunctions.arrayLiteral(s);
    }

    private static String arrayLiteral(List<String> items) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < items.size(); i++) {
            String s = items.get(i);
            boolean quote = s.isEmpty() || s.matches(".*[,{}\"\\\\\\s].*") || s.equalsIgnoreCase("null");
            sb.append(i > 0 ? "," : "").append(quote ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : s);
        }
        return sb.append('}').toString();
    }

    /** The routine with this OID (triggers call their function by OID), or null. */
    Def byOid(int oid) {
        for (List<Def> l : defs().values()) {
            for (Def d : l) {
                if (d.oid == oid) {
                    return d;
                }
            }
        }
        return null;
    }

    /** Every routine named {@code name} (any schema), for trigger and CALL lookups. */
    List<Def> named(String name) {
        return defs().getOrDefault(name, List.of());
    }

    // ---------------------------------------------------------------- CREATE / DROP

    String create(Ddl.CreateFunction cf, ExecState ex) {
        TypeSystemImpl ts = ts();
        CatalogView cat = data.catalog();
        String name = cf.name().get(cf.name().size() - 1);
        int nsp = namespace(cat, cf.name());
        String lang = cf.language();
        int langOid = switch (lang) {
            case "sql" -> LANG_SQL;
            case "plpgsql" -> LANG_PLPGSQL;
            case "internal", "c" -> throw new PgException("0A000", "LANGUAGE " + lang
                    + " functions are not supported");
            default -> throw new PgException("42704", "language \"" + lang + "\" does not exist");
        };
        List<PlInterpreter.Param> params = new ArrayList<>();
        List<Integer> in = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean anyNames = false;
        boolean anyOut = false;
        for (Ddl.FunctionParam p : cf.params()) {
            int t = typeOid(ts, p.type());
            if (p.name() != null) {
                for (String n : names) {
                    if (n.equals(p.name())) {
                        throw new PgException("42P13", "parameter name \"" + p.name() + "\" used more than once");
                    }
                }
            }
            names.add(p.name() == null ? "" : p.name());
            anyNames |= p.name() != null;
            params.add(new PlInterpreter.Param(p.name(), t, -1, p.mode()));
            if (p.mode() != 'o') {
                in.add(t);
            } else {
                anyOut = true;
            }
            if (p.mode() == 'b') {
                anyOut = true;
            }
            if (p.defaultValue() != null) {
                if (p.mode() == 'o') {
                    throw new PgException("42P13", "only input parameters can have default values");
                }
                defaults.add(SqlDeparser.deparse(p.defaultValue()));
            } else if (!defaults.isEmpty() && p.mode() != 'o') {
                throw new PgException("42P13",
                        "input parameters after one with a default value must also have defaults");
            }
        }
        boolean retset = false;
        int ret;
        if (cf.procedure()) {
            ret = VOID;
        } else if (cf.tableColumns() != null) {
            retset = true;
            for (Ddl.FunctionParam p : cf.tableColumns()) {
                params.add(new PlInterpreter.Param(p.name(), typeOid(ts, p.type()), -1, 't'));
                names.add(p.name());
            }
            anyNames = true;
            anyOut = true;
            ret = cf.tableColumns().size() == 1 ? params.get(params.size() - 1).type() : RECORD;
        } else if (cf.returns() != null) {
            retset = cf.returns().setof();
            ret = typeOid(ts, cf.returns());
        } else if (anyOut) {
            long outs = params.stream().filter(p -> p.mode() == 'o' || p.mode() == 'b').count();
            ret = outs == 1 ? params.stream().filter(p -> p.mode() == 'o' || p.mode() == 'b').findFirst().get()
                    .type() : RECORD;
        } else {
            throw new PgException("42P13", "function result type must be specified");
        }
        if (ret == TRIGGER && langOid == LANG_SQL) {
            throw new PgException("42P13", "SQL functions cannot return type trigger");
        }
        if (ret == TRIGGER && !cf.params().isEmpty()) {
            throw new PgException("42P13", "trigger functions cannot have declared arguments", null,
                    "The arguments of the trigger can be accessed through TG_NARGS and TG_ARGV instead.");
        }
        validateBody(cf, langOid, ret, name);
        int[] inTypes = in.stream().mapToInt(Integer::intValue).toArray();
        Def existing = null;
        for (Def d : defs().getOrDefault(name, List.of())) {
            if (d.namespace == nsp && java.util.Arrays.equals(d.inTypes, inTypes)) {
                existing = d;
            }
        }
        String kindWord = cf.procedure() ? "procedure" : "function";
        if (existing != null) {
            if (!cf.orReplace()) {
                throw new PgException("42723", kindWord + " \"" + name + "\" already exists with same argument types");
            }
            if (existing.kind != (cf.procedure() ? 'p' : 'f')) {
                throw new PgException("42809", "cannot change routine kind", existing.kind == 'p'
                        ? "\"" + name + "\" is a procedure." : "\"" + name + "\" is a function.", null);
            }
            if (existing.returnType != ret || existing.retset != retset) {
                throw new PgException("42P13", "cannot change return type of existing function", null,
                        "Use DROP FUNCTION " + existing.signature(ts) + " first.");
            }
        }
        boolean allIn = params.stream().allMatch(p -> p.mode() == 'i');
        List<String> types = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        for (PlInterpreter.Param p : params) {
            types.add(Integer.toString(p.type()));
            modes.add(String.valueOf(p.mode()));
        }
        StringBuilder argtypes = new StringBuilder();
        for (int t : inTypes) {
            argtypes.append(argtypes.isEmpty() ? "" : " ").append(t);
        }
        SysTable t = SysTable.PG_PROC;
        Object[] row = new Object[t.columns().size()];
        int oid = existing != null ? existing.oid : data.txn.newOid();
        row[t.column("oid")] = oid;
        row[t.column("proname")] = name;
        row[t.column("pronamespace")] = nsp;
        row[t.column("proowner")] = modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER;
        row[t.column("prolang")] = langOid;
        row[t.column("procost")] = 100f;
        row[t.column("prorows")] = retset ? 1000f : 0f;
        row[t.column("provariadic")] = 0;
        row[t.column("prosupport")] = 0;
        row[t.column("prokind")] = cf.procedure() ? "p" : "f";
        row[t.column("prosecdef")] = cf.securityDefiner();
        row[t.column("proleakproof")] = false;
        row[t.column("proisstrict")] = cf.strict();
        row[t.column("proretset")] = retset;
        row[t.column("provolatile")] = String.valueOf(cf.volatility());
        row[t.column("proparallel")] = "u";
        row[t.column("pronargs")] = (short) inTypes.length;
        row[t.column("pronargdefaults")] = (short) defaults.size();
        row[t.column("prorettype")] = ret;
        row[t.column("proargtypes")] = argtypes.toString();
        row[t.column("proallargtypes")] = allIn ? null : "{" + String.join(",", types) + "}";
        row[t.column("proargmodes")] = allIn ? null : "{" + String.join(",", modes) + "}";
        row[t.column("proargnames")] = anyNames ? arrayLiteral(names) : null;
        row[t.column("proargdefaults")] = defaults.isEmpty() ? null : String.join("\u001f", defaults);
        row[t.column("prosrc")] = cf.body();
        ensureStorage(t);
        if (existing != null) {
            data.store.update(t, existing.tid, row, data.txn);
        } else {
            data.store.insert(t, row, data.txn);
        }
        data.txn.catalogChanged();
        data.invalidate();
        return cf.procedure() ? "CREATE PROCEDURE" : "CREATE FUNCTION";
    }

    /** A database made before pg_proc / pg_trigger existed gets the catalog's file on first use. */
    void ensureStorage(SysTable t) {
        data.store.ensureStorage(t, data.txn.snapshot());
    }

    /**
     * The schema a CREATE of a function, domain or operator puts its object in: the one named (pg_temp: the
     * session's temporary schema), else the first existing schema of search_path other than pg_catalog.
     */
    int namespace(CatalogView cat, List<String> qualified) {
        if (qualified.size() > 1 && qualified.get(qualified.size() - 2).equals("pg_temp")) {
            return tempNamespace(cat);
        }
        if (qualified.size() > 1) {
            String s = qualified.get(qualified.size() - 2);
            Namespace ns = cat.namespace(s);
            if (ns == null) {
                throw new PgException("3F000", "schema \"" + s + "\" does not exist");
            }
            return ns.oid();
        }
        for (String s : data.searchPath) {
            Namespace ns = cat.namespace(s);
            if (ns != null && !s.equals("pg_catalog")) {
                return ns.oid();
            }
        }
        throw new PgException("3F000", "no schema has been selected to create in");
    }

    /** The session's pg_temp_N schema, created on first use (as DdlExecutor does for temporary tables). */
    int tempNamespace(CatalogView cat) {
        data.txn.accessedTempNamespace(); // PREPARE TRANSACTION refuses the transaction
        String name = modgres.sql.exec.DdlExecutor.tempSchemaName(data.txn.pid());
        Namespace ns = cat.namespace(name);
        if (ns != null) {
            return ns.oid();
        }
        int oid = data.txn.newOid();
        data.store.insert(SysTable.PG_NAMESPACE, new Object[] {oid, name,
            modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER, null}, data.txn);
        data.txn.catalogChanged();
        data.txn.commandCounterIncrement();
        data.invalidate();
        return oid;
    }

    /** Parses the body now, so a syntax error is reported by CREATE FUNCTION as PostgreSQL's validator does. */
    private void validateBody(Ddl.CreateFunction cf, int lang, int ret, String name) {
        if (lang == LANG_PLPGSQL) {
            try {
                PlParser.parse(cf.body());
            } catch (PlParser.PlSyntaxError e) {
                throw new PgException(e.sqlState(), e.getMessage(), null, null,
                        cf.bodyPosition() > 0 ? cf.bodyPosition() + e.offset : 0, null);
            }
            return;
        }
        List<ParsedStatement> stmts;
        try {
            stmts = SqlParser.parse(cf.body());
        } catch (PgException e) {
            throw new PgException(e.sqlState(), e.getMessage(), e.detail(), e.hint(),
                    e.position() > 0 && cf.bodyPosition() > 0 ? cf.bodyPosition() + e.position() - 1 : 0, null);
        }
        if (ret != VOID && !cf.procedure()) {
            Statement last = stmts.isEmpty() ? null : stmts.get(stmts.size() - 1).statement();
            boolean returns = last instanceof SelectStmt
                    || last instanceof Dml.Insert i && !i.returning().isEmpty()
                    || last instanceof Dml.Update u && !u.returning().isEmpty()
                    || last instanceof Dml.Delete d && !d.returning().isEmpty();
            if (!returns) {
                throw new PgException("42P13", "return type mismatch in function declared to return "
                        + typeName(ts(), ret), "Function's final statement must be SELECT or"
                                + " INSERT/UPDATE/DELETE RETURNING.", null);
            }
        }
    }

    /** DROP FUNCTION / PROCEDURE / ROUTINE. */
    String drop(Ddl.Drop d) {
        TypeSystemImpl ts = ts();
        String word = d.objectType() == modgres.sql.ast.ObjectType.PROCEDURE ? "procedure"
                : d.objectType() == modgres.sql.ast.ObjectType.ROUTINE ? "routine" : "function";
        List<Def> targets = new ArrayList<>();
        for (ObjectRef o : d.objects()) {
            String name = o.name().get(o.name().size() - 1);
            List<Def> cands = new ArrayList<>();
            String schema = o.name().size() > 1 ? o.name().get(o.name().size() - 2) : null;
            for (Def def : defs().getOrDefault(name, List.of())) {
                Namespace ns = data.catalog().namespace(def.namespace);
                boolean inSchema = schema == null ? visible(def, false)
                        : schema.equals("pg_temp") ? visible(def, true) : ns != null && ns.name().equals(schema);
                if (inSchema && (o.argTypes() == null || matches(ts, def, o.argTypes()))) {
                    cands.add(def);
                }
            }
            String shown = name + "(" + (o.argTypes() == null ? "" : String.join(", ",
                    o.argTypes().stream().map(t -> String.join(".", t.names())).toList())) + ")";
            if (cands.isEmpty()) {
                if (d.ifExists()) {
                    data.noticeSink.accept(new modgres.api.sql.Notice("NOTICE", "00000", word + " " + shown
                            + " does not exist, skipping", null, null, 0));
                    continue;
                }
                String sig = name + "(" + (o.argTypes() == null ? "" : String.join(", ", o.argTypes().stream()
                        .map(t -> typeName(ts, typeOid(ts, t))).toList())) + ")";
                throw new PgException("42883", o.argTypes() == null
                        ? "could not find a " + word + " named \"" + name + "\"" : word + " " + sig + " does not exist");
            }
            if (cands.size() > 1) {
                throw new PgException("42725", word + " name \"" + name + "\" is not unique", null,
                        "Specify the argument list to select the " + word + " unambiguously.");
            }
            Def def = cands.get(0);
            if (d.objectType() == modgres.sql.ast.ObjectType.PROCEDURE && def.kind != 'p') {
                throw new PgException("42809", def.signature(ts) + " is not a procedure");
            }
            if (d.objectType() == modgres.sql.ast.ObjectType.FUNCTION && def.kind == 'p') {
                throw new PgException("42809", def.signature(ts) + " is not a function");
            }
            targets.add(def);
        }
        for (Def def : targets) {
            data.triggers.beforeDropFunction(def, d.behavior() == modgres.sql.ast.DropBehavior.CASCADE);
            data.store.delete(SysTable.PG_PROC, def.tid, data.txn);
        }
        if (!targets.isEmpty()) {
            data.txn.catalogChanged();
            data.invalidate();
        }
        return "DROP " + word.toUpperCase(Locale.ROOT);
    }

    private static boolean matches(TypeSystemImpl ts, Def def, List<TypeName> args) {
        if (args.size() != def.inTypes.length) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            int t;
            try {
                t = typeOid(ts, args.get(i));
            } catch (PgException e) {
                return false;
            }
            if (t != def.inTypes[i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- resolution

    private record Choice(Def def, int nargs) {
    }

    /**
     * Whether a call finds the routine: pg_temp.f finds this session's temporary routines only, an unqualified
     * name the others (never another session's, nor one whose schema is gone).
     */
    private boolean visible(Def d, boolean temp) {
        Namespace ns = data.catalog().namespace(d.namespace);
        if (ns == null) {
            return false;
        }
        if (temp) {
            data.txn.accessedTempNamespace(); // pg_temp named explicitly (LookupExplicitNamespace)
        }
        return temp ? ns.name().equals(modgres.sql.exec.DdlExecutor.tempSchemaName(data.txn.pid()))
                : !ns.name().startsWith(CatalogView.TEMP_SCHEMA_PREFIX);
    }

    private Choice choose(String name, int[] args, boolean procedures) {
        boolean temp = name.startsWith("pg_temp.");
        if (temp) {
            name = name.substring("pg_temp.".length());
        }
        List<Def> all = defs().get(name);
        if (all == null || all.isEmpty()) {
            return null;
        }
        List<Def> cands = new ArrayList<>();
        List<Type[]> decls = new ArrayList<>();
        for (Def d : all) {
            if ((d.kind == 'p') != procedures || !visible(d, temp)) {
                continue;
            }
            int n = d.inTypes.length;
            if (args.length > n || args.length < n - d.defaults.size()) {
                continue;
            }
            Type[] decl = new Type[args.length];
            boolean ok = true;
            for (int i = 0; i < args.length; i++) {
                decl[i] = Types.byOid(d.inTypes[i]);
                ok &= decl[i] != null;
            }
            if (ok) {
                cands.add(d);
                decls.add(decl);
            }
        }
        if (cands.isEmpty()) {
            return null;
        }
        Type[] in = new Type[args.length];
        StringBuilder sig = new StringBuilder(name).append('(');
        for (int i = 0; i < args.length; i++) {
            in[i] = TypeSystemImpl.type(args[i]);
            sig.append(i > 0 ? ", " : "").append(in[i].sqlName());
        }
        sig.append(')');
        int k = modgres.sql.types.Catalog.chooseUserCandidate(procedures ? "\u0000" + name : name, decls, in,
                sig.toString());
        return k < 0 ? null : new Choice(cands.get(k), args.length);
    }

    /** A user-defined function returning one value, or null when none is chosen for these argument types. */
    TypeSystem.Fn resolve(String name, int[] args) {
        Choice c = choose(name, args, false);
        if (c == null) {
            return null;
        }
        Def d = c.def();
        if (d.returnType == TRIGGER) {
            throw new PgException("0A000", "trigger functions can only be called as triggers");
        }
        if (d.retset) {
            throw new PgException("0A000", "set-returning functions in the select list are not supported yet"
                    + " (use FROM " + d.name + "(...))");
        }
        int ret = d.returnType;
        if (ret == RECORD) {
            throw new PgException("0A000", "functions returning records in the select list are not supported yet"
                    + " (use FROM " + d.name + "(...))");
        }
        int[] at = java.util.Arrays.copyOf(d.inTypes, c.nargs());
        return new TypeSystem.Fn(d.name, at, ret, -1, (a, ex) -> {
            Object r = call(d, a, ex);
            return r instanceof PlInterpreter.Rec rec ? rec.values[0] : r;
        }, d.strict);
    }

    /** A user-defined function returning rows (SETOF, TABLE, OUT parameters), for FROM. */
    TypeSystem.SetFn resolveSet(String name, int[] args) {
        Choice c = choose(name, args, false);
        if (c == null) {
            return null;
        }
        Def d = c.def();
        List<PlInterpreter.Param> outs = d.outParams();
        if (!d.retset && outs.size() < 2 && d.returnType != RECORD) {
            return null; // one value: the scalar function scan
        }
        List<String> names = new ArrayList<>();
        int[] types;
        if (outs.isEmpty()) {
            if (d.returnType == RECORD) {
                throw new PgException("42601", "a column definition list is required for functions returning"
                        + " \"record\"");
            }
            names.add(null);
            types = new int[] {d.returnType};
        } else {
            types = new int[outs.size()];
            for (int i = 0; i < outs.size(); i++) {
                names.add(outs.get(i).name() == null ? "column" + (i + 1) : outs.get(i).name());
                types[i] = outs.get(i).type();
            }
            if (outs.size() == 1 && outs.get(0).name() == null) {
                names.set(0, null);
            }
        }
        int width = types.length;
        int[] at = java.util.Arrays.copyOf(d.inTypes, c.nargs());
        return new TypeSystem.SetFn(d.name, at, names, types, d.strict, (a, ex) -> {
            Object r = call(d, a, ex);
            List<Object[]> rows = new ArrayList<>();
            if (r instanceof SetResult s) {
                rows.addAll(s.rows());
            } else if (r instanceof PlInterpreter.Rec rec) {
                rows.add(rec.values);
            } else {
                rows.add(new Object[] {r});
            }
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).length != width) {
                    rows.set(i, java.util.Arrays.copyOf(rows.get(i), width));
                }
            }
            return rows;
        });
    }

    /** The rows a set-returning call produced. */
    record SetResult(List<Object[]> rows) {
    }

    // ---------------------------------------------------------------- calls

    private Body body(Def d) {
        Body b = bodies.get(d.oid);
        if (b == null || !b.src.equals(d.src)) {
            b = new Body(d.src);
            bodies.put(d.oid, b);
        }
        return b;
    }

    /** Calls a routine with arguments coerced to its parameter types (defaults added here). */
    Object call(Def d, Object[] given, ExecState ex) {
        TypeSystemImpl ts = ts();
        Object[] args = withDefaults(d, given, ex);
        if (depth >= NestedSql.MAX_DEPTH) {
            throw new PgException("54001", "stack depth limit exceeded", null, "Increase the configuration"
                    + " parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth"
                    + " limit is adequate.");
        }
        depth++;
        try {
            Body b = body(d);
            NestedSql rt = new NestedSql(data, ex, d.volatility, b.parsed, b.plans);
            if (d.language == LANG_PLPGSQL) {
                if (b.pl == null) {
                    b.pl = PlParser.parse(d.src);
                }
                List<PlInterpreter.Param> params = d.params;
                PlInterpreter.Result r = PlInterpreter.run(b.pl, rt, (d.kind == 'p' ? "procedure " : "function ")
                        + d.signature(ts), d.name, params, args, d.returnType, -1, d.retset, null, b.tokens);
                return d.retset ? new SetResult(r.rows()) : r.value();
            }
            return callSql(d, b, rt, args);
        } catch (StackOverflowError e) {
            throw new PgException("54001", "stack depth limit exceeded", null, "Increase the configuration"
                    + " parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth"
                    + " limit is adequate.");
        } finally {
            depth--;
        }
    }

    /** Runs a trigger function (PL/pgSQL) for one event. */
    PlInterpreter.Result callTrigger(Def d, PlInterpreter.TriggerData tg, ExecState ex) {
        if (depth >= NestedSql.MAX_DEPTH) {
            throw new PgException("54001", "stack depth limit exceeded");
        }
        depth++;
        try {
            Body b = body(d);
            if (b.pl == null) {
                b.pl = PlParser.parse(d.src);
            }
            NestedSql rt = new NestedSql(data, ex, 'v', b.parsed, b.plans);
            return PlInterpreter.run(b.pl, rt, "function " + d.signature(ts()), d.name, List.of(), new Object[0],
                    TRIGGER, -1, false, tg, b.tokens);
        } finally {
            depth--;
        }
    }

    private Object[] withDefaults(Def d, Object[] given, ExecState ex) {
        int n = d.inTypes.length;
        if (given.length >= n) {
            return given;
        }
        Object[] out = java.util.Arrays.copyOf(given, n);
        int firstDefault = n - d.defaults.size();
        NestedSql rt = new NestedSql(data, ex, 'v', new HashMap<>(), new HashMap<>());
        for (int i = given.length; i < n; i++) {
            String expr = d.defaults.get(i - firstDefault);
            modgres.sql.pl.PlRuntime.Rows r = rt.run("SELECT " + expr, new int[0], new Object[0]);
            Object v = r.rows().get(0)[0];
            out[i] = rt.assign(v, r.types()[0], d.inTypes[i], -1);
        }
        return out;
    }

    private Object callSql(Def d, Body b, NestedSql rt, Object[] args) {
        if (b.sql == null) {
            List<Statement> list = new ArrayList<>();
            for (ParsedStatement ps : SqlParser.parse(d.src)) {
                String text = substituteNames(ps.text(), d);
                list.add(SqlParser.parseStatement(text));
            }
            b.sql = list;
        }
        int[] types = java.util.Arrays.copyOf(d.inTypes, d.inTypes.length);
        modgres.sql.pl.PlRuntime.Rows last = null;
        for (int i = 0; i < b.sql.size(); i++) {
            try {
                last = rt.run("sqlfn " + d.oid + " " + i, b.sql.get(i), types, args);
            } catch (PgException e) {
                throw e.addContext("SQL function \"" + d.name + "\" statement " + (i + 1));
            }
        }
        if (d.returnType == VOID || last == null || last.rows() == null) {
            return d.retset ? new SetResult(List.of()) : null;
        }
        List<PlInterpreter.Param> outs = d.outParams();
        if (d.retset) {
            List<Object[]> rows = new ArrayList<>();
            for (Object[] r : last.rows()) {
                rows.add(castRow(rt, r, last.types(), d, outs));
            }
            return new SetResult(rows);
        }
        if (last.rows().isEmpty()) {
            return null;
        }
        Object[] row = castRow(rt, last.rows().get(0), last.types(), d, outs);
        if (outs.size() > 1) {
            List<String> names = outs.stream().map(PlInterpreter.Param::name).toList();
            return new PlInterpreter.Rec(names, outs.stream().mapToInt(PlInterpreter.Param::type).toArray(), row);
        }
        return row[0];
    }

    private static Object[] castRow(NestedSql rt, Object[] r, int[] types, Def d, List<PlInterpreter.Param> outs) {
        Object[] out = r.clone();
        if (outs.size() > 1) {
            for (int i = 0; i < out.length && i < outs.size(); i++) {
                out[i] = rt.assign(out[i], types[i], outs.get(i).type(), -1);
            }
        } else if (out.length > 0 && d.returnType != RECORD) {
            out[0] = rt.assign(out[0], types[0], d.returnType, -1);
        }
        return out;
    }

    /** Parameter names in a SQL function's statement become $n (PostgreSQL resolves them the same way). */
    private static String substituteNames(String sql, Def d) {
        Map<String, Integer> names = new HashMap<>();
        int k = 0;
        for (PlInterpreter.Param p : d.params) {
            if (p.mode() == 'o' || p.mode() == 't') {
                continue;
            }
            k++;
            if (p.name() != null) {
                names.put(p.name(), k);
            }
        }
        if (names.isEmpty()) {
            return sql;
        }
        List<Token> toks = Lexer.tokenize(sql);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (int i = 0; i < toks.size(); i++) {
            Token t = toks.get(i);
            if (t.kind() != TokenKind.IDENT && t.kind() != TokenKind.KEYWORD) {
                continue;
            }
            Token prev = i > 0 ? toks.get(i - 1) : null;
            Token next = i + 1 < toks.size() ? toks.get(i + 1) : null;
            if (prev != null && prev.isChar('.') || next != null && next.isChar('(')) {
                continue;
            }
            int end = t.end();
            Integer n;
            if (next != null && next.isChar('.') && t.value().equals(d.name) && i + 2 < toks.size()) {
                n = names.get(toks.get(i + 2).value());
                end = toks.get(i + 2).end();
                if (n != null) {
                    i += 2;
                }
            } else if (next != null && next.isChar('.')) {
                continue;
            } else {
                n = names.get(t.value());
            }
            if (n == null) {
                continue;
            }
            out.append(sql, copied, t.start()).append('$').append(n);
            copied = end;
        }
        return out.append(sql.substring(copied)).toString();
    }

    // ---------------------------------------------------------------- DO and CALL

    String doBlock(Utility.Do d, ExecState ex) {
        String lang = d.language() == null ? "plpgsql" : d.language().toLowerCase(Locale.ROOT);
        if (lang.equals("sql")) {
            throw new PgException("0A000", "language \"sql\" does not support inline code execution");
        }
        if (!lang.equals("plpgsql")) {
            throw new PgException("42704", "language \"" + lang + "\" does not exist");
        }
        PlAst.Block block;
        try {
            block = PlParser.parse(d.code());
        } catch (PlParser.PlSyntaxError e) {
            throw new PgException(e.sqlState(), e.getMessage());
        }
        NestedSql rt = new NestedSql(data, ex, 'v', new HashMap<>(), new HashMap<>());
        depth++;
        try {
            PlInterpreter.run(block, rt, "function inline_code_block", "inline_code_block", List.of(),
                    new Object[0], VOID, -1, false, null, new java.util.IdentityHashMap<>());
        } finally {
            depth--;
        }
        return "DO";
    }

    String callProcedure(Utility.Call c, ExecState ex) {
        Expr.FuncCall fc = c.call();
        String name = fc.name().get(fc.name().size() - 1);
        NestedSql rt = new NestedSql(data, ex, 'v', new HashMap<>(), new HashMap<>());
        Object[] values = new Object[fc.args().size()];
        int[] types = new int[fc.args().size()];
        if (!fc.args().isEmpty()) {
            StringBuilder sql = new StringBuilder("SELECT ");
            for (int i = 0; i < fc.args().size(); i++) {
                sql.append(i > 0 ? ", " : "").append(SqlDeparser.deparse(fc.args().get(i)));
            }
            modgres.sql.pl.PlRuntime.Rows r = rt.run(sql.toString(), new int[0], new Object[0]);
            values = r.rows().get(0);
            types = r.types().clone();
            for (int i = 0; i < types.length; i++) {
                if (fc.args().get(i) instanceof Expr.Constant k && k.kind() == Expr.ConstKind.STRING) {
                    types[i] = 705; // an untyped literal stays unknown for resolution, as in PostgreSQL
                }
            }
        }
        Choice ch = choose(name, types, true);
        if (ch == null) {
            Choice asFunction = choose(name, types, false);
            StringBuilder sig = new StringBuilder(name).append('(');
            for (int i = 0; i < types.length; i++) {
                sig.append(i > 0 ? ", " : "").append(typeName(ts(), types[i]));
            }
            sig.append(')');
            if (asFunction != null) {
                throw new PgException("42809", sig + " is not a procedure", null,
                        "To call a function, use SELECT.", fc.position(), null);
            }
            throw new PgException("42883", "procedure " + sig + " does not exist", null,
                    "No procedure matches the given name and argument types. You might need to add explicit type"
                            + " casts.", fc.position(), null);
        }
        Def d = ch.def();
        Object[] args = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            args[i] = rt.assign(values[i], types[i], d.inTypes[i], -1);
        }
        if (d.strict) {
            for (Object a : args) {
                if (a == null) {
                    return "CALL";
                }
            }
        }
        call(d, args, ex);
        return "CALL";
    }

    /**
     * {@code SELECT f(args) [AS x] [ORDER BY ...]} without FROM, f a user-defined function returning rows: the
     * same query over {@code FROM f(args) AS f(x)}, as the rows PostgreSQL's ProjectSet gives for a lone
     * set-returning call in the select list. Other statements are returned unchanged (a set-returning
     * function elsewhere in a select list stays an error).
     */
    Statement targetListSetFunction(Statement st) {
        if (!(st instanceof SelectStmt s) || !(s.body() instanceof SelectStmt.Simple b) || !b.from().isEmpty()
                || b.targets().size() != 1 || b.where() != null || !b.groupBy().isEmpty() || b.into() != null
                || !(b.targets().get(0).value() instanceof Expr.FuncCall fc) || fc.over() != null || fc.star()
                || fc.name().size() > 2) {
            return st;
        }
        String name = fc.name().get(fc.name().size() - 1);
        boolean rows = false;
        for (Def d : defs().getOrDefault(name, List.of())) {
            rows |= d.kind == 'f' && d.retset && d.outParams().size() < 2;
        }
        if (!rows) {
            return st;
        }
        String col = b.targets().get(0).alias() != null ? b.targets().get(0).alias() : name;
        modgres.sql.ast.FromItem from = new modgres.sql.ast.FromItem.Function(fc.position(), false, false,
                List.of(new modgres.sql.ast.FromItem.FunctionItem(fc, List.of())), false,
                new modgres.sql.ast.Alias(name, List.of(col)), List.of());
        modgres.sql.ast.ResTarget target = new modgres.sql.ast.ResTarget(b.targets().get(0).position(),
                new Expr.ColumnRef(fc.position(), List.of(name, col), false), null);
        SelectStmt.Simple body = new SelectStmt.Simple(b.position(), b.distinct(), b.distinctOn(), List.of(target),
                null, List.of(from), null, false, List.of(), b.having(), b.windows());
        return new SelectStmt(s.position(), s.with(), body, s.orderBy(), s.limitCount(), s.limitOffset(),
                s.withTies(), s.locking());
    }

    // ---------------------------------------------------------------- what clients read (pg_proc, \\df)

    /** The user-defined rows of the client catalog pg_proc, in ClientCatalogs' column order. */
    TypeSystem.SetFn procCatalog() {
        List<String> names = List.of("oid", "proname", "pronamespace", "proowner", "prolang", "prokind",
                "proisstrict", "proretset", "provolatile", "pronargs", "prorettype", "proargtypes", "prosrc");
        int[] types = {26, 19, 26, 26, 26, 18, 16, 16, 18, 21, 26, 25, 25};
        return new TypeSystem.SetFn("modgres_user_procs", new int[0], names, types, false, (a, ex) -> {
            List<Object[]> rows = new ArrayList<>();
            SysTable t = SysTable.PG_PROC;
            for (List<Def> l : defs().values()) {
                for (Def d : l) {
                    Object[] r = d.row;
                    rows.add(new Object[] {d.oid, d.name, d.namespace, r[t.column("proowner")], d.language,
                        String.valueOf(d.kind), d.strict, d.retset, String.valueOf(d.volatility),
                        (short) d.inTypes.length, d.returnType, r[t.column("proargtypes")], d.src});
                }
            }
            return rows;
        });
    }

    /** pg_get_function_result of a user-defined routine, or null when the OID is not one. */
    String resultText(int oid) {
        Def d = byOid(oid);
        if (d == null) {
            return null;
        }
        if (d.kind == 'p') {
            return null;
        }
        List<PlInterpreter.Param> table = d.params.stream().filter(p -> p.mode() == 't').toList();
        if (!table.isEmpty()) {
            StringBuilder sb = new StringBuilder("TABLE(");
            for (int i = 0; i < table.size(); i++) {
                sb.append(i > 0 ? ", " : "").append(table.get(i).name()).append(' ')
                        .append(typeName(ts(), table.get(i).type()));
            }
            return sb.append(')').toString();
        }
        return (d.retset ? "SETOF " : "") + typeName(ts(), d.returnType);
    }

    /** pg_get_function_arguments of a user-defined routine (with defaults unless identity), or null. */
    String argumentsText(int oid, boolean identity) {
        Def d = byOid(oid);
        if (d == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        int in = 0;
        int firstDefault = d.inTypes.length - d.defaults.size();
        for (PlInterpreter.Param p : d.params) {
            if (p.mode() == 't' || identity && p.mode() == 'o') {
                continue;
            }
            sb.append(sb.isEmpty() ? "" : ", ");
            sb.append(switch (p.mode()) {
                case 'o' -> "OUT ";
                case 'b' -> "INOUT ";
                case 'v' -> "VARIADIC ";
                default -> "";
            });
            if (p.name() != null) {
                sb.append(p.name()).append(' ');
            }
            sb.append(typeName(ts(), p.type()));
            if (p.mode() != 'o') {
                if (!identity && in >= firstDefault && in - firstDefault < d.defaults.size()) {
                    sb.append(" DEFAULT ").append(d.defaults.get(in - firstDefault));
                }
                in++;
            }
        }
        return sb.toString();
    }
}
