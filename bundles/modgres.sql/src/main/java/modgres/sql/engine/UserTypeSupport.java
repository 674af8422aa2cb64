package modgres.sql.engine;

/*
 * Design notes
 * ------------
 * The casts, operators and functions of composite and enum types that the
 * built-in catalog (modgres.sql.types.Catalog, Casts) has no rows for,
 * answered before it is asked (TypeSystemImpl):
 *
 *   casts      ROW(...) / record / another composite -> composite: field by
 *              field in assignment context (PostgreSQL's coerce_record_to_complex;
 *              42846 "cannot cast type record to t" with DETAIL "Input has too
 *              many/few columns."); composite, enum, record -> text types: the
 *              output function (an assignment cast, as PostgreSQL's automatic
 *              I/O conversion casts); text types -> composite, enum: the input
 *              function (explicit only); arrays of them element by element
 *   operators  = <> < <= > >= between two values of one enum type (by
 *              enumsortorder) or two composite values (record_eq / record_lt
 *              ...: field by field, a NULL field equal to NULL and after any value)
 *   functions  enum_first, enum_last, enum_range(anyenum), enum_range(a, b)
 */

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.sql.exec.TypeSystem;
import modgres.sql.types.Compare;
import modgres.sql.types.PgArray;
import modgres.sql.types.PgEnum;
import modgres.sql.types.PgRecord;
import modgres.sql.types.TextIO;
import modgres.sql.types.Type;
import modgres.sql.types.Types;
import modgres.sql.types.UserTypes;

/** Casts, operators and functions over composite and enum types; see the design notes. */
final class UserTypeSupport {
    private UserTypeSupport() {
    }

    static final int RECORD = Types.RECORD_OID, UNKNOWN = Types.UNKNOWN_OID, BOOL = Types.BOOL_OID;

    /** True for enum, composite and record types and arrays of them. */
    static boolean involves(int oid) {
        Type t = Types.byOid(oid);
        if (t == null) {
            return false;
        }
        if (t.isArray()) {
            t = t.elem();
        }
        return t != null && (t.isEnum() || t.isComposite() || t.oid() == RECORD);
    }

    private static boolean isRowType(Type t) {
        return t.isComposite() || t.oid() == RECORD;
    }

    private static boolean isText(Type t) {
        return t.oid() == Types.TEXT_OID || t.oid() == Types.VARCHAR_OID || t.oid() == Types.BPCHAR_OID
                || t.oid() == Types.NAME_OID;
    }

    /**
     * The cast between two types of which one at least is a user type (or record), or null when there is none;
     * {@code cast} resolves element casts of arrays (back through the type system).
     */
    static TypeSystem.Cast cast(TypeSystemImpl ts, int from, int to, int typmod, TypeSystem.CastContext cc) {
        Type f = Types.byOid(from);
        Type t = Types.byOid(to);
        if (f == null || t == null) {
            return null;
        }
        if (t.isComposite() && isRowType(f)) {
            return (v, ex) -> toComposite((PgRecord) v, t, ts);
        }
        if ((f.isEnum() || isRowType(f)) && isText(t)) {
            if (cc == TypeSystem.CastContext.IMPLICIT) {
                return null;
            }
            TypeSystem.Cast len = t.oid() == Types.TEXT_OID ? null : ts.cast(Types.TEXT_OID, to, typmod, cc);
            return (v, ex) -> {
                String s = TextIO.output(f, v, ts.ctx);
                return len == null ? s : len.apply(s, ex);
            };
        }
        if (isText(f) && (t.isEnum() || t.isComposite())) {
            if (cc != TypeSystem.CastContext.EXPLICIT) {
                return null;
            }
            return (v, ex) -> TextIO.input(t, typmod, f.oid() == Types.BPCHAR_OID ? TextIO.rtrimBlanks((String) v)
                    : (String) v, ts.ctx);
        }
        if (f.isArray() && t.isArray()) {
            TypeSystem.Cast el = f.elemOid() == t.elemOid() ? (v, ex) -> v : ts.cast(f.elemOid(), t.elemOid(), -1, cc);
            if (el == null) {
                return null;
            }
            Type te = t.elem();
            return (v, ex) -> {
                PgArray a = (PgArray) v;
                Object[] out = new Object[a.values().length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = a.values()[i] == null ? null : el.apply(a.values()[i], ex);
                }
                return new PgArray(te, out, a.dims(), a.lbounds());
            };
        }
        return null;
    }

    /** A composite or record value as a value of composite type {@code t}, field by field. */
    static PgRecord toComposite(PgRecord r, Type t, TypeSystemImpl ts) {
        UserTypes.Fields f = t.fields();
        int n = f.types().length;
        if (r.values().length != n) {
            throw new PgException("42846", "cannot cast type " + Types.byOid(r.typeOid()).sqlName() + " to "
                    + t.sqlName(), r.values().length > n ? "Input has too many columns." : "Input has too few columns.",
                    null);
        }
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            Object v = r.values()[i];
            int from = r.fieldTypes()[i];
            int to = f.types()[i];
            if (v == null) {
                continue;
            }
            if (from == UNKNOWN) {
                out[i] = ts.input(to, f.typmods()[i], v.toString(), null);
                continue;
            }
            if (from == to && f.typmods()[i] < 0) {
                out[i] = v;
                continue;
            }
            TypeSystem.Cast c = ts.cast(from, to, f.typmods()[i], TypeSystem.CastContext.ASSIGNMENT);
            if (c == null) {
                throw new PgException("42846", "cannot cast type " + ts.format(r.typeOid(), -1) + " to "
                        + t.sqlName(),
                        "Cannot cast type " + ts.format(from, -1) + " to " + ts.format(to, -1) + " in column "
                                + (i + 1) + ".", null);
            }
            out[i] = c.apply(v, null);
        }
        return new PgRecord(t.oid(), f.types(), out);
    }

    private static final Set<String> COMPARISONS = Set.of("=", "<>", "<", "<=", ">", ">=");

    /** A comparison between enum or composite values, or null when the operands are not such. */
    static TypeSystem.Fn operator(String op, int left, int right) {
        if (left == 0 || !COMPARISONS.contains(op)) {
            return null;
        }
        Type l = Types.byOid(left == UNKNOWN ? right : left);
        Type r = Types.byOid(right == UNKNOWN ? left : right);
        if (l == null || r == null) {
            return null;
        }
        boolean enums = l.isEnum() && r.isEnum();
        boolean rows = isRowType(l) && isRowType(r);
        if (!enums && !rows) {
            return null;
        }
        if (enums && l.oid() != r.oid()) {
            return null;
        }
        Type cmpType = l;
        TypeSystem.Impl impl = (a, ex) -> {
            int c = Compare.compare(cmpType, a[0], a[1]);
            return switch (op) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        };
        return new TypeSystem.Fn(op, new int[] {l.oid(), r.oid()}, BOOL, -1, impl, true, 'i');
    }

    /** enum_first, enum_last, enum_range over an enum type, or null when {@code name(args)} is not one of them. */
    static TypeSystem.Fn function(String name, int[] args) {
        if (!name.equals("enum_first") && !name.equals("enum_last") && !name.equals("enum_range")) {
            return null;
        }
        int typeOid = 0;
        for (int a : args) {
            Type t = Types.byOid(a);
            if (t != null && t.isEnum()) {
                if (typeOid != 0 && typeOid != a) {
                    return null;
                }
                typeOid = a;
            } else if (a != UNKNOWN) {
                return null;
            }
        }
        if (typeOid == 0) {
            if (args.length > 0 && args[0] == UNKNOWN) {
                throw new PgException("42804", "could not determine polymorphic type because input has type unknown");
            }
            return null;
        }
        Type t = Types.byOid(typeOid);
        int[] at = new int[args.length];
        java.util.Arrays.fill(at, typeOid);
        if (name.equals("enum_range") && args.length == 2) {
            return new TypeSystem.Fn(name, at, t.arrayOid(), -1, (a, ex) -> range(current(t), (PgEnum) a[0],
                    (PgEnum) a[1]), false, 's');
        }
        if (args.length != 1) {
            return null;
        }
        return switch (name) {
            case "enum_first" -> new TypeSystem.Fn(name, at, typeOid, -1, (a, ex) -> first(current(t), true), false,
                    's');
            case "enum_last" -> new TypeSystem.Fn(name, at, typeOid, -1, (a, ex) -> first(current(t), false), false,
                    's');
            default -> new TypeSystem.Fn(name, at, t.arrayOid(), -1, (a, ex) -> range(current(t), null, null), false,
                    's');
        };
    }

    /** The columns of ClientCatalogs' pg_type, in its order. */
    private static final List<String> PG_TYPE_COLUMNS = List.of("oid", "typname", "typnamespace", "typowner",
            "typlen", "typbyval", "typtype", "typcategory", "typispreferred", "typisdefined", "typdelim", "typrelid",
            "typelem", "typarray", "typinput", "typoutput", "typalign", "typnotnull", "typbasetype", "typtypmod",
            "typndims", "typcollation", "typdefault");
    private static final int[] PG_TYPE_TYPES = {26, 19, 26, 26, 21, 16, 18, 18, 16, 16, 18, 26, 26, 26, 25, 25, 18,
        16, 26, 23, 23, 26, 25};

    /**
     * modgres_user_types(): the rows of the database's pg_type heap (user-defined types) in the columns of the
     * client catalog pg_type, which adds them to the built-in types' rows.
     */
    static TypeSystem.SetFn catalogRows(java.util.function.Supplier<List<modgres.sql.catalog.CatalogStore.Row>> rows) {
        modgres.sql.catalog.SysTable t = modgres.sql.catalog.SysTable.PG_TYPE;
        return new TypeSystem.SetFn("modgres_user_types", new int[0], PG_TYPE_COLUMNS, PG_TYPE_TYPES, false,
                (args, ex) -> {
                    List<Object[]> out = new ArrayList<>();
                    List<modgres.sql.catalog.CatalogStore.Row> rs = rows.get();
                    for (modgres.sql.catalog.CatalogStore.Row r : rs == null ? List.<modgres.sql.catalog.CatalogStore.Row>of() : rs) {
                        Object[] o = new Object[PG_TYPE_COLUMNS.size()];
                        for (int i = 0; i < o.length; i++) {
                            Object v = r.get(t, PG_TYPE_COLUMNS.get(i));
                            o[i] = PG_TYPE_TYPES[i] == 26 && v instanceof Integer n ? Integer.toUnsignedLong(n) : v;
                        }
                        out.add(o);
                    }
                    return out;
                });
    }

    /** max / min over an enum type (by sort order), else null. */
    static TypeSystem.Agg aggregate(String name, int[] args) {
        if (args.length != 1 || !(name.equals("max") || name.equals("min"))) {
            return null;
        }
        Type t = Types.byOid(args[0]);
        if (t == null || !t.isEnum()) {
            return null;
        }
        boolean max = name.equals("max");
        return new TypeSystem.Agg(new int[] {t.oid()}, t.oid(), () -> new modgres.sql.exec.Aggregate.State() {
            private Object best;

            @Override
            public void add(Object v) {
                if (v != null && (best == null || Compare.compare(t, v, best) * (max ? 1 : -1) > 0)) {
                    best = v;
                }
            }

            @Override
            public Object result() {
                return best;
            }
        });
    }

    /** The newest descriptor of the type (ALTER TYPE ... ADD VALUE redefines it). */
    private static Type current(Type t) {
        Type now = Types.byOid(t.oid());
        return now != null ? now : t;
    }

    private static PgEnum first(Type t, boolean first) {
        List<PgEnum> v = t.labels().values();
        return v.isEmpty() ? null : first ? v.get(0) : v.get(v.size() - 1);
    }

    private static PgArray range(Type t, PgEnum lo, PgEnum hi) {
        List<Object> out = new ArrayList<>();
        for (PgEnum e : t.labels().values()) {
            if ((lo == null || e.sortOrder() >= lo.sortOrder()) && (hi == null || e.sortOrder() <= hi.sortOrder())) {
                out.add(e);
            }
        }
        return PgArray.of(t, out.toArray());
    }
}
