package modgres.sql.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;

import modgres.api.access.TupleData;
import modgres.api.error.PgException;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.TypeSystem;
import modgres.sql.types.BinaryIO;
import modgres.sql.types.Casts;
import modgres.sql.types.Compare;
import modgres.sql.types.KeyEncoding;
import modgres.sql.types.SessionContext;
import modgres.sql.types.TextIO;
import modgres.sql.types.TupleCodec;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/**
 * The executor's view of {@code modgres.sql.types} for one session: type
 * lookup, input/output in the session's settings, tuples, keys, casts, and
 * operator/function resolution with PostgreSQL's rules.
 */
final class TypeSystemImpl implements TypeSystem {
    private final EngineSession session;
    /** The settings of the running statement (see {@link TypesContext}). */
    SessionContext ctx = SessionContext.DEFAULT;
    /** The session's user-defined functions, joined with the built-ins in {@link #function}; null without data. */
    UserFunctions functions;
    /** The session's domains (their names, base types and checks); null without data. */
    Domains domains;
    /** The session's user-defined operators, asked before the built-ins in {@link #operator}; null without data. */
    UserOperators operators;

    TypeSystemImpl(EngineSession session) {
        this.session = session;
    }

    /** A setting of the session (the planner's enable_* and work_mem), null when unknown or without a session. */
    String sessionSetting(String name) {
        return session == null ? null : session.setting(name);
    }

    /** xid (28, a type of its own: Long unsigned 32-bit) and tid (27, only as the ctid system column). */
    static final int XID = 28, TID = 27;

    static Type type(int oid) {
        Type t = Types.byOid(oid);
        if (t == null) {
            throw new PgException("42704", "type with OID " + Integer.toUnsignedString(oid) + " does not exist");
        }
        return t;
    }

    private static Type[] types(int[] oids) {
        Type[] t = new Type[oids.length];
        for (int i = 0; i < oids.length; i++) {
            t[i] = type(oids[i]);
        }
        return t;
    }

    private SessionContext ctx(ExecState ex) {
        return ctx;
    }

    int typlen(int oid) {
        if (oid == TID) {
            return 6;
        }
        Type t = Types.byOid(oid);
        return t == null ? -1 : t.typlen();
    }

    // ------------------------------------------------------------------ TypeSupport

    @Override
    public TupleData form(int[] t, Object[] values) {
        return TupleCodec.form(types(t), values);
    }

    @Override
    public Object[] deform(int[] t, TupleData data) {
        return TupleCodec.deform(types(t), data);
    }

    @Override
    public Object[] deform(int[] t, TupleData data, modgres.sql.toast.Varlena.Detoaster detoaster) {
        return TupleCodec.deform(types(t), data, t.length, detoaster);
    }

    @Override
    public void deformInto(int[] t, TupleData data, modgres.sql.toast.Varlena.Detoaster detoaster, boolean[] need,
            Object[] out) {
        TupleCodec.deformInto(scanTypes(t), data, detoaster, need, out);
    }

    /** The last type array a scan deformed with (scans pass the same int[] for every row). */
    private record ResolvedTypes(int[] oids, Type[] types) {
    }

    private volatile ResolvedTypes lastResolved;

    private Type[] scanTypes(int[] oids) {
        ResolvedTypes r = lastResolved;
        if (r == null || r.oids() != oids) {
            r = new ResolvedTypes(oids, types(oids));
            lastResolved = r;
        }
        return r.types();
    }

    @Override
    public int compare(int t, Object a, Object b) {
        if (t == TID) {
            return Long.compareUnsigned((Long) a, (Long) b);
        }
        return Compare.compare(type(t), a, b);
    }

    @Override
    public Object hashKey(int t, Object v) {
        if (t == TID) {
            return v;
        }
        return new HashKey(type(t), v);
    }

    /** Equality and hash of the type, for hash tables. */
    private record HashKey(Type type, Object v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof HashKey k && Compare.equal(type, v, k.v);
        }

        @Override
        public int hashCode() {
            return Compare.hash(type, v);
        }
    }

    @Override
    public byte[] indexKey(int[] t, Object[] values) {
        return KeyEncoding.encode(types(t), values, null);
    }

    @Override
    public String output(int t, Object v) {
        if (t == TID) {
            return modgres.api.access.Tid.toString((Long) v);
        }
        return TextIO.output(type(t), v, ctx);
    }

    @Override
    public String outputText(int t, Object v, ExecState ex) {
        return output(t, v);
    }

    byte[] send(int t, Object v, ExecState ex) {
        if (t == TID) {
            long tid = (Long) v;
            return ByteBuffer.allocate(6).putInt(modgres.api.access.Tid.block(tid))
                    .putShort((short) modgres.api.access.Tid.offset(tid)).array();
        }
        return BinaryIO.send(type(t), v);
    }

    Object receive(int t, byte[] data, EngineSession s) {
        return BinaryIO.receive(type(t == 0 ? 25 : t), -1, ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN));
    }

    Object inputText(int t, String s, EngineSession session) {
        return TextIO.input(type(t == 0 ? 25 : t), -1, s, ctx);
    }

    // ------------------------------------------------------------------ TypeSystem

    /**
     * User-defined types by name ({@code [schema.]name}) as the running statement's catalog and search_path find
     * them: the OID, 0 when none. Set per statement by the data path; null without a catalog.
     */
    java.util.function.ToIntFunction<List<String>> userTypes;
    /** The running statement's pg_type heap rows (user-defined types); set with {@link #userTypes}. */
    java.util.function.Supplier<List<modgres.sql.catalog.CatalogStore.Row>> userTypeRows = List::of;
    /** The database's pg_policy heap rows (the client catalog pg_policy reads them through modgres_policies()). */
    java.util.function.Supplier<List<modgres.sql.catalog.CatalogStore.Row>> policyRows = List::of;

    @Override
    public int typeOid(List<String> names, boolean array) {
        String n = names.get(names.size() - 1);
        boolean qualified = names.size() > 1 && !names.get(names.size() - 2).equals("pg_catalog");
        // the parser turns the key word CHAR into bpchar: a name "char" left here was quoted, the one-byte type
        Type t = qualified ? null : n.equals("char") ? Types.CHAR : Types.byName(n);
        if (t == null && domains != null) {
            // a domain: its own OID (Types.byOid of it gives its base type's descriptor)
            int d = domains.lookup(names, true);
            if (d != 0 && domains.domain(d) != null) {
                if (array) {
                    int a = domains.arrayOf(d);
                    if (a == 0) {
                        throw new PgException("42704", "type \"" + n + "[]\" does not exist");
                    }
                    return a;
                }
                return d;
            }
        }
        if (t == null && userTypes != null) {
            int u = userTypes.applyAsInt(names);
            t = u == 0 ? null : Types.byOid(u);
        }
        if (t == null && qualified) {
            throw new PgException("42704", "type \"" + String.join(".", names) + "\" does not exist");
        }
        if (t == null || Types.isPseudo(t) && !n.equals("void")) {
            throw new PgException("42704", "type \"" + n + "\" does not exist");
        }
        if (array) {
            Type a = t.array();
            if (a == null) {
                throw new PgException("42704", "type \"" + n + "[]\" does not exist");
            }
            return a.oid();
        }
        return t.oid();
    }

    @Override
    public int typmod(int t, List<Integer> mods) {
        if (mods.isEmpty()) {
            return -1;
        }
        return Types.typmod(type(t), mods.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public String format(int t, int typmod) {
        if (t == TID) {
            return "tid";
        }
        if (domains != null && t >= 16384) {
            Domains.Domain d = domains.domain(t);
            if (d != null) {
                return d.name;
            }
            d = domains.domainOfArray(t);
            if (d != null) {
                return d.name + "[]";
            }
        }
        Type ty = Types.byOid(t);
        return ty == null ? "???" : ty.format(typmod);
    }

    @Override
    public char category(int t) {
        return type(t).typcategory();
    }

    @Override
    public Object input(int t, int typmod, String text, ExecState ex) {
        return TextIO.input(type(t), typmod, text, ctx);
    }

    @Override
    public Cast cast(int from, int to, int typmod, CastContext context) {
        if (UserTypeSupport.involves(from) || UserTypeSupport.involves(to)) {
            return from == to ? (v, ex) -> v : UserTypeSupport.cast(this, from, to, typmod, context);
        }
        if (domains != null && from != to && (from >= 16384 || to >= 16384)) {
            Cast check = domainCheck(to);
            int fb = baseType(from);
            int tb = baseType(to);
            if (check != null || fb != from) {
                // a domain is its base type here; a cast to a domain ends with the domain's checks
                Cast toBase = fb == tb && typmod < 0 && (check == null || baseTypmod(to) < 0) ? (v, ex) -> v
                        : cast(fb, tb, check != null ? baseTypmod(to) : typmod, context);
                if (toBase == null || check == null) {
                    return toBase;
                }
                return (v, ex) -> check.apply(toBase.apply(v, ex), ex);
            }
        }
        Type f = type(from);
        Type t = type(to);
        Casts.Context cc = Casts.Context.valueOf(context.name());
        if (from == to) {
            if (typmod < 0) {
                return (v, ex) -> v;
            }
            return (v, ex) -> Casts.applyTypmod(t, typmod, v, context == CastContext.EXPLICIT);
        }
        if (!Casts.canCoerce(f, t, cc)) {
            return null;
        }
        return (v, ex) -> Casts.coerce(f, t, typmod, v, cc, ctx);
    }

    @Override
    public int commonType(int[] ts, String context) {
        if (domains != null) {
            // values of different types: a domain counts as its base type (PostgreSQL's select_common_type)
            int first = 0;
            boolean same = true;
            for (int t : ts) {
                if (t != 705) {
                    same &= first == 0 || first == t;
                    first = first == 0 ? t : first;
                }
            }
            if (!same) {
                ts = ts.clone();
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = ts[i] == 705 ? 705 : baseType(ts[i]);
                }
            }
        }
        int best = 0;
        for (int t : ts) {
            if (t == 705) {
                continue;
            }
            if (best == 0) {
                best = t;
                continue;
            }
            if (best == t) {
                continue;
            }
            Type b = type(best);
            Type c = type(t);
            if (b.typcategory() != c.typcategory()) {
                throw new PgException("42804", context + " types " + b.sqlName() + " and " + c.sqlName()
                        + " cannot be matched");
            }
            // prefer the type the other casts to implicitly (and the preferred type of the category)
            boolean toC = Casts.canCoerce(b, c, Casts.Context.IMPLICIT);
            boolean toB = Casts.canCoerce(c, b, Casts.Context.IMPLICIT);
            if (toC && (!toB || c.typispreferred())) {
                best = t;
            }
        }
        return best == 0 ? 25 : best;
    }

    /** A resolved routine of the type library as the executor calls it. */
    private Fn fn(String name, modgres.sql.types.Routine.Resolved r, int nargs) {
        int[] at = new int[nargs];
        Type[] rt = r.argTypes();
        for (int i = 0; i < nargs; i++) {
            at[i] = rt.length == 0 ? 2276 : rt[Math.min(i, rt.length - 1)].oid();
        }
        return new Fn(name, at, r.resultType().oid(), -1, (a, ex) -> r.invoke(a, ctx), r.routine().strict(),
                volatility(r));
    }

    /**
     * The routine's volatility; operators over timestamptz/timetz count as stable (their results follow
     * the session's TimeZone, as PostgreSQL marks them), the other built-in operators are immutable.
     */
    private static char volatility(modgres.sql.types.Routine.Resolved r) {
        char v = r.routine().volatility();
        if (v == 'i' && r.routine().kind() == modgres.sql.types.Routine.Kind.OPERATOR) {
            for (Type t : r.argTypes()) {
                if (t.oid() == 1184 || t.oid() == 1266) {
                    return 's';
                }
            }
        }
        return v;
    }

    private static Type argType(int oid) {
        return type(oid);
    }

    @Override
    public Fn operator(String name, int left, int right) {
        Fn rowOrEnum = UserTypeSupport.operator(name, left, right);
        if (rowOrEnum != null) {
            return rowOrEnum;
        }
        // OPERATOR(schema.op) arrives as "schema.op" (operator names have no dots)
        int dot = name.lastIndexOf('.');
        String schema = dot < 0 ? null : name.substring(0, dot);
        String op = dot < 0 ? name : name.substring(dot + 1);
        if (operators != null) {
            Fn user = operators.exact(schema, op, left, right);
            if (user != null && (schema != null || !builtinExact(op, left, right))) {
                return user; // an exact built-in one wins unqualified: pg_catalog is searched first
            }
        }
        if (schema != null && !schema.equals("pg_catalog") && operators != null) {
            Fn user = operators.coercible(schema, op, left, right);
            if (user != null) {
                return user;
            }
            throw noOperator(op, left, right, schema);
        }
        try {
            modgres.sql.types.Routine.Resolved r = modgres.sql.types.Catalog.resolveOperator(op,
                    left == 0 ? null : argType(left), argType(right));
            return fn(op, r, left == 0 ? 1 : 2);
        } catch (PgException e) {
            Fn user = operators == null || !"42883".equals(e.sqlState()) ? null
                    : operators.coercible(schema, op, left, right);
            if (user != null) {
                return user;
            }
            if ("42883".equals(e.sqlState()) && (left >= 16384 || right >= 16384)) {
                throw noOperator(op, left, right, schema); // named with the domains, as PostgreSQL names them
            }
            throw e;
        }
    }

    /** Whether a built-in operator takes exactly these operand types (an unknown one as the other side's). */
    private static boolean builtinExact(String op, int left, int right) {
        int l = left == Types.UNKNOWN_OID ? right : left;
        int r = right == Types.UNKNOWN_OID ? left : right;
        for (modgres.sql.types.Routine o : modgres.sql.types.Catalog.operators()) {
            Type[] at = o.argTypes();
            if (o.name().equals(op) && at.length == (l == 0 ? 1 : 2) && at[at.length - 1].oid() == r
                    && (l == 0 || at[0].oid() == l)) {
                return true;
            }
        }
        return false;
    }

    private PgException noOperator(String op, int left, int right, String schema) {
        String shown = schema == null ? op : schema + "." + op;
        String sig = left == 0 ? shown + " " + format(right, -1)
                : format(left, -1) + " " + shown + " " + format(right, -1);
        return new PgException("42883", "operator does not exist: " + sig, null,
                "No operator matches the given name and argument types. You might need to add explicit type casts.");
    }

    // ------------------------------------------------------------------ domains

    @Override
    public Cast domainCheck(int type) {
        return domains == null || type < 16384 ? null : domains.check(type);
    }

    @Override
    public int baseType(int type) {
        return domains == null || type < 16384 ? type : domains.baseType(type);
    }

    @Override
    public int baseTypmod(int type) {
        return domains == null || type < 16384 ? -1 : domains.baseTypmod(type);
    }

    @Override
    public int functionNameAsType(List<String> names) {
        if (domains == null) {
            return 0;
        }
        int oid = domains.lookup(names, false);
        return oid != 0 && domains.domain(oid) != null ? oid : 0;
    }

    /** A type name as regtype input writes it: {@code [schema.]name[[]]}, quoted parts kept, others folded. */
    private record TypeNameText(List<String> names, boolean array) {
        static TypeNameText of(String text) {
            String n = text.strip();
            boolean array = n.endsWith("[]");
            if (array) {
                n = n.substring(0, n.length() - 2).strip();
            }
            List<String> names = new java.util.ArrayList<>();
            for (String part : n.split("\\.")) {
                names.add(part.startsWith("\"") && part.endsWith("\"") && part.length() > 1
                        ? part.substring(1, part.length() - 1) : part.toLowerCase(Locale.ROOT));
            }
            return new TypeNameText(names, array);
        }
    }

    /** regtype input of a composite or enum type's name ({@code [schema.]name}, {@code name[]}): its OID or -1. */
    private long userTypeOid(String name) {
        if (userTypes == null) {
            return -1;
        }
        TypeNameText tn = TypeNameText.of(name);
        boolean array = tn.array();
        List<String> names = tn.names();
        int oid = userTypes.applyAsInt(names);
        Type t = oid == 0 ? null : Types.byOid(oid);
        if (t == null) {
            return -1;
        }
        return array ? (t.arrayOid() == 0 ? -1 : t.arrayOid()) : oid;
    }

    /** regtype input of a domain's name ({@code [schema.]name}, {@code name[]}): its OID, -1 when none. */
    long domainOid(String name) {
        long composite = userTypeOid(name);
        if (composite >= 0) {
            return composite;
        }
        if (domains == null) {
            return -1;
        }
        TypeNameText tn = TypeNameText.of(name);
        boolean array = tn.array();
        List<String> names = tn.names();
        int oid = domains.lookup(names, true);
        if (oid != 0 && !array && domains.domainOfArray(oid) != null) {
            return oid; // _name: the array type of a domain
        }
        if (oid == 0 || domains.domain(oid) == null) {
            return -1;
        }
        return array ? domains.arrayOf(oid) : oid;
    }

    /** regtype output of a domain or a domain's array type: its name, null for other types. */
    String domainName(int oid) {
        if (domains == null || oid < 16384) {
            return null;
        }
        return domains.domain(oid) != null || domains.domainOfArray(oid) != null ? format(oid, -1) : null;
    }

    @Override
    public String domainDefault(int type) {
        return domains == null || type < 16384 ? null : domains.defaultSql(type);
    }

    @Override
    public Fn function(String name, int[] args) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("pg_typeof") && args.length == 1 && domains != null && args[0] >= 16384
                && (domains.domain(args[0]) != null || domains.domainOfArray(args[0]) != null)) {
            long domain = args[0]; // the domain itself, not the base type its values have
            return new Fn(n, new int[] {2276}, Types.REGTYPE_OID, -1, (a, ex) -> domain, false, 's');
        }
        Fn enumFn = UserTypeSupport.function(n, args);
        if (enumFn != null) {
            return enumFn;
        }
        Fn f = SessionFunctions.resolve(n, args);
        if (f != null) {
            return f;
        }
        if (functions != null) {
            Fn user = functions.resolve(n, args);
            if (user != null) {
                return user;
            }
        }
        Type[] types = new Type[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = argType(args[i]);
        }
        Fn extra = ExtraFunctions.resolve(this, n, args);
        if (extra != null) {
            return extra;
        }
        try {
            return fn(n, modgres.sql.types.Catalog.resolveFunction(n, types), args.length);
        } catch (PgException e) {
            Fn proc = "42883".equals(e.sqlState()) ? operatorProc(n, types) : null;
            if (proc != null) {
                return proc;
            }
            throw e;
        }
    }

    /**
     * The function behind a built-in operator called by its own name ({@code array_eq(a, b)}, {@code int4mi(a, b)}),
     * as pg_proc has them: the operator whose proc it is, resolved for these arguments; null when none.
     */
    private Fn operatorProc(String name, Type[] args) {
        if (args.length < 1 || args.length > 2) {
            return null;
        }
        for (modgres.sql.types.Routine r : modgres.sql.types.Catalog.operators()) {
            if (name.equals(r.proc()) && r.argTypes().length == args.length) {
                try {
                    modgres.sql.types.Routine.Resolved res = modgres.sql.types.Catalog.resolveOperator(r.name(),
                            args.length == 1 ? null : args[0], args[args.length - 1]);
                    if (name.equals(res.routine().proc())) {
                        return fn(name, res, args.length);
                    }
                } catch (PgException e) {
                    // another operator of that name fits these arguments: not this function
                }
            }
        }
        return null;
    }


    @Override
    public SetFn setFunction(String name, int[] args) {
        if (args.length == 1 && name.equals("pg_partition_ancestors")) {
            return partitionAncestors();
        }
        if (args.length == 0 && name.equals("modgres_policies")) {
            return modgres.sql.exec.RowSecurity.catalogRows(policyRows);
        }
        if (args.length == 0 && name.equals("modgres_user_types")) {
            return UserTypeSupport.catalogRows(userTypeRows); // the user-defined part of the client catalog pg_type
        }
        if (functions != null && args.length == 0 && name.equals("modgres_user_procs")) {
            return functions.procCatalog(); // the user-defined part of the client catalog pg_proc
        }
        return functions == null ? null : functions.resolveSet(name.toLowerCase(Locale.ROOT), args);
    }

    /**
     * pg_partition_ancestors(regclass): the relation and the partitioned tables above it, nearest first; no rows
     * for a relation that is neither a partition nor partitioned (psql adds the relation itself).
     */
    private SetFn partitionAncestors() {
        int regclass = 2205;
        return new SetFn("pg_partition_ancestors", new int[] {regclass}, List.of("relid"), new int[] {regclass}, true,
                (a, ex) -> {
                    List<Object[]> rows = new java.util.ArrayList<>();
                    modgres.sql.catalog.CatalogView cat = session.catalogView();
                    int oid = (int) ((Number) a[0]).longValue();
                    if (cat == null || cat.inheritance().partitionParent(oid) == 0
                            && cat.inheritance().partitionKey(oid) == null) {
                        return rows;
                    }
                    for (int cur = oid; cur != 0; cur = cat.inheritance().partitionParent(cur)) {
                        rows.add(new Object[] {Integer.toUnsignedLong(cur)});
                    }
                    return rows;
                });
    }

    @Override
    public Fn functionVariadic(String name, int[] args) {
        String n = name.toLowerCase(Locale.ROOT);
        Type[] types = new Type[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = argType(args[i]);
        }
        return fn(n, modgres.sql.types.Catalog.resolveFunctionVariadic(n, types), args.length);
    }

    @Override
    public boolean isAggregate(String name) {
        return modgres.sql.types.Catalog.isAggregate(name);
    }

    @Override
    public Agg aggregate(String name, int[] args) {
        Agg enumAgg = UserTypeSupport.aggregate(name, args);
        if (enumAgg != null) {
            return enumAgg;
        }
        Type[] types = new Type[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = argType(args[i]);
        }
        modgres.sql.types.Routine.Resolved r = modgres.sql.types.Catalog.resolveFunction(name, types);
        if (r.routine().kind() != modgres.sql.types.Routine.Kind.AGGREGATE) {
            throw new PgException("42809", name + " is not an aggregate function");
        }
        int[] at = new int[args.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = r.argTypes()[Math.min(i, r.argTypes().length - 1)].oid();
        }
        int n = args.length;
        return new Agg(at, r.resultType().oid(), () -> {
            modgres.sql.types.Aggregates.Accumulator a = modgres.sql.types.Aggregates.create(r, ctx);
            return new modgres.sql.exec.Aggregate.State() {
                @Override
                public void add(Object v) {
                    a.add(n == 0 ? new Object[0] : n == 1 ? new Object[] {v} : (Object[]) v);
                }

                @Override
                public Object result() {
                    return a.result();
                }
            };
        });
    }
}
