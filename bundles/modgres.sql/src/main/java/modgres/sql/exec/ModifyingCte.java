package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

/*
 * Design notes: data-modifying statements in WITH (PostgreSQL's
 * "WITH t AS (INSERT|UPDATE|DELETE ... RETURNING ...)").
 *
 * PostgreSQL's rules, and how they hold here:
 *  - each one runs exactly once, to completion, whether or not the query
 *    reads its rows: the first reference runs it whole and keeps its
 *    RETURNING rows (a reference that is opened again, a correlated subquery,
 *    re-reads the kept rows, never re-runs it); at the end of the statement
 *    (Finish above a SELECT, ModifyTable.finishCtes for a DML) any one not yet
 *    run is run;
 *  - all run with the statement's snapshot and command id, so none sees the
 *    others' changes nor does the main query (rows written by the current
 *    command are invisible to it); two of them changing one row: the second
 *    finds it changed by its own command and leaves it (as PostgreSQL);
 *  - the rows count of the statement (its command tag) is the main query's:
 *    what a WITH statement processes is not counted;
 *  - its triggers fire as the statement's own (ModifyTable resolves them).
 *
 * "Once" is per execution: a cached plan run again (a new ExecState) runs the
 * statement again.
 *
 *   reference opened ──▶ ran for this ExecState? ──no──▶ run ModifyTable to the end, keep rows
 *                                 │yes                            │
 *                                 ▼                               ▼
 *                          read the kept rows ◀───────────────────┘
 */
/** A data-modifying WITH query: run once per execution, its RETURNING rows kept; see the design notes. */
public final class ModifyingCte {
    private final ModifyTable plan;
    private final List<OutCol> columns;
    private List<Object[]> rows;
    private ExecState ranFor;

    ModifyingCte(ModifyTable plan, List<OutCol> columns) {
        this.plan = plan;
        this.columns = columns;
    }

    /** Runs the statement unless it ran for this execution already; its RETURNING rows. */
    List<Object[]> run(ExecState ex) {
        if (ranFor == ex) {
            return rows;
        }
        List<Object[]> out = new ArrayList<>();
        long processed = ex.processed;
        plan.open(ex);
        try {
            for (Object[] r = plan.next(ex); r != null; r = plan.next(ex)) {
                out.add(r.clone());
            }
        } finally {
            plan.close();
            ex.processed = processed;
        }
        rows = out;
        ranFor = ex;
        return rows;
    }

    /** A reference to the query: its kept rows. */
    Plan scan() {
        return new Scan(this);
    }

    /** Every one of {@code ctes} not yet run is run once {@code child} is exhausted. */
    static Plan finishing(Plan child, List<ModifyingCte> ctes) {
        return new Finish(child, ctes);
    }

    ModifyTable plan() {
        return plan;
    }

    /**
     * The tables the data-modifying WITH queries of {@code root} write, with the privilege each needs ('a'
     * INSERT, 'w' UPDATE, 'd' DELETE): the statement locks them ROW EXCLUSIVE and checks the privileges
     * before it runs, as for its own target.
     */
    public static java.util.Map<modgres.sql.catalog.Relation, Character> targets(Plan root) {
        java.util.Map<modgres.sql.catalog.Relation, Character> out = new java.util.LinkedHashMap<>();
        collect(root, out, new java.util.HashSet<>());
        return out;
    }

    private static void collect(Plan p, java.util.Map<modgres.sql.catalog.Relation, Character> out,
            java.util.Set<ModifyingCte> seen) {
        List<ModifyingCte> found = new ArrayList<>();
        if (p instanceof Finish f) {
            found.addAll(f.ctes);
        } else if (p instanceof ModifyTable m && m.finishCtes != null) {
            found.addAll(m.finishCtes);
        } else if (p instanceof Scan s) {
            found.add(s.cte);
        }
        for (ModifyingCte c : found) {
            if (seen.add(c)) {
                out.put(c.plan.rel, switch (c.plan.op) {
                    case INSERT -> 'a';
                    case UPDATE -> 'w';
                    case DELETE -> 'd';
                });
            }
        }
        for (Plan c : p.children()) {
            collect(c, out, seen);
        }
    }

    private static final class Scan extends Plan {
        private final ModifyingCte cte;
        private List<Object[]> current;
        private int pos;

        Scan(ModifyingCte cte) {
            super(cte.columns);
            this.cte = cte;
            estimate(cte.plan.startupCost, cte.plan.totalCost, cte.plan.rows);
        }

        @Override
        protected void doOpen(ExecState ex) {
            current = null;
            pos = 0;
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            if (current == null) {
                current = cte.run(ex);
            }
            if (pos >= current.size()) {
                return null;
            }
            Object[] r = current.get(pos++);
            return r.length == columns.size() ? r.clone() : java.util.Arrays.copyOf(r, columns.size());
        }

        @Override
        public void close() {
            // the statement closed itself when it ran
        }

        @Override
        public String label() {
            return cte.plan.label();
        }

        @Override
        public List<Plan> children() {
            return cte.plan.children();
        }
    }

    /** Above a query with data-modifying WITH queries: runs those not yet run when the query ends. */
    private static final class Finish extends Plan {
        private final Plan child;
        private final List<ModifyingCte> ctes;

        Finish(Plan child, List<ModifyingCte> ctes) {
            super(child.columns);
            this.child = child;
            this.ctes = ctes;
            estimate(child.startupCost, child.totalCost, child.rows);
        }

        @Override
        protected void doOpen(ExecState ex) {
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            Object[] r = child.next(ex);
            if (r == null) {
                for (ModifyingCte c : ctes) {
                    c.run(ex);
                }
            }
            return r;
        }

        @Override
        public void close() {
            child.close();
        }

        @Override
        public String label() {
            return child.label();
        }

        @Override
        public List<String> details(boolean analyze) {
            return child.details(analyze);
        }

        @Override
        public List<Plan> children() {
            return child.children();
        }
    }
}
