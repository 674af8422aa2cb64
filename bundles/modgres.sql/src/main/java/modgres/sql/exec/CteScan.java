package modgres.sql.exec;

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

    /**
     * The query and the rows read from it so far, shared by its references: a RowStore (within work_mem in
     * memory, else in a temporary file), each reference reading it with a cursor of its own that the query's
     * further rows extend.
     */
    static final class Shared {
        final Plan plan;
        final String name;
        final boolean recursive;
        private modgres.sql.exec.spill.RowStore rows;
        private boolean done;

        Shared(Plan plan, String name, boolean recursive) {
            this.plan = plan;
            this.name = name;
            this.recursive = recursive;
        }

        /** The rows, the query started on first use. */
        private modgres.sql.exec.spill.RowStore rows(ExecState ex) {
            if (rows == null) {
                rows = new modgres.sql.exec.spill.RowStore(ex.workMem, ex::tempFiles,
                        Nodes.codec(Nodes.types(plan.columns), ex))
                        .account(ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.EXECUTOR));
                done = false;
                plan.open(ex);
            }
            return rows;
        }

        /** The next row for {@code cursor}, reading the query further when needed; null at the end. */
        Object[] next(modgres.sql.exec.spill.RowStore.Cursor cursor, ExecState ex) {
            Object[] r = cursor.next();
            while (r == null && !done) {
                Object[] q = plan.next(ex);
                if (q == null) {
                    done = true;
                } else {
                    rows.add(q.clone());
                    r = cursor.next();
                }
            }
            return r;
        }

        void reset() {
            if (rows != null) {
                rows.close();
                rows = null;
                PlanReset.closeTree(plan);
            }
        }
    }

    final Shared shared;
    final String alias;
    /** Rows this reference returned since it was opened. */
    private long pos;
    private modgres.sql.exec.spill.RowStore.Cursor cursor;
    /** The store the cursor reads (a reset of the shared query makes a new one). */
    private modgres.sql.exec.spill.RowStore cursorOf;

    CteScan(Shared shared, String alias) {
        super(shared.plan.columns);
        this.shared = shared;
        this.alias = alias;
        estimate(shared.plan.startupCost, shared.plan.totalCost, shared.plan.rows);
    }

    @Override
    protected void doOpen(ExecState ex) {
        pos = 0;
        cursor = null;
        cursorOf = null;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        ex.tick();
        modgres.sql.exec.spill.RowStore store = shared.rows(ex);
        if (cursor == null || cursorOf != store) {
            // first read, or the shared query was run again: go on at this reference's position
            cursor = store.cursor();
            cursorOf = store;
            for (long i = 0; i < pos; i++) {
                if (shared.next(cursor, ex) == null) {
                    break;
                }
            }
        }
        Object[] r = shared.next(cursor, ex);
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
