package modgres.sql.exec;

/*
 * Design notes
 * ------------
 * Expressions over composite values, compiled for the Compiler:
 *
 *   ROW(a, b, ...) / (a, b, ...)   an anonymous record (type record, a blessed
 *                                  typmod naming its shape f1, f2, ...); a
 *                                  {@code t.*} (or {@code *}) among the
 *                                  arguments expands to the columns of t
 *   t, t.*  (outside a select list) a whole-row reference: the visible
 *                                  columns of FROM item t as a record whose
 *                                  fields are named as the columns
 *   (x).f                          field selection from a composite or a
 *                                  blessed record; 42703 / 42809 as PostgreSQL
 *   x[i][j], x[i:j]                array elements and (one-dimensional) slices
 *
 * Values are PgRecord / PgArray; a NULL composite gives NULL fields, a NULL
 * array or subscript gives NULL, as PostgreSQL.
 */

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.Expr;
import modgres.sql.types.PgArray;
import modgres.sql.types.PgRecord;
import modgres.sql.types.Type;
import modgres.sql.types.Types;
import modgres.sql.types.UserTypes;

/** Row constructors, whole-row references, field selection and subscripts; see the design notes. */
final class RowExpressions {
    private RowExpressions() {
    }

    static final int RECORD = Types.RECORD_OID;

    /** A compiled column of a whole-row reference or ROW expansion. */
    private static Compiler.C refColumn(Compiler cp, Scope.Ref ref, int pos) {
        if (cp.columnUsage != null) {
            cp.columnUsage.read(ref.col()); // column pruning: the scan must fill it
        }
        int idx = ref.index();
        int depth = ref.depth();
        OutCol c = ref.col();
        Ev ev = depth == 0 ? (row, ex) -> row[idx] : (row, ex) -> ex.outer(depth)[idx];
        return new Compiler.C(c.type(), c.typmod(), ev, c.name(), 2, null, false, -1, c.name(), pos);
    }

    /** ROW(...): the arguments (stars expanded) as an anonymous record. */
    static Compiler.C row(Compiler cp, Expr.RowExpr r) {
        List<Compiler.C> args = new ArrayList<>();
        for (Expr a : r.args()) {
            if (a instanceof Expr.ColumnRef ref && ref.star()) {
                args.addAll(expandStar(cp, ref));
            } else {
                args.add(cp.compile(a));
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            names.add("f" + (i + 1));
        }
        return record(args, names, "row", "ROW(" + String.join(", ", args.stream().map(Compiler.C::text).toList())
                + ")", r.position());
    }

    /** {@code t.*} or {@code *}: the columns it stands for. */
    static List<Compiler.C> expandStar(Compiler cp, Expr.ColumnRef ref) {
        List<Compiler.C> out = new ArrayList<>();
        if (ref.fields().isEmpty()) {
            for (Scope.Entry e : cp.scope.entries()) {
                for (int i = 0; i < e.cols().size(); i++) {
                    if (!e.cols().get(i).hidden()) {
                        out.add(refColumn(cp, new Scope.Ref(0, e.offset() + i, e.cols().get(i)), ref.position()));
                    }
                }
            }
            return out;
        }
        String name = ref.fields().get(ref.fields().size() - 1);
        List<Scope.Ref> refs = cp.scope == null ? null : cp.scope.wholeRow(name);
        if (refs == null) {
            throw Compiler.err("42P01", "missing FROM-clause entry for table \"" + name + "\"", ref.position());
        }
        for (Scope.Ref x : refs) {
            cp.outerColumn(x);
            out.add(refColumn(cp, x, ref.position()));
        }
        return out;
    }

    /**
     * RETURNING over the members of an inheritance tree: a whole-row reference to the parent ({@code RETURNING
     * (t)}) is the parent's columns in the parent's order whatever member the row is in, so it becomes
     * {@code ROW(t.a, t.b, ...)} labelled {@code t} before each member compiles it.
     */
    static List<modgres.sql.ast.ResTarget> parentWholeRows(List<modgres.sql.ast.ResTarget> ret,
            modgres.sql.catalog.Relation rel, String alias) {
        List<modgres.sql.ast.ResTarget> out = new ArrayList<>();
        for (modgres.sql.ast.ResTarget t : ret) {
            if (t.value() instanceof Expr.ColumnRef r && !r.star() && r.fields().size() == 1
                    && r.fields().get(0).equals(alias) && rel.column(alias) == null) {
                List<Expr> cols = new ArrayList<>();
                for (modgres.sql.catalog.Relation.Column c : rel.liveColumns()) {
                    cols.add(new Expr.ColumnRef(r.position(), List.of(alias, c.name()), false));
                }
                out.add(new modgres.sql.ast.ResTarget(t.position(), new Expr.RowExpr(r.position(), cols, true),
                        t.alias() != null ? t.alias() : alias));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * {@code (x).*} in a select list: one target per field of x's composite type, named as the field; the target
     * itself when x is not composite (compiling it then reports the error).
     */
    static List<modgres.sql.ast.ResTarget> expandFieldStar(Compiler cp, Expr.Indirection ind,
            modgres.sql.ast.ResTarget t) {
        List<Expr.IndirectionItem> prefix = ind.items().subList(0, ind.items().size() - 1);
        Expr base = prefix.isEmpty() ? ind.arg() : new Expr.Indirection(ind.position(), ind.arg(), prefix);
        Compiler.C bc = cp.compile(base);
        List<String> names = fieldNames(bc.type(), bc.typmod());
        if (names == null) {
            return List.of(t);
        }
        List<modgres.sql.ast.ResTarget> out = new ArrayList<>();
        for (String f : names) {
            List<Expr.IndirectionItem> items = new ArrayList<>(prefix);
            items.add(new Expr.FieldName(f));
            out.add(new modgres.sql.ast.ResTarget(t.position(), new Expr.Indirection(ind.position(), ind.arg(),
                    items), f));
        }
        return out;
    }

    /** A whole-row reference to FROM item {@code name}, or null when there is no such item. */
    static Compiler.C wholeRow(Compiler cp, String name, int pos) {
        List<Scope.Ref> refs = cp.scope == null ? null : cp.scope.wholeRow(name);
        if (refs == null) {
            return null;
        }
        List<Compiler.C> cols = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Scope.Ref r : refs) {
            cp.outerColumn(r);
            cols.add(refColumn(cp, r, pos));
            names.add(r.col().name());
        }
        Compiler.C typed = tableRow(cp, name, cols, names, pos);
        return typed != null ? typed : record(cols, names, name, name, pos);
    }

    /**
     * A whole-row reference to a table under its own name is a value of the table's row type, its fields in the
     * table's column order (a partition or child scanned for the parent may order them differently); null when
     * {@code name} is no table whose columns are exactly these.
     */
    private static Compiler.C tableRow(Compiler cp, String name, List<Compiler.C> cols, List<String> names,
            int pos) {
        Type t;
        try {
            t = Types.byOid(cp.ts.typeOid(List.of(name), false));
        } catch (PgException notAType) {
            return null;
        }
        if (t == null || !t.isComposite() || t.fields().names().size() != names.size()) {
            return null;
        }
        int n = names.size();
        Ev[] evs = new Ev[n];
        for (int i = 0; i < n; i++) {
            int k = names.indexOf(t.fields().names().get(i));
            if (k < 0 || cols.get(k).type() != t.fields().types()[i]) {
                return null;
            }
            evs[i] = cols.get(k).ev();
        }
        int oid = t.oid();
        int[] types = t.fields().types();
        return new Compiler.C(oid, -1, (row, ex) -> {
            Object[] v = new Object[n];
            for (int i = 0; i < n; i++) {
                v[i] = evs[i].eval(row, ex);
            }
            return new PgRecord(oid, types, v);
        }, name, 2, null, false, -1, name, pos);
    }

    private static Compiler.C record(List<Compiler.C> fields, List<String> names, String label, String text,
            int pos) {
        int n = fields.size();
        int[] types = new int[n];
        Ev[] evs = new Ev[n];
        for (int i = 0; i < n; i++) {
            types[i] = fields.get(i).type();
            evs[i] = fields.get(i).ev();
        }
        int typmod = UserTypes.bless(names, types);
        return new Compiler.C(RECORD, typmod, (row, ex) -> {
            Object[] v = new Object[n];
            for (int i = 0; i < n; i++) {
                v[i] = evs[i].eval(row, ex);
            }
            return new PgRecord(RECORD, types, v);
        }, label, 2, null, false, -1, text, pos);
    }

    /**
     * A cast of an anonymous record of known shape to composite type {@code type}: PostgreSQL's 42846 errors
     * ("Input has too many columns.", "Cannot cast type x to y in column n.") when the expression is planned
     * (the cast's position is added by the compiler); nothing for other casts.
     */
    static void checkRecordCast(Compiler cp, Compiler.C c, int type) {
        Type t = Types.byOid(type);
        UserTypes.Shape shape = UserTypes.shape(c.typmod());
        if (t == null || !t.isComposite() || shape == null) {
            return;
        }
        int n = t.fields().types().length;
        String msg = "cannot cast type record to " + t.sqlName();
        if (shape.types().length != n) {
            throw new PgException("42846", msg, shape.types().length > n ? "Input has too many columns."
                    : "Input has too few columns.", null);
        }
        for (int i = 0; i < n; i++) {
            int from = shape.types()[i];
            int to = t.fields().types()[i];
            if (from != to && from != Compiler.UNKNOWN
                    && cp.ts.cast(from, to, t.fields().typmods()[i], TypeSystem.CastContext.ASSIGNMENT) == null) {
                throw new PgException("42846", msg, "Cannot cast type " + cp.ts.format(from, -1) + " to "
                        + cp.ts.format(to, -1) + " in column " + (i + 1) + ".", null);
            }
        }
    }

    /** The field names of a composite type or blessed record, or null when {@code type} has none. */
    static List<String> fieldNames(int type, int typmod) {
        Type t = Types.byOid(type);
        if (t != null && t.isComposite()) {
            return t.fields().names();
        }
        if (type == RECORD) {
            UserTypes.Shape s = UserTypes.shape(typmod);
            return s == null ? null : s.names();
        }
        return null;
    }

    /** The type and typmod of field {@code i}. */
    private static int[] fieldType(int type, int typmod, int i) {
        Type t = Types.byOid(type);
        if (t != null && t.isComposite()) {
            return new int[] {t.fields().types()[i], t.fields().typmods()[i]};
        }
        return new int[] {UserTypes.shape(typmod).types()[i], -1};
    }

    /** {@code (base).field}. */
    static Compiler.C field(Compiler cp, Compiler.C base, String field, int pos) {
        List<String> names = fieldNames(base.type(), base.typmod());
        if (names == null) {
            if (base.type() == RECORD) {
                throw Compiler.err("42809", "could not identify column \"" + field + "\" in record data type", pos);
            }
            throw Compiler.err("42809", "column notation ." + field + " applied to type "
                    + cp.ts.format(base.type(), -1) + ", which is not a composite type", pos);
        }
        int i = names.indexOf(field);
        if (i < 0) {
            throw Compiler.err("42703", "column \"" + field + "\" not found in data type "
                    + cp.ts.format(base.type(), -1), pos);
        }
        int[] ft = fieldType(base.type(), base.typmod(), i);
        Ev be = base.ev();
        return new Compiler.C(ft[0], ft[1], (row, ex) -> {
            Object v = be.eval(row, ex);
            return v == null ? null : ((PgRecord) v).values()[i];
        }, field, 2, null, false, -1, "(" + base.text() + ")." + field, pos);
    }

    /** {@code x.items...}: field selections and subscripts in order. */
    static Compiler.C indirection(Compiler cp, Expr.Indirection ind) {
        Compiler.C cur = cp.compile(ind.arg());
        List<Expr.IndirectionItem> items = ind.items();
        for (int k = 0; k < items.size(); k++) {
            Expr.IndirectionItem it = items.get(k);
            if (it instanceof Expr.FieldName f) {
                cur = field(cp, cur, f.name(), ind.position());
            } else if (it instanceof Expr.FieldStar) {
                throw Compiler.err("0A000", "row expansion via \"*\" is not supported here", ind.position());
            } else {
                List<Expr.Subscript> subs = new ArrayList<>();
                while (k < items.size() && items.get(k) instanceof Expr.Subscript s) {
                    subs.add(s);
                    k++;
                }
                k--;
                cur = subscripts(cp, cur, subs, ind.position());
            }
        }
        return cur;
    }

    /** Consecutive subscripts of an array: elements ({@code [i][j]}) or, with any slice, a 1-D slice. */
    static Compiler.C subscripts(Compiler cp, Compiler.C arr, List<Expr.Subscript> subs, int pos) {
        Type at = Types.byOid(arr.type());
        if (at == null || !at.isArray()) {
            throw Compiler.err("42804", "cannot subscript type " + cp.ts.format(arr.type(), -1)
                    + " because it does not support subscripting", pos);
        }
        boolean slice = subs.stream().anyMatch(Expr.Subscript::slice);
        int n = subs.size();
        Ev[] lo = new Ev[n];
        Ev[] hi = new Ev[n];
        StringBuilder text = new StringBuilder(arr.text());
        for (int i = 0; i < n; i++) {
            Expr.Subscript s = subs.get(i);
            Compiler.C up = s.upper() == null ? null : cp.coerce(cp.compile(s.upper()), Compiler.INT4, -1,
                    TypeSystem.CastContext.IMPLICIT, null);
            Compiler.C low = s.lower() == null ? null : cp.coerce(cp.compile(s.lower()), Compiler.INT4, -1,
                    TypeSystem.CastContext.IMPLICIT, null);
            hi[i] = up == null ? null : up.ev();
            lo[i] = low == null ? null : low.ev();
            text.append('[').append(low == null ? "" : low.text() + ":").append(up == null ? "" : up.text())
                    .append(']');
        }
        Ev ae = arr.ev();
        Type elem = at.elem();
        if (!slice) {
            return new Compiler.C(at.elemOid(), -1, (row, ex) -> {
                Object a = ae.eval(row, ex);
                if (a == null) {
                    return null;
                }
                PgArray pa = (PgArray) a;
                if (pa.ndims() != n) {
                    return null;
                }
                int flat = 0;
                for (int d = 0; d < n; d++) {
                    Object iv = hi[d].eval(row, ex);
                    if (iv == null) {
                        return null;
                    }
                    int k = (Integer) iv - pa.lbounds()[d];
                    if (k < 0 || k >= pa.dims()[d]) {
                        return null;
                    }
                    flat = flat * pa.dims()[d] + k;
                }
                return pa.values()[flat];
            }, arr.label(), 2, null, false, -1, text.toString(), pos);
        }
        if (n != 1) {
            throw Compiler.err("0A000", "slices of multidimensional arrays are not supported yet", pos);
        }
        return new Compiler.C(arr.type(), -1, (row, ex) -> {
            Object a = ae.eval(row, ex);
            if (a == null) {
                return null;
            }
            PgArray pa = (PgArray) a;
            if (pa.ndims() == 0) {
                return pa;
            }
            if (pa.ndims() != 1) {
                throw new PgException("0A000", "slices of multidimensional arrays are not supported yet");
            }
            int first = pa.lbounds()[0];
            int last = first + pa.dims()[0] - 1;
            Object lv = lo[0] == null ? first : lo[0].eval(row, ex);
            Object hv = hi[0] == null ? last : hi[0].eval(row, ex);
            if (lv == null || hv == null) {
                return null;
            }
            int from = Math.max((Integer) lv, first);
            int to = Math.min((Integer) hv, last);
            if (from > to) {
                return PgArray.of(elem);
            }
            Object[] out = java.util.Arrays.copyOfRange(pa.values(), from - first, to - first + 1);
            return PgArray.of(elem, out);
        }, arr.label(), 2, null, false, -1, text.toString(), pos);
    }

    /**
     * {@code ROW(a, b) = ROW(c, d)} and {@code <>}: compared field by field with SQL's NULL rules (a = c AND
     * b = d; a <> c OR b <> d), as PostgreSQL expands row constructor comparisons. Null for other operators.
     */
    static Compiler.C rowComparison(Compiler cp, Expr.BinaryOp b) {
        Expr.RowExpr l = (Expr.RowExpr) b.left();
        Expr.RowExpr r = (Expr.RowExpr) b.right();
        String op = b.op().name();
        if (!op.equals("=") && !op.equals("<>") && !op.equals("!=")) {
            return null;
        }
        if (l.args().stream().anyMatch(a -> a instanceof Expr.ColumnRef c && c.star())
                || r.args().stream().anyMatch(a -> a instanceof Expr.ColumnRef c && c.star())) {
            return null;
        }
        if (l.args().size() != r.args().size()) {
            throw Compiler.err("42601", "unequal number of entries in row expressions", b.position());
        }
        if (l.args().isEmpty()) {
            throw Compiler.err("0A000", "cannot compare rows of zero length", b.position());
        }
        List<Expr> parts = new ArrayList<>();
        for (int i = 0; i < l.args().size(); i++) {
            parts.add(new Expr.BinaryOp(b.position(), b.op(), l.args().get(i), r.args().get(i)));
        }
        if (parts.size() == 1) {
            return cp.compile(parts.get(0));
        }
        return cp.compile(new Expr.BoolExpr(b.position(), op.equals("=") ? Expr.BoolOp.AND : Expr.BoolOp.OR,
                parts));
    }

    // ------------------------------------------------------------------ assignment into parts of a value

    /**
     * One INSERT / UPDATE target with indirection ({@code col.f}, {@code col[i]}, {@code col[i].f[j]}): its path,
     * the subscript values' evaluators (a slice gives two), and the value coerced to the type of the part.
     */
    record PartAssign(List<Expr.IndirectionItem> items, Ev[] subs, Ev value) {
    }

    /** The DEFAULT errors of a target with indirection (PostgreSQL's 0A000, at the target). */
    static PgException defaultInto(modgres.sql.ast.ColumnTarget t) {
        boolean element = t.indirection().get(0) instanceof Expr.Subscript;
        return new PgException("0A000", element ? "cannot set an array element to DEFAULT"
                : "cannot set a subfield to DEFAULT", null, null, t.position(), null);
    }

    /** Compiles one target with indirection of column {@code col} and its value {@code v}. */
    static PartAssign part(Compiler cp, modgres.sql.catalog.Relation.Column col, modgres.sql.ast.ColumnTarget t,
            Compiler.C v) {
        int cur = col.type();
        int curMod = col.typmod();
        String curName = col.name();
        List<Ev> subs = new ArrayList<>();
        boolean isArrayPart = false;
        for (Expr.IndirectionItem it : t.indirection()) {
            Type ty = Types.byOid(cur);
            if (it instanceof Expr.FieldName f) {
                if (ty == null || !ty.isComposite()) {
                    throw new PgException("42804", "cannot assign to field \"" + f.name() + "\" of column \""
                            + curName + "\" because its type " + cp.ts.format(cur, -1) + " is not a composite type",
                            null, null, t.position(), null);
                }
                int i = ty.fields().index(f.name());
                if (i < 0) {
                    throw new PgException("42703", "cannot assign to field \"" + f.name() + "\" of column \""
                            + curName + "\" because there is no such column in data type " + cp.ts.format(cur, -1),
                            null, null, t.position(), null);
                }
                cur = ty.fields().types()[i];
                curMod = ty.fields().typmods()[i];
                curName = f.name();
                isArrayPart = false;
            } else if (it instanceof Expr.Subscript sub) {
                if (ty == null || !ty.isArray()) {
                    throw new PgException("42804", "cannot subscript type " + cp.ts.format(cur, -1)
                            + " because it does not support subscripting");
                }
                if (sub.slice()) {
                    if (sub.lower() == null || sub.upper() == null) {
                        throw new PgException("2202E", "array slice subscript must provide both boundaries", null,
                                null, t.position(), null);
                    }
                    subs.add(int4(cp, sub.lower()));
                    subs.add(int4(cp, sub.upper()));
                    isArrayPart = true;
                    break; // the value is an array of the element type
                }
                subs.add(int4(cp, sub.upper()));
                cur = ty.elemOid();
                curMod = curMod >= 0 ? curMod : -1;
                isArrayPart = true;
            } else {
                throw new PgException("0A000", "row expansion via \"*\" is not supported here", null, null,
                        t.position(), null);
            }
        }
        if (v.type() != Compiler.UNKNOWN && v.type() != cur
                && cp.ts.cast(v.type(), cur, curMod, TypeSystem.CastContext.ASSIGNMENT) == null) {
            String msg = isArrayPart ? "array assignment to \"" + col.name() + "\" requires type "
                    + cp.ts.format(cur, -1) + " but expression is of type " + cp.ts.format(v.type(), -1)
                    : "subfield \"" + curName + "\" is of type " + cp.ts.format(cur, -1)
                            + " but expression is of type " + cp.ts.format(v.type(), -1);
            throw new PgException("42804", msg, null, "You will need to rewrite or cast the expression.",
                    v.position(), null);
        }
        Ev value = cp.coerce(v, cur, curMod, TypeSystem.CastContext.ASSIGNMENT, null).ev();
        return new PartAssign(t.indirection(), subs.toArray(new Ev[0]), value);
    }

    private static Ev int4(Compiler cp, Expr e) {
        return cp.coerce(cp.compile(e), Compiler.INT4, -1, TypeSystem.CastContext.IMPLICIT, null).ev();
    }

    /** The column's new value: {@code base} (null: NULL) with every part assigned in order. */
    static Ev combine(Ev base, int columnType, List<PartAssign> parts) {
        Type t = Types.byOid(columnType);
        return (row, ex) -> {
            Object v = base == null ? null : base.eval(row, ex);
            for (PartAssign p : parts) {
                Object[] subs = new Object[p.subs().length];
                for (int i = 0; i < subs.length; i++) {
                    subs[i] = p.subs()[i].eval(row, ex);
                }
                v = assignInto(v, t, p.items(), 0, subs, 0, p.value().eval(row, ex));
            }
            return v;
        };
    }


    /**
     * Assigns {@code value} into {@code base} at the path {@code items} (field names and subscripts, their
     * subscript values already evaluated in {@code subs}, in order): a copy of base with that part replaced. A
     * NULL base becomes an all-NULL row or an empty array first, as PostgreSQL's field and array assignment.
     */
    static Object assignInto(Object base, Type baseType, List<Expr.IndirectionItem> items, int from, Object[] subs,
            int subFrom, Object value) {
        if (from == items.size()) {
            return value;
        }
        Expr.IndirectionItem it = items.get(from);
        if (it instanceof Expr.FieldName f) {
            PgRecord r = base == null ? PgRecord.nulls(baseType) : (PgRecord) base;
            int i = baseType.fields().index(f.name());
            Type ft = Types.byOid(baseType.fields().types()[i]);
            return r.with(i, assignInto(r.values()[i], ft, items, from + 1, subs, subFrom, value));
        }
        Expr.Subscript s = (Expr.Subscript) it;
        Type elem = baseType.elem();
        PgArray a = base == null ? PgArray.of(elem) : (PgArray) base;
        if (a.ndims() > 1) {
            throw new PgException("0A000", "assignment to elements of multidimensional arrays is not supported yet");
        }
        if (s.slice()) {
            Object lv = subs[subFrom];
            Object hv = subs[subFrom + 1];
            if (lv == null || hv == null) {
                throw new PgException("22004", "array subscript in assignment must not be null");
            }
            PgArray src = (PgArray) value;
            int lo = (Integer) lv;
            int hi = (Integer) hv;
            if (src == null || src.values().length < hi - lo + 1) {
                throw new PgException("2202E", "source array too small");
            }
            PgArray out = a;
            for (int k = lo; k <= hi; k++) {
                out = setElement(out, elem, k, src.values()[k - lo]);
            }
            return out;
        }
        Object iv = subs[subFrom];
        if (iv == null) {
            throw new PgException("22004", "array subscript in assignment must not be null");
        }
        int k = (Integer) iv;
        Object old = element(a, k);
        return setElement(a, elem, k, assignInto(old, elem, items, from + 1, subs, subFrom + 1, value));
    }

    private static Object element(PgArray a, int k) {
        if (a.ndims() == 0) {
            return null;
        }
        int i = k - a.lbounds()[0];
        return i < 0 || i >= a.values().length ? null : a.values()[i];
    }

    /** A 1-D array with element {@code k} set, extended with NULLs as needed (PostgreSQL's array_set). */
    static PgArray setElement(PgArray a, Type elem, int k, Object v) {
        if (a.ndims() == 0) {
            return new PgArray(elem, new Object[] {v}, new int[] {1}, new int[] {k});
        }
        int lb = a.lbounds()[0];
        int ub = lb + a.dims()[0] - 1;
        int newLb = Math.min(lb, k);
        int newUb = Math.max(ub, k);
        Object[] out = new Object[newUb - newLb + 1];
        System.arraycopy(a.values(), 0, out, lb - newLb, a.values().length);
        out[k - newLb] = v;
        return new PgArray(elem, out, new int[] {out.length}, new int[] {newLb});
    }
}
