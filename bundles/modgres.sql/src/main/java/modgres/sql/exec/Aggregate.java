package modgres.sql.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Aggregate / HashAggregate: groups the input by its group keys (in a hash
 * table; one group when there are no keys, which yields one row even for no
 * input, as SQL requires) and computes each aggregate per group. Output row:
 * the group key values, then the aggregate results.
 */
public final class Aggregate extends Plan {

    /** The running state of one aggregate in one group. */
    public interface State {
        void add(Object value);

        Object result();
    }

    /**
     * One aggregate call: how to make its state, its argument (null for
     * {@code count(*)}), DISTINCT, FILTER, and the type for DISTINCT equality.
     */
    public record Spec(Supplier<State> factory, Ev arg, boolean distinct, int argType, Ev filter) {
    }

    final Plan child;
    final Ev[] groupKeys;
    final int[] groupTypes;
    final Spec[] aggs;
    public Ev having;
    public String havingText;
    public String groupText;
    private Iterator<Object[]> out;

    public Aggregate(Plan child, List<OutCol> cols, Ev[] groupKeys, int[] groupTypes, Spec[] aggs, double groups) {
        super(cols);
        this.child = child;
        this.groupKeys = groupKeys;
        this.groupTypes = groupTypes;
        this.aggs = aggs;
        estimate(child.totalCost + child.rows * 0.01 * Math.max(1, aggs.length),
                child.totalCost + child.rows * 0.01 * Math.max(1, aggs.length) + groups * 0.01,
                groupKeys.length == 0 ? 1 : groups);
    }

    private static final class Group {
        final Object[] keys;
        final State[] states;
        final Set<Object>[] seen;

        @SuppressWarnings("unchecked")
        Group(Object[] keys, Spec[] aggs) {
            this.keys = keys;
            this.states = new State[aggs.length];
            this.seen = new Set[aggs.length];
            for (int i = 0; i < aggs.length; i++) {
                states[i] = aggs[i].factory().get();
                if (aggs[i].distinct()) {
                    seen[i] = new HashSet<>();
                }
            }
        }
    }

    @Override
    protected void doOpen(ExecState ex) {
        Map<List<Object>, Group> groups = new LinkedHashMap<>();
        child.open(ex);
        for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
            ex.tick();
            Object[] kv = new Object[groupKeys.length];
            Object[] hk = new Object[groupKeys.length];
            for (int i = 0; i < kv.length; i++) {
                kv[i] = groupKeys[i].eval(r, ex);
                hk[i] = kv[i] == null ? null : ex.types.hashKey(groupTypes[i], kv[i]);
            }
            Group g = groups.computeIfAbsent(Arrays.asList(hk), k -> new Group(kv, aggs));
            for (int i = 0; i < aggs.length; i++) {
                Spec s = aggs[i];
                if (s.filter() != null && !Boolean.TRUE.equals(s.filter().eval(r, ex))) {
                    continue;
                }
                Object v = s.arg() == null ? Boolean.TRUE : s.arg().eval(r, ex);
                if (s.distinct()) {
                    if (v == null || !g.seen[i].add(ex.types.hashKey(s.argType(), v))) {
                        continue;
                    }
                }
                g.states[i].add(v);
            }
        }
        if (groups.isEmpty() && groupKeys.length == 0) {
            groups.put(List.of(), new Group(new Object[0], aggs));
        }
        List<Object[]> rowsOut = new ArrayList<>();
        for (Group g : groups.values()) {
            Object[] row = new Object[groupKeys.length + aggs.length];
            System.arraycopy(g.keys, 0, row, 0, g.keys.length);
            for (int i = 0; i < aggs.length; i++) {
                row[groupKeys.length + i] = g.states[i].result();
            }
            if (having == null || Boolean.TRUE.equals(having.eval(row, ex))) {
                rowsOut.add(row);
            }
        }
        out = rowsOut.iterator();
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        return out.hasNext() ? out.next() : null;
    }

    @Override
    public String label() {
        return groupKeys.length == 0 ? "Aggregate" : "HashAggregate";
    }

    @Override
    public List<Plan> children() {
        return List.of(child);
    }

    @Override
    public List<String> details(boolean analyze) {
        List<String> d = new ArrayList<>();
        if (groupText != null) {
            d.add("Group Key: " + groupText);
        }
        if (havingText != null) {
            d.add("Filter: " + havingText);
        }
        return d;
    }
}
