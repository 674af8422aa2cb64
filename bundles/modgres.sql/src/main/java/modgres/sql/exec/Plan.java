package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/*
 * Design notes: executor nodes (PostgreSQL's executor, Volcano style).
 *
 * A Plan is both the plan and its run-time state (a plan is executed by one
 * session at a time; a cached plan is re-opened for each execution):
 *
 *     open(ex) --> next() ... next() == null --> close()
 *        ^                                         |
 *        +------------- rescan: open again --------+
 *
 * Rows are Object[] of values in the node's output column order; a row
 * returned by next() may be reused by the node after the following next(), so
 * nodes that keep rows (sort, hash, materialise) copy them.
 *
 * Each node carries the planner's estimates (startup and total cost, rows,
 * width) for EXPLAIN, and counts what it did (loops, rows, time) for EXPLAIN
 * ANALYZE, in the shape PostgreSQL prints.
 */
/** An executor node; see the design notes. */
public abstract class Plan {
    public final List<OutCol> columns;
    public double startupCost;
    public double totalCost;
    public double rows;
    public int width;

    // EXPLAIN ANALYZE counters
    long loops;
    long actualRows;
    long startNanos;
    long firstRowNanos;
    long totalNanos;
    boolean analyze;

    protected Plan(List<OutCol> columns) {
        this.columns = columns;
        int w = 0;
        for (OutCol c : columns) {
            w += widthOf(c.type());
        }
        this.width = w;
    }

    static int widthOf(int type) {
        return switch (type) {
            case 16, 18 -> 1;
            case 21 -> 2;
            case 23, 26, 700, 1082, 28 -> 4;
            case 20, 701, 1083, 1114, 1184 -> 8;
            case 19 -> 64;
            case 1186, 2950 -> 16;
            default -> 32;
        };
    }

    public final void open(ExecState ex) {
        if (analyze) {
            loops++;
            startNanos = System.nanoTime();
            firstRowNanos = 0;
        }
        doOpen(ex);
    }

    public final Object[] next(ExecState ex) {
        if (!analyze) {
            return doNext(ex);
        }
        long t = System.nanoTime();
        Object[] r = doNext(ex);
        long now = System.nanoTime();
        totalNanos += now - t;
        if (r != null) {
            actualRows++;
            if (firstRowNanos == 0) {
                firstRowNanos = now - startNanos;
            }
        }
        return r;
    }

    public void close() {
        for (Plan c : children()) {
            c.close();
        }
    }

    protected abstract void doOpen(ExecState ex);

    protected abstract Object[] doNext(ExecState ex);

    /** The node's name as EXPLAIN prints it ("Seq Scan on t", "Hash Join"). */
    public abstract String label();

    public List<Plan> children() {
        return List.of();
    }

    /** The detail lines under the node ("Filter: (a > 1)"). */
    public List<String> details(boolean analyze) {
        return List.of();
    }

    public void setAnalyze() {
        analyze = true;
        for (Plan c : children()) {
            c.setAnalyze();
        }
    }

    protected void estimate(double startup, double total, double nrows) {
        this.startupCost = startup;
        this.totalCost = total;
        this.rows = Math.max(1, Math.rint(nrows));
    }

    /** EXPLAIN's text output. */
    public List<String> explain(boolean costs, boolean analyze) {
        return explain(costs, analyze, true);
    }

    /** EXPLAIN's text output; without {@code timing} ANALYZE shows rows and loops only (TIMING OFF). */
    public List<String> explain(boolean costs, boolean analyze, boolean timing) {
        return explain(new ExplainContext(costs, analyze, timing, false, null, null));
    }

    /** EXPLAIN's text output with the given options. */
    public List<String> explain(ExplainContext x) {
        List<String> out = new ArrayList<>();
        x.qualify = relationCount(this, x, new java.util.HashSet<>()) > 1;
        explain(x, out, null, null, List.of());
        return out;
    }

    /**
     * Per entry of {@code columns}, whether the node fills it (a scan that fetches only the columns the
     * query reads); null: all of them.
     */
    public boolean[] outputMask() {
        return null;
    }

    /** The table a scan or a write node works on (EXPLAIN VERBOSE qualifies its name), else null. */
    modgres.sql.catalog.Relation explainRelation() {
        if (this instanceof Scans.SeqScan s) {
            return s.rel;
        }
        if (this instanceof Scans.IndexScanNode s) {
            return s.rel;
        }
        if (this instanceof BitmapScans.BitmapHeapScan s) {
            return s.rel;
        }
        return null;
    }

    /**
     * VERBOSE's Output line: the values the node passes up, one text per value, in PostgreSQL's form; null
     * when the node has no such line. By default a node passes up its input's values (one input with the
     * same columns), its inputs' side by side (a join), or its own columns by name.
     */
    protected List<String> output(ExplainContext x) {
        List<Plan> ch = children();
        if (ch.size() == 1 && ch.get(0).columns.size() == columns.size()) {
            return ch.get(0).shownOutput(x);
        }
        if (ch.size() == 2 && ch.get(0).columns.size() + ch.get(1).columns.size() == columns.size()) {
            List<String> both = new ArrayList<>(ch.get(0).shownOutput(x));
            both.addAll(ch.get(1).shownOutput(x));
            return both;
        }
        boolean[] mask = outputMask();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            OutCol c = columns.get(i);
            boolean dropped = c.hidden() && c.attnum() > 0;
            if (dropped || (mask == null ? c.hidden() : !mask[i])) {
                continue;
            }
            texts.add(x.qualify && c.qualifier() != null ? c.qualifier() + "." + c.name() : c.name());
        }
        return texts;
    }

    /** The Output this node shows (a projection shows its expressions on the node it reads). */
    List<String> shownOutput(ExplainContext x) {
        if (this instanceof Nodes.Project p) {
            List<String> t = p.texts();
            return t != null ? t : p.inner().shownOutput(x);
        }
        List<String> o = output(x);
        return o == null ? List.of() : o;
    }

    /** Texts of expressions the node evaluates that EXPLAIN does not print (their sub-plans are shown). */
    List<String> unprintedTexts() {
        return List.of();
    }

    /** The Output forced on this node's input (an UPDATE's new values), else null. */
    List<String> childOutput(ExplainContext x) {
        return null;
    }

    /** How many relations EXPLAIN shows for the plan and its sub-plans (VERBOSE qualifies names if > 1). */
    public static int relationsShown(Plan p, SubPlans subPlans) {
        return relationCount(p, new ExplainContext(false, false, false, true, subPlans, null), new java.util.HashSet<>());
    }

    private static int relationCount(Plan p, ExplainContext x, java.util.Set<Object> seen) {
        int n = p.explainRelation() != null && !(p instanceof ModifyTable) ? 1 : 0;
        for (Plan c : p.children()) {
            n += relationCount(c, x, seen);
        }
        if (x.numbering != null) {
            for (SubPlans.Info i : x.numbering.owner().all()) {
                if (seen.add(i)) {
                    n += relationCount(i.shown(), x, seen);
                }
            }
        }
        return n;
    }

    private String labelFor(ExplainContext x) {
        String l = label();
        modgres.sql.catalog.Relation r = explainRelation();
        if (x.verbose && r != null && x.schemaName != null) {
            String needle = " on " + r.name();
            int i = l.lastIndexOf(needle);
            String schema = x.schemaName.apply(r.namespace());
            if (i >= 0 && schema != null) {
                l = l.substring(0, i + 4) + schema + "." + l.substring(i + 4);
            }
        }
        return l;
    }

    /*
     * Layout (PostgreSQL's text format): a node's line starts at its indent with "->  " (the top node has
     * neither), its detail lines at indent + 6 (the top node's at 2), its inputs at indent + 6, and a sub-plan
     * as a title line at the detail indent with its plan 2 further in:
     *
     *     Update on t
     *       ->  Result
     *             Output: ...
     *             ->  Seq Scan on t
     *             SubPlan 1
     *               ->  Seq Scan on s
     */
    private void explain(ExplainContext x, List<String> out, String indent, List<String> forcedOutput,
            List<String> inheritedTexts) {
        if (this instanceof Nodes.Project p) {
            List<String> texts = new ArrayList<>(inheritedTexts);
            if (p.texts() != null) {
                texts.addAll(p.texts());
            }
            p.inner().explain(x, out, indent, forcedOutput != null ? forcedOutput : p.texts(), texts);
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append(indent == null ? "" : indent + "->  ").append(labelFor(x));
        if (x.costs) {
            b.append(String.format(Locale.ROOT, "  (cost=%.2f..%.2f rows=%d width=%d)", startupCost, totalCost,
                    (long) rows, width));
        }
        if (x.analyze) {
            if (loops == 0) {
                b.append(" (never executed)");
            } else {
                double first = firstRowNanos / 1e6 / loops;
                double total = totalNanos / 1e6 / loops;
                if (x.timing) {
                    b.append(String.format(Locale.ROOT, " (actual time=%.3f..%.3f rows=%d loops=%d)", first,
                            Math.max(first, total), Math.round((double) actualRows / loops), loops));
                } else {
                    b.append(String.format(Locale.ROOT, " (actual rows=%d loops=%d)",
                            Math.round((double) actualRows / loops), loops));
                }
            }
        }
        out.add(b.toString());
        String detailIndent = indent == null ? "  " : indent + "      ";
        List<String> output = forcedOutput != null ? forcedOutput : output(x);
        List<String> details = details(x.analyze);
        List<SubPlans.Info> subs = List.of();
        if (x.numbering != null) {
            StringBuilder all = new StringBuilder();
            for (List<String> l : List.of(output == null ? List.<String>of() : output, details, inheritedTexts,
                    unprintedTexts())) {
                for (String t : l) {
                    all.append(t).append('\n');
                }
            }
            subs = x.numbering.claim(all.toString());
            for (SubPlans.Info i : subs) {
                if (i.initPlan()) {
                    x.numbering.number(i);
                }
            }
            for (SubPlans.Info i : subs) {
                x.numbering.number(i);
            }
        }
        if (x.verbose && output != null && !(this instanceof ModifyTable && output.isEmpty())) {
            out.add(detailIndent + "Output: " + x.render(String.join(", ", output)));
        }
        for (String d : details) {
            out.add(detailIndent + x.render(d));
        }
        for (SubPlans.Info i : subs) {
            if (i.initPlan()) {
                out.add(detailIndent + x.numbering.title(i));
                i.shown().explain(x, out, detailIndent + "  ", null, List.of());
            }
        }
        List<String> forChild = childOutput(x);
        for (Plan c : children()) {
            c.explain(x, out, detailIndent, forChild, List.of());
        }
        for (SubPlans.Info i : subs) {
            if (!i.initPlan()) {
                out.add(detailIndent + x.numbering.title(i));
                i.shown().explain(x, out, detailIndent + "  ", null, List.of());
            }
        }
    }
}
