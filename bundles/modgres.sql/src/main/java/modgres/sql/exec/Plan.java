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
        List<String> out = new ArrayList<>();
        explain(out, 0, costs, analyze, timing, null);
        return out;
    }

    private void explain(List<String> out, int depth, boolean costs, boolean analyze, boolean timing, String role) {
        if (this instanceof Nodes.Project p) {
            p.inner().explain(out, depth, costs, analyze, timing, role);
            return;
        }
        StringBuilder b = new StringBuilder();
        String indent = depth == 0 ? "" : " ".repeat(6 * (depth - 1) + 2) + "->  ";
        b.append(indent).append(label());
        if (costs) {
            b.append(String.format(Locale.ROOT, "  (cost=%.2f..%.2f rows=%d width=%d)", startupCost, totalCost,
                    (long) rows, width));
        }
        if (analyze) {
            if (loops == 0) {
                b.append(" (never executed)");
            } else {
                double first = firstRowNanos / 1e6 / loops;
                double total = totalNanos / 1e6 / loops;
                if (timing) {
                    b.append(String.format(Locale.ROOT, " (actual time=%.3f..%.3f rows=%d loops=%d)", first,
                            Math.max(first, total), Math.round((double) actualRows / loops), loops));
                } else {
                    b.append(String.format(Locale.ROOT, " (actual rows=%d loops=%d)",
                            Math.round((double) actualRows / loops), loops));
                }
            }
        }
        out.add(b.toString());
        String detailIndent = depth == 0 ? "  " : " ".repeat(6 * (depth - 1) + 2) + "      ";
        for (String d : details(analyze)) {
            out.add(detailIndent + d);
        }
        for (Plan c : children()) {
            c.explain(out, depth + 1, costs, analyze, timing, null);
        }
    }
}
