package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.catalog.Relation;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/*
 * Design notes: pg_get_partition_constraintdef(oid), the "Partition constraint:"
 * line of psql's \d+ (PostgreSQL 15's generate_partition_qual, get_qual_for_list,
 * get_qual_for_range, get_qual_for_hash, then ruleutils' deparse).
 *
 * The constraint is text built from the partition bounds (the executor checks
 * bounds directly, PartitionRouting.Constraint; this is only their printed
 * form). The parent's constraint comes first when the parent is a partition
 * itself, then the partition's own quals, all ANDed:
 *
 *   list    (a IS NOT NULL) AND (a = ANY (ARRAY['x'::text, ...]))   [(a = 'x'::text) for one value]
 *           with NULL among the values: ((a IS NULL) OR (a = ...))
 *   range   (k1 IS NOT NULL) ... then k = v for the leading columns whose lower and
 *           upper values are equal, then one OR of arms for the lower bound and one for
 *           the upper (an arm per further column: the columns before it equal, the last
 *           one >, >= before MINVALUE or at the last column; < or <= before MAXVALUE)
 *   hash    satisfies_hash_partition('<parent oid>'::oid, modulus, remainder, k...)
 *   default NOT ((k IS NOT NULL) AND (sibling quals ORed)) for range, NOT of the list
 *           qual over all siblings' values for list; nothing when it has no siblings
 *
 * Constants print as ruleutils prints Consts: integers bare (quoted with a cast when
 * negative), numeric bare when it has a point, booleans bare, anything else quoted with
 * ::type. Each operator clause is parenthesised, as deparse does without pretty flags.
 */
/** The text of a partition's constraint as pg_get_partition_constraintdef prints it; see the design notes. */
public final class PartitionConstraints {
    private final TypeSupport ts;

    private PartitionConstraints(TypeSupport ts) {
        this.ts = ts;
    }

    /** pg_get_partition_constraintdef: null when {@code oid} is no partition or has no constraint. */
    public static String def(Planner planner, int oid) {
        return new PartitionConstraints(planner.ts).constraint(planner, oid);
    }

    private String constraint(Planner planner, int oid) {
        List<String> quals = quals(planner, oid);
        if (quals == null || quals.isEmpty()) {
            return null;
        }
        return quals.size() == 1 ? quals.get(0) : "(" + String.join(" AND ", quals) + ")";
    }

    /** generate_partition_qual: the ancestors' quals, then the partition's own; null when no partition. */
    private List<String> quals(Planner planner, int oid) {
        int parentOid = planner.cat.inheritance().partitionParent(oid);
        if (parentOid == 0) {
            return null;
        }
        Relation parent = planner.cat.relation(parentOid);
        PartitionBounds.Tree t = parent == null ? null : PartitionBounds.tree(planner, parent);
        if (t == null) {
            return null;
        }
        PartitionBounds.Part me = null;
        for (PartitionBounds.Part p : t.all()) {
            if (p.rel.oid() == oid) {
                me = p;
            }
        }
        if (me == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        List<String> above = quals(planner, parentOid);
        if (above != null) {
            out.addAll(above);
        }
        out.addAll(own(t, me));
        return out;
    }

    private List<String> own(PartitionBounds.Tree t, PartitionBounds.Part p) {
        return switch (t.strategy()) {
            case 'l' -> list(t, p);
            case 'r' -> p.bound.isDefault() ? rangeDefault(t) : range(t, p.bound, false);
            default -> hash(t, p.bound);
        };
    }

    // ------------------------------------------------------------------ list

    private List<String> list(PartitionBounds.Tree t, PartitionBounds.Part p) {
        List<Object> values = new ArrayList<>();
        boolean hasNull = false;
        if (p.bound.isDefault()) {
            for (PartitionBounds.Part s : t.parts) {
                for (Object v : s.bound.list()) {
                    if (v == null) {
                        hasNull = true;
                    } else {
                        values.add(v);
                    }
                }
            }
            if (values.isEmpty() && !hasNull) {
                return List.of(); // the only partition: no constraint
            }
        } else {
            for (Object v : p.bound.list()) {
                if (v == null) {
                    hasNull = true;
                } else {
                    values.add(v);
                }
            }
        }
        String col = t.keyNames[0];
        int type = t.keyTypes[0];
        String op = null;
        if (values.size() == 1) {
            op = "(" + col + " = " + constant(values.get(0), type) + ")";
        } else if (!values.isEmpty()) {
            List<String> elems = new ArrayList<>();
            for (Object v : values) {
                elems.add(constant(v, type));
            }
            op = "(" + col + " = ANY (ARRAY[" + String.join(", ", elems) + "]))";
        }
        List<String> result = new ArrayList<>();
        if (!hasNull) {
            result.add("(" + col + " IS NOT NULL)");
            if (op != null) {
                result.add(op);
            }
        } else {
            result.add(op != null ? "((" + col + " IS NULL) OR " + op + ")" : "(" + col + " IS NULL)");
        }
        if (p.bound.isDefault()) {
            String inner = result.size() == 1 ? result.get(0) : "(" + String.join(" AND ", result) + ")";
            return List.of("(NOT " + inner + ")");
        }
        return result;
    }

    // ------------------------------------------------------------------ range

    private List<String> nullTests(PartitionBounds.Tree t) {
        List<String> out = new ArrayList<>();
        for (String k : t.keyNames) {
            out.add("(" + k + " IS NOT NULL)");
        }
        return out;
    }

    private List<String> range(PartitionBounds.Tree t, PartitionBounds.Bound b, boolean forDefault) {
        int n = t.keyNames.length;
        Object[] lower = b.lower();
        Object[] upper = b.upper();
        List<String> result = new ArrayList<>();
        int i = 0;
        while (i < n && value(lower[i]) && value(upper[i])
                && t.keyTypes != null && equalValues(lower[i], upper[i], t.keyTypes[i])) {
            if (i == n - 1) {
                break; // an empty range cannot be stored; never equal in every column
            }
            result.add(op(t, i, "=", lower[i]));
            i++;
        }
        List<String> lowerArms = new ArrayList<>();
        List<String> upperArms = new ArrayList<>();
        boolean needLower = true;
        boolean needUpper = true;
        for (int arm = 0; i + arm < n; arm++) {
            List<String> la = new ArrayList<>();
            List<String> ua = new ArrayList<>();
            for (int j = i; j <= i + arm; j++) {
                Object l = lower[j];
                Object u = upper[j];
                Object lNext = j + 1 < n ? lower[j + 1] : null;
                Object uNext = j + 1 < n ? upper[j + 1] : null;
                if (needLower && value(l)) {
                    String s = j - i < arm ? "=" : j == n - 1 || lNext == PartitionBounds.MINVALUE ? ">=" : ">";
                    la.add(op(t, j, s, l));
                }
                if (needUpper && value(u)) {
                    String s = j - i < arm ? "=" : uNext == PartitionBounds.MAXVALUE ? "<=" : "<";
                    ua.add(op(t, j, s, u));
                }
                if (j == i + arm) {
                    if (!value(l) || j + 1 >= n || !value(lNext)) {
                        needLower = false;
                    }
                    if (!value(u) || j + 1 >= n || !value(uNext)) {
                        needUpper = false;
                    }
                }
            }
            if (!la.isEmpty()) {
                lowerArms.add(la.size() > 1 ? "(" + String.join(" AND ", la) + ")" : la.get(0));
            }
            if (!ua.isEmpty()) {
                upperArms.add(ua.size() > 1 ? "(" + String.join(" AND ", ua) + ")" : ua.get(0));
            }
            if (!needLower && !needUpper) {
                break;
            }
        }
        if (!lowerArms.isEmpty()) {
            result.add(lowerArms.size() > 1 ? "(" + String.join(" OR ", lowerArms) + ")" : lowerArms.get(0));
        }
        if (!upperArms.isEmpty()) {
            result.add(upperArms.size() > 1 ? "(" + String.join(" OR ", upperArms) + ")" : upperArms.get(0));
        }
        if (forDefault) {
            return result;
        }
        List<String> out = nullTests(t);
        out.addAll(result.isEmpty() ? List.of("true") : result);
        return out;
    }

    private List<String> rangeDefault(PartitionBounds.Tree t) {
        List<String> arms = new ArrayList<>();
        for (PartitionBounds.Part s : t.parts) {
            List<String> q = range(t, s.bound, true);
            if (!q.isEmpty()) {
                arms.add(q.size() > 1 ? "(" + String.join(" AND ", q) + ")" : q.get(0));
            }
        }
        if (arms.isEmpty()) {
            return List.of();
        }
        List<String> and = nullTests(t);
        and.add(arms.size() > 1 ? "(" + String.join(" OR ", arms) + ")" : arms.get(0));
        return List.of("(NOT (" + String.join(" AND ", and) + "))");
    }

    private static boolean value(Object v) {
        return v != null && v != PartitionBounds.MINVALUE && v != PartitionBounds.MAXVALUE;
    }

    private boolean equalValues(Object a, Object b, int type) {
        return PartitionBounds.literal(a, type, ts).equals(PartitionBounds.literal(b, type, ts));
    }

    // ------------------------------------------------------------------ hash

    private List<String> hash(PartitionBounds.Tree t, PartitionBounds.Bound b) {
        StringBuilder s = new StringBuilder("satisfies_hash_partition('")
                .append(Integer.toUnsignedString(t.rel.oid())).append("'::oid, ").append(b.modulus()).append(", ")
                .append(b.remainder());
        for (String k : t.keyNames) {
            s.append(", ").append(k);
        }
        return List.of(s.append(")").toString());
    }

    // ------------------------------------------------------------------ printing

    private String op(PartitionBounds.Tree t, int col, String op, Object v) {
        return "(" + t.keyNames[col] + " " + op + " " + constant(v, t.keyTypes[col]) + ")";
    }

    /** A Const as ruleutils' get_const_expr prints it (showtype: label unless the literal implies the type). */
    private String constant(Object v, int type) {
        String s = PartitionBounds.literal(v, type, ts);
        String raw = s.startsWith("'") ? s.substring(1, s.length() - 1).replace("''", "'") : s;
        switch (type) {
            case 23:
                return raw.startsWith("-") ? "'" + raw + "'::integer" : raw;
            case 1700:
                return !raw.startsWith("-") && raw.matches("[0-9].*[.eE].*") ? raw : "'" + raw + "'::numeric";
            case 16:
                return raw.startsWith("t") ? "true" : "false";
            default:
                Type ty = Types.byOid(type);
                return "'" + raw.replace("'", "''") + "'::" + (ty == null ? "unknown" : ty.format(-1));
        }
    }
}
