package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * A reference to a WITH query (PostgreSQL's CTE Scan over the query's
 * tuplestore): the query runs at most once per execution, on demand, and its
 * rows are kept for every reference, each reading them at its own pace (so a
 * LIMIT over an endless recursive query stops it). EXPLAIN shows
 * {@code CTE Scan on name [alias]} with the query's plan below it (where
 * PostgreSQL prints the query once, as a "CTE name" subplan). A WITH query
 * read once is not scanned this way but planned in place, as PostgreSQL 12
 * and later inline it.
 */
final class CteScan extends Plan {

    /** The query and the rows read from it so far, shared by its references. */
    static final class Shared {
        final Plan plan;
        final String name;
        final boolean recursive;
        private List<Object[]> rows;
        private boolean done;

        Shared(Plan plan, String name, boolean recursive) {
            this.plan = plan;
            this.name = name;
            this.recursive = recursive;
        }

        /** Row {@code i}, reading the query further when needed; null past its end. */
        Object[] row(int i, ExecState ex) {
            if (rows == null) {
                rows = new ArrayList<>();
                done = false;
                plan.open(ex);
            }
            while (i >= rows.size() && !done) {
                Object[] r = plan.next(ex);
                if (r == null) {
                    done = true;
                } else {
                    rows.add(r.clone());
                }
            }
            return i < rows.size() ? rows.get(i) : null;
        }

        void reset() {
            if (rows != null) {
                rows = null;
                PlanReset.closeTree(plan);
            }
        }
    }

    final Shared shared;
    final String alias;
    private int pos;

    CteScan(Shared shared, String alias) {
        super(shared.plan.columns);
        this.shared = shared;
        this.alias = alias;
        estimate(shared.plan.startupCost, shared.plan.totalCost, shared.plan.rows);
    }

    @Override
    protected void doOpen(ExecState ex) {
        pos = 0;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        ex.tick();
        Object[] r = shared.row(pos, ex);
        if (r != null) {
            pos++;
        }
        return r;
    }

    @Override
    public void close() {
        shared.reset();
    }

    @Override
    public String label() {
        return "CTE Scan on " + shared.name + (alias != null && !alias.equals(shared.name) ? " " + alias : "");
    }

    @Override
    public List<Plan> children() {
        return List.of(shared.plan);
    }

    @Override
    public void setAnalyze() {
        super.setAnalyze();
        shared.plan.setAnalyze();
    }
}
