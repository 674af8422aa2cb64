package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Inheritance;
import modgres.sql.catalog.Relation;
import modgres.sql.parser.Lexer;
import modgres.sql.parser.Token;
import modgres.sql.parser.TokenKind;

/*
 * Design notes: partition bounds (PostgreSQL's partbounds.c in miniature).
 *
 * A bound is kept in pg_class.relpartbound as the text pg_get_expr prints
 * and read back here into typed values of the key columns:
 *
 *   RANGE  FROM (l1, l2) TO (u1, u2)   rows with  (l1, l2) <= key < (u1, u2),
 *          compared column by column; MINVALUE/MAXVALUE sort below/above
 *          every value and end the comparison. NULL keys never match.
 *   LIST   IN (v1, v2, NULL)           key = one of the values (NULL matches NULL)
 *   HASH   WITH (MODULUS m, REMAINDER r)  hash(key) mod m = r
 *   DEFAULT                            every row no other partition takes
 *
 * A Tree is a partitioned table with its partitions (each possibly a Tree
 * itself), built per statement from the catalog snapshot. Routing walks it
 * from the root: the key columns are found by name in each level's row
 * layout, so a partition whose columns are ordered differently (ATTACH of a
 * table built on its own) gets its row rearranged (Layout). A partition's
 * own constraint is its bound in its parent's key plus, for a sub-partition,
 * its ancestors' bounds.
 *
 * Pruning: from a scan's constant conditions on the first key column
 * (=, <, <=, >, >=, IN, IS NULL) an interval and a set of values are built;
 * a partition survives when its bound can hold a value satisfying them. This
 * errs on the side of keeping partitions: any condition not understood keeps
 * them all.
 */
/** Partition bounds, routing, constraints and pruning; see the design notes. */
public final class PartitionBounds {
    private PartitionBounds() {
    }

    /** MINVALUE and MAXVALUE of a range bound. */
    static final Object MINVALUE = new Object() {
        @Override
        public String toString() {
            return "MINVALUE";
        }
    };
    static final Object MAXVALUE = new Object() {
        @Override
        public String toString() {
            return "MAXVALUE";
        }
    };

    /** A parsed bound; {@code list} may contain null (the NULL value). */
    record Bound(boolean isDefault, List<Object> list, Object[] lower, Object[] upper, int modulus, int remainder) {
    }

    // ------------------------------------------------------------------ text form

    /** The text of a bound as pg_get_expr prints it, from values of the key types (MINVALUE/MAXVALUE allowed). */
    static String format(char strategy, Bound b, int[] types, TypeSupport ts) {
        if (b.isDefault()) {
            return "DEFAULT";
        }
        return switch (strategy) {
            case 'l' -> "FOR VALUES IN (" + values(b.list().toArray(), types, ts, true) + ")";
            case 'r' -> "FOR VALUES FROM (" + values(b.lower(), types, ts, false) + ") TO ("
                    + values(b.upper(), types, ts, false) + ")";
            default -> "FOR VALUES WITH (modulus " + b.modulus() + ", remainder " + b.remainder() + ")";
        };
    }

    private static String values(Object[] vs, int[] types, TypeSupport ts, boolean list) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < vs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(literal(vs[i], types[list ? 0 : i], ts));
        }
        return sb.toString();
    }

    static String literal(Object v, int type, TypeSupport ts) {
        if (v == null) {
            return "NULL";
        }
        if (v == MINVALUE || v == MAXVALUE) {
            return v.toString();
        }
        String s = ts.output(type, v);
        boolean numeric = type == 20 || type == 21 || type == 23 || type == 26 || type == 700 || type == 701
                || type == 1700;
        if (numeric && !s.startsWith("-") && !s.equals("NaN") && !s.contains("Infinity")) {
            return s;
        }
        return "'" + s.replace("'", "''") + "'";
    }

    /** Reads relpartbound back; the values are converted to the key types with {@code ts}. */
    static Bound parse(String text, char strategy, int[] types, TypeSystem ts) {
        if (text.equals("DEFAULT")) {
            return new Bound(true, List.of(), null, null, 0, 0);
        }
        List<Token> toks = Lexer.tokenize(text);
        int[] pos = {0};
        if (strategy == 'h') {
            List<Object> nums = new ArrayList<>();
            for (Token t : toks) {
                if (t.kind() == TokenKind.ICONST) {
                    nums.add(Integer.parseInt(t.value()));
                }
            }
            return new Bound(false, List.of(), null, null, (Integer) nums.get(0), (Integer) nums.get(1));
        }
        List<List<Object>> groups = new ArrayList<>();
        List<Object> cur = null;
        boolean negative = false;
        for (Token t : toks) {
            if (t.kind() == TokenKind.CHAR && t.value().equals("(")) {
                cur = new ArrayList<>();
            } else if (t.kind() == TokenKind.CHAR && t.value().equals(")")) {
                groups.add(cur);
                cur = null;
            } else if (cur != null && t.kind() == TokenKind.CHAR && t.value().equals("-")) {
                negative = true;
            } else if (cur != null && !(t.kind() == TokenKind.CHAR && t.value().equals(","))) {
                int type = types[strategy == 'l' ? 0 : Math.min(cur.size(), types.length - 1)];
                String v = t.value();
                String low = v.toLowerCase(java.util.Locale.ROOT);
                if ((t.kind() == TokenKind.KEYWORD || t.kind() == TokenKind.IDENT) && low.equals("null")) {
                    cur.add(null);
                } else if ((t.kind() == TokenKind.KEYWORD || t.kind() == TokenKind.IDENT) && low.equals("minvalue")) {
                    cur.add(MINVALUE);
                } else if ((t.kind() == TokenKind.KEYWORD || t.kind() == TokenKind.IDENT) && low.equals("maxvalue")) {
                    cur.add(MAXVALUE);
                } else {
                    cur.add(ts.input(type, -1, negative ? "-" + v : v, null));
                }
                negative = false;
            }
        }
        pos[0] = 0;
        if (strategy == 'l') {
            return new Bound(false, groups.isEmpty() ? List.of() : groups.get(0), null, null, 0, 0);
        }
        return new Bound(false, List.of(), groups.get(0).toArray(), groups.get(1).toArray(), 0, 0);
    }

    // ------------------------------------------------------------------ comparisons

    /** Compares two range bound tuples (values or MINVALUE/MAXVALUE), PostgreSQL's partition_rbound_cmp. */
    static int compareBounds(Object[] a, Object[] b, int[] types, TypeSupport ts) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = compareDatum(a[i], b[i], types[i], ts);
            if (c != 0) {
                return c;
            }
            if (a[i] == MINVALUE || a[i] == MAXVALUE) {
                return 0;
            }
        }
        return 0;
    }

    private static int compareDatum(Object a, Object b, int type, TypeSupport ts) {
        int ka = a == MINVALUE ? -1 : a == MAXVALUE ? 1 : 0;
        int kb = b == MINVALUE ? -1 : b == MAXVALUE ? 1 : 0;
        if (ka != 0 || kb != 0) {
            return Integer.compare(ka, kb);
        }
        return ts.compare(type, a, b);
    }

    /** A key tuple against a range bound tuple: negative when the key sorts below it. */
    private static int compareKey(Object[] key, Object[] bound, int[] types, TypeSupport ts) {
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] == MINVALUE) {
                return 1;
            }
            if (bound[i] == MAXVALUE) {
                return -1;
            }
            int c = ts.compare(types[i], key[i], bound[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Whether a non-default bound takes the key. */
    static boolean accepts(char strategy, Bound b, Object[] key, int[] types, TypeSupport ts, int greatestModulus) {
        return accepts(strategy, b, key, types, ts, greatestModulus, null);
    }

    /** As above, hashing key column i with {@code hashFns[i]} when given (a user-defined operator class's). */
    static boolean accepts(char strategy, Bound b, Object[] key, int[] types, TypeSupport ts, int greatestModulus,
            TypeSystem.Fn[] hashFns) {
        switch (strategy) {
            case 'l': {
                Object k = key[0];
                for (Object v : b.list()) {
                    if (v == null ? k == null : k != null && ts.compare(types[0], k, v) == 0) {
                        return true;
                    }
                }
                return false;
            }
            case 'r': {
                for (Object k : key) {
                    if (k == null) {
                        return false;
                    }
                }
                return compareKey(key, b.lower(), types, ts) >= 0 && compareKey(key, b.upper(), types, ts) < 0;
            }
            default:
                return Long.remainderUnsigned(hash(key, types, ts, hashFns), b.modulus()) == b.remainder();
        }
    }

    /** The row hash of a hash partition key (nulls contribute nothing). */
    static long hash(Object[] key, int[] types, TypeSupport ts, TypeSystem.Fn[] hashFns) {
        long h = 0;
        for (int i = 0; i < key.length; i++) {
            if (key[i] != null) {
                long k;
                if (hashFns != null && hashFns[i] != null) { // the class's f(value, seed int8) returns int8
                    Object r = hashFns[i].impl().apply(new Object[] {key[i], PartitionHash.SEED}, null);
                    k = r == null ? 0 : ((Number) r).longValue();
                } else {
                    k = PartitionHash.hash(types[i], key[i], ts);
                }
                h ^= k + 0x49a0f4dd15e5a8e3L + (h << 54) + (h >>> 7); // hash_combine64
            }
        }
        return h;
    }

    // ------------------------------------------------------------------ the partition tree

    /** How to build a row of {@code to} from a row of {@code from}: per attribute of {@code to}, the index in
     *  {@code from}'s row, or -1 (null: a dropped or missing column). The system columns follow as they are. */
    static final class Layout {
        final int[] map;
        final boolean identity;
        final int fromNatts;

        Layout(Relation from, Relation to) {
            map = new int[to.natts()];
            boolean id = from.natts() == to.natts();
            for (Relation.Column c : to.columns()) {
                Relation.Column f = c.dropped() ? null : from.column(c.name());
                map[c.attnum() - 1] = f == null ? -1 : f.attnum() - 1;
                id &= f != null ? f.attnum() == c.attnum()
                        : c.attnum() <= from.natts() && from.columns().get(c.attnum() - 1).dropped();
            }
            identity = id;
            fromNatts = from.natts();
        }

        /** The attributes of a row of {@code to} (natts values; system columns copied when present). */
        Object[] apply(Object[] row) {
            if (identity) {
                return row;
            }
            int extra = Math.max(0, row.length - fromNatts);
            Object[] out = new Object[map.length + extra];
            for (int i = 0; i < map.length; i++) {
                out[i] = map[i] < 0 ? null : row[map[i]];
            }
            System.arraycopy(row, fromNatts, out, map.length, extra);
            return out;
        }
    }

    /** A partition of a Tree: its relation, bound, and sub-tree when it is partitioned itself. */
    static final class Part {
        final Relation rel;
        final Bound bound;
        final Tree sub;
        final Layout fromParent;

        Part(Relation rel, Bound bound, Tree sub, Layout fromParent) {
            this.rel = rel;
            this.bound = bound;
            this.sub = sub;
            this.fromParent = fromParent;
        }
    }

    /** A partitioned table, its key and its partitions in bound order (the default last). */
    static final class Tree {
        final Relation rel;
        final Inheritance.PartitionKey key;
        final int[] keyTypes;
        /** The key columns' names, or for an expression its SQL text (then keyExprs has its code). */
        final String[] keyNames;
        final Ev[] keyExprs;
        /** Per key column the hash support function of its user-defined operator class, else null. */
        final TypeSystem.Fn[] hashFns;
        final List<Part> parts = new ArrayList<>();
        Part defaultPart;
        int greatestModulus = 1;

        Tree(Planner planner, Relation rel, Inheritance.PartitionKey key) {
            this.rel = rel;
            this.key = key;
            keyTypes = new int[key.attnums().length];
            keyNames = new String[keyTypes.length];
            keyExprs = new Ev[keyTypes.length];
            hashFns = new TypeSystem.Fn[keyTypes.length];
            for (int i = 0; i < keyTypes.length; i++) {
                if (key.classes()[i] != 0 && key.strategy() == 'h') {
                    hashFns[i] = OperatorClasses.extendedHash(planner.cat, planner.ts, key.classes()[i]);
                }
            }
            int expr = 0;
            for (int i = 0; i < keyTypes.length; i++) {
                if (key.attnums()[i] == 0) {
                    String sql = key.exprs().get(expr++);
                    Compiler c = planner.compiler(planner.tableScope(rel, rel.name()));
                    Compiler.C v = c.compile(modgres.sql.parser.SqlParser.parseExpression(sql));
                    keyTypes[i] = v.type() == Compiler.UNKNOWN ? 25 : v.type();
                    // as PostgreSQL deparses a key expression: a function call bare, anything else in parentheses
                    keyNames[i] = sql.matches("[A-Za-z_][A-Za-z0-9_.]*\\(.*\\)") ? sql : "(" + sql + ")";
                    keyExprs[i] = v.ev();
                    continue;
                }
                Relation.Column c = rel.columns().get(key.attnums()[i] - 1);
                keyTypes[i] = c.type();
                keyNames[i] = c.name();
            }
        }

        /** Whether key column {@code i} is an expression. */
        boolean isExpression(int i) {
            return keyExprs[i] != null;
        }

        char strategy() {
            return key.strategy();
        }

        /** The key values of a row of {@code rel}. */
        Object[] keyOf(Object[] row) {
            Object[] k = new Object[keyTypes.length];
            for (int i = 0; i < k.length; i++) {
                k[i] = keyExprs[i] != null ? keyExprs[i].eval(row, null) : row[key.attnums()[i] - 1];
            }
            return k;
        }

        /** The partition (at this level) that takes the key, or null. */
        Part find(Object[] k, TypeSupport ts) {
            for (Part p : parts) {
                if (accepts(strategy(), p.bound, k, keyTypes, ts, greatestModulus, hashFns)) {
                    return p;
                }
            }
            return defaultPart;
        }

        /** "(a, b) = (1, x)": the key of a failing row as the 23514 DETAIL shows it. */
        String keyDetail(Object[] k, TypeSupport ts) {
            StringBuilder n = new StringBuilder();
            StringBuilder v = new StringBuilder();
            for (int i = 0; i < k.length; i++) {
                n.append(i == 0 ? "" : ", ").append(keyNames[i]);
                v.append(i == 0 ? "" : ", ").append(k[i] == null ? "null" : ts.output(keyTypes[i], k[i]));
            }
            return "Partition key of the failing row contains (" + n + ") = (" + v + ").";
        }

        /** The leaves under this tree, in bound order. */
        List<Part> leaves() {
            List<Part> out = new ArrayList<>();
            for (Part p : all()) {
                if (p.sub == null) {
                    out.add(p);
                } else {
                    out.addAll(p.sub.leaves());
                }
            }
            return out;
        }

        List<Part> all() {
            List<Part> out = new ArrayList<>(parts);
            if (defaultPart != null) {
                out.add(defaultPart);
            }
            return out;
        }
    }

    /** The partition tree of a partitioned table from the catalog snapshot. */
    static Tree tree(Planner planner, Relation rel) {
        CatalogView cat = planner.cat;
        TypeSystem ts = planner.ts;
        Inheritance inh = cat.inheritance();
        Inheritance.PartitionKey key = inh.partitionKey(rel.oid());
        if (key == null) {
            return null;
        }
        Tree t = new Tree(planner, rel, key);
        for (int child : inh.children(rel.oid())) {
            Relation c = cat.relation(child);
            String text = inh.bound(child);
            if (c == null || text == null) {
                continue;
            }
            Bound b = parse(text, key.strategy(), t.keyTypes, ts);
            Part p = new Part(c, b, c.kind() == 'p' ? tree(planner, c) : null, new Layout(rel, c));
            if (b.isDefault()) {
                t.defaultPart = p;
            } else {
                t.parts.add(p);
                t.greatestModulus = Math.max(t.greatestModulus, b.modulus());
            }
        }
        t.parts.sort((a, b) -> compareParts(t, a.bound, b.bound, ts));
        return t;
    }

    private static int compareParts(Tree t, Bound a, Bound b, TypeSupport ts) {
        switch (t.strategy()) {
            case 'r':
                return compareBounds(a.lower(), b.lower(), t.keyTypes, ts);
            case 'l': {
                Object x = smallest(a.list(), t.keyTypes[0], ts);
                Object y = smallest(b.list(), t.keyTypes[0], ts);
                if (x == null || y == null) {
                    return x == null ? (y == null ? 0 : 1) : -1;
                }
                return ts.compare(t.keyTypes[0], x, y);
            }
            default:
                return a.modulus() != b.modulus() ? Integer.compare(a.modulus(), b.modulus())
                        : Integer.compare(a.remainder(), b.remainder());
        }
    }

    private static Object smallest(List<Object> vs, int type, TypeSupport ts) {
        Object s = null;
        for (Object v : vs) {
            if (v != null && (s == null || ts.compare(type, v, s) < 0)) {
                s = v;
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ DDL checks

    /**
     * Checks a new bound against the existing partitions of {@code t}: 42P17 on an overlap (PostgreSQL's
     * check_new_partition_bound), an empty range, a hash modulus that does not fit, a second default.
     */
    static void checkNew(Tree t, String name, Bound nb, TypeSupport ts, int position) {
        if (nb.isDefault()) {
            if (t.defaultPart != null) {
                throw new PgException("42P17", "partition \"" + name + "\" conflicts with existing default partition \""
                        + t.defaultPart.rel.name() + "\"", null, null, position, null);
            }
            return;
        }
        switch (t.strategy()) {
            case 'r': {
                if (compareBounds(nb.lower(), nb.upper(), t.keyTypes, ts) >= 0) {
                    throw new PgException("42P17", "empty range bound specified for partition \"" + name + "\"",
                            "Specified lower bound (" + values(nb.lower(), t.keyTypes, ts, false)
                                    + ") is greater than or equal to upper bound ("
                                    + values(nb.upper(), t.keyTypes, ts, false) + ").", null, position, null);
                }
                for (Part p : t.parts) {
                    if (compareBounds(nb.lower(), p.bound.upper(), t.keyTypes, ts) < 0
                            && compareBounds(p.bound.lower(), nb.upper(), t.keyTypes, ts) < 0) {
                        throw overlap(name, p, position);
                    }
                }
                break;
            }
            case 'l': {
                for (Part p : t.parts) {
                    for (Object v : nb.list()) {
                        if (accepts('l', p.bound, new Object[] {v}, t.keyTypes, ts, 1)) {
                            throw overlap(name, p, position);
                        }
                    }
                }
                break;
            }
            default: {
                for (Part p : t.parts) {
                    int small = Math.min(nb.modulus(), p.bound.modulus());
                    int large = Math.max(nb.modulus(), p.bound.modulus());
                    if (large % small != 0) {
                        throw new PgException("42P17", "every hash partition modulus must be a factor of the next "
                                + "larger modulus", null, null, position, null);
                    }
                    if (nb.remainder() % small == p.bound.remainder() % small) {
                        throw overlap(name, p, position);
                    }
                }
            }
        }
    }

    private static PgException overlap(String name, Part p, int position) {
        return new PgException("42P17", "partition \"" + name + "\" would overlap partition \"" + p.rel.name() + "\"",
                null, null, position, null);
    }

    // ------------------------------------------------------------------ pruning

    /** What constant conditions say about the first key column: bounds and, from = / IN, candidate values. */
    static final class KeyFilter {
        Object lo;
        boolean loInc;
        Object hi;
        boolean hiInc;
        List<Object> values;
        boolean isNull;
        boolean notNull;
        boolean impossible;

        void restrict(String op, Object v, int type, TypeSupport ts) {
            if (v == null) {
                impossible = true; // a comparison with NULL is never true
                return;
            }
            notNull = true;
            switch (op) {
                case "=" -> {
                    List<Object> nv = new ArrayList<>();
                    if (values == null) {
                        nv.add(v);
                    } else {
                        for (Object x : values) {
                            if (ts.compare(type, x, v) == 0) {
                                nv.add(x);
                            }
                        }
                    }
                    values = nv;
                }
                case "<", "<=" -> {
                    int c = hi == null ? -1 : ts.compare(type, v, hi);
                    if (c < 0 || c == 0 && op.equals("<")) {
                        hi = v;
                        hiInc = op.equals("<=");
                    }
                }
                case ">", ">=" -> {
                    int c = lo == null ? 1 : ts.compare(type, v, lo);
                    if (c > 0 || c == 0 && op.equals(">")) {
                        lo = v;
                        loInc = op.equals(">=");
                    }
                }
                default -> {
                }
            }
        }

        void in(List<Object> vs, int type, TypeSupport ts) {
            List<Object> nv = new ArrayList<>();
            for (Object v : vs) {
                if (v == null) {
                    continue;
                }
                if (values == null || values.stream().anyMatch(x -> ts.compare(type, x, v) == 0)) {
                    nv.add(v);
                }
            }
            notNull = true;
            values = nv;
        }

        boolean admits(Object v, int type, TypeSupport ts) {
            if (v == null) {
                return !notNull;
            }
            if (isNull) {
                return false;
            }
            if (lo != null) {
                int c = ts.compare(type, v, lo);
                if (c < 0 || c == 0 && !loInc) {
                    return false;
                }
            }
            if (hi != null) {
                int c = ts.compare(type, v, hi);
                if (c > 0 || c == 0 && !hiInc) {
                    return false;
                }
            }
            if (values != null) {
                for (Object x : values) {
                    if (ts.compare(type, x, v) == 0) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        }
    }

    /** Whether a partition may hold rows the filter admits (on the first key column). */
    static boolean survives(Tree t, Part p, KeyFilter f, TypeSupport ts) {
        if (f == null) {
            return true;
        }
        if (f.impossible) {
            return false;
        }
        int type = t.keyTypes[0];
        if (p.bound.isDefault()) {
            // the default partition is pruned only when every candidate value has a partition of its own
            if (t.keyTypes.length > 1) {
                return true;
            }
            if (f.isNull) {
                return t.strategy() != 'l' || t.parts.stream().noneMatch(q -> q.bound.list().contains(null));
            }
            if (f.values == null) {
                return t.strategy() != 'r' || !rangeCovered(t, f, ts);
            }
            for (Object v : f.values) {
                boolean placed = false;
                for (Part q : t.parts) {
                    if (t.strategy() != 'h' && accepts(t.strategy(), q.bound, new Object[] {v}, t.keyTypes, ts, 1)) {
                        placed = true;
                    }
                }
                if (!placed) {
                    return true;
                }
            }
            return false;
        }
        switch (t.strategy()) {
            case 'l':
                for (Object v : p.bound.list()) {
                    if (f.admits(v, type, ts)) {
                        return true;
                    }
                }
                return false;
            case 'r': {
                if (f.isNull) {
                    return false;
                }
                Object l = p.bound.lower()[0];
                Object u = p.bound.upper()[0];
                boolean upperExclusive = t.keyTypes.length == 1 || p.bound.upper().length > 1
                        && p.bound.upper()[1] == MINVALUE;
                // the partition's first-column range: [l, u) (single-column key) or [l, u]
                if (f.values != null) {
                    for (Object v : f.values) {
                        if (inRange(v, l, u, upperExclusive, type, ts) && f.admits(v, type, ts)) {
                            return true;
                        }
                    }
                    return false;
                }
                if (f.hi != null && l != MINVALUE) {
                    if (l == MAXVALUE) {
                        return false;
                    }
                    int c = ts.compare(type, f.hi, l);
                    if (c < 0 || c == 0 && !f.hiInc) {
                        return false;
                    }
                }
                if (f.lo != null && u != MAXVALUE) {
                    if (u == MINVALUE) {
                        return false;
                    }
                    int c = ts.compare(type, f.lo, u);
                    if (c > 0 || c == 0 && (upperExclusive || !f.loInc)) {
                        return false;
                    }
                }
                return true;
            }
            default: {
                if (f.values == null || t.keyTypes.length > 1) {
                    return true;
                }
                for (Object v : f.values) {
                    if (accepts('h', p.bound, new Object[] {v}, t.keyTypes, ts, t.greatestModulus, t.hashFns)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    /**
     * Whether the non-default range partitions (single-column key) together take every value of the filter's
     * interval [lo, hi], so that the default partition can hold none of them.
     */
    private static boolean rangeCovered(Tree t, KeyFilter f, TypeSupport ts) {
        if (f.lo == null || f.hi == null) {
            return false;
        }
        int type = t.keyTypes[0];
        Object cur = f.lo;
        for (int guard = 0; guard <= t.parts.size(); guard++) {
            Part next = null;
            for (Part p : t.parts) {
                Object l = p.bound.lower()[0];
                Object u = p.bound.upper()[0];
                boolean startsBefore = l == MINVALUE || l != MAXVALUE && (ts.compare(type, l, cur) < 0
                        || ts.compare(type, l, cur) == 0);
                boolean endsAfter = u == MAXVALUE || u != MINVALUE && (ts.compare(type, u, cur) > 0);
                if (startsBefore && endsAfter) {
                    next = p;
                }
            }
            if (next == null) {
                return false;
            }
            Object u = next.bound.upper()[0];
            if (u == MAXVALUE) {
                return true;
            }
            int c = ts.compare(type, u, f.hi);
            if (c > 0 || c == 0 && !f.hiInc) {
                return true;
            }
            cur = u;
        }
        return false;
    }

    private static boolean inRange(Object v, Object l, Object u, boolean upperExclusive, int type, TypeSupport ts) {
        if (l != MINVALUE && (l == MAXVALUE || ts.compare(type, v, l) < 0)) {
            return false;
        }
        if (u != MAXVALUE) {
            if (u == MINVALUE) {
                return false;
            }
            int c = ts.compare(type, v, u);
            return c < 0 || c == 0 && !upperExclusive;
        }
        return true;
    }
}
