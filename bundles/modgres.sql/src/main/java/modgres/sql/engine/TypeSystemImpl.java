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

    TypeSystemImpl(EngineSession session) {
        this.session = session;
    }

    /** A setting of the session (the planner's enable_* and work_mem), null when unknown or without a session. */
    String sessionSetting(String name) {
        return session == null ? null : session.setting(name);
    }

    /** xid (28) is stored and compared as oid (26): both unsigned 32-bit, 'i' aligned. */
    static final int XID = 28, TID = 27;

    static Type type(int oid) {
        if (oid == XID) {
            oid = 26;
        }
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
        Type t = Types.byOid(oid == XID ? 26 : oid);
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

    @Override
    public int typeOid(List<String> names, boolean array) {
        String n = names.get(names.size() - 1);
        if (names.size() > 1 && !names.get(names.size() - 2).equals("pg_catalog")) {
            throw new PgException("42704", "type \"" + String.join(".", names) + "\" does not exist");
        }
        // the parser turns the key word CHAR into bpchar: a name "char" left here was quoted, the one-byte type
        Type t = n.equals("char") ? Types.CHAR : Types.byName(n);
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
        if (t == XID || t == TID) {
            return t == XID ? "xid" : "tid";
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
        modgres.sql.types.Routine.Resolved r = modgres.sql.types.Catalog.resolveOperator(name,
                left == 0 ? null : argType(left), argType(right));
        return fn(name, r, left == 0 ? 1 : 2);
    }

    @Override
    public Fn function(String name, int[] args) {
        String n = name.toLowerCase(Locale.ROOT);
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
        return fn(n, modgres.sql.types.Catalog.resolveFunction(n, types), args.length);
    }


    @Override
    public SetFn setFunction(String name, int[] args) {
        if (functions != null && args.length == 0 && name.equals("modgres_user_procs")) {
            return functions.procCatalog(); // the user-defined part of the client catalog pg_proc
        }
        return functions == null ? null : functions.resolveSet(name.toLowerCase(Locale.ROOT), args);
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
