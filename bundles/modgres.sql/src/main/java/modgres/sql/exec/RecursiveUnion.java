package modgres.sql.exec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recursive Union: the working-table evaluation of {@code WITH RECURSIVE}
 * (PostgreSQL's nodeRecursiveunion.c). The non-recursive term's rows are
 * returned and become the working table; then, as long as the working table
 * is not empty, the recursive term runs with its self-reference (a
 * {@link WorkTableScan}) reading the working table, and the rows it produces
 * are returned and form the next working table. With UNION (not ALL) a row
 * equal to one already returned is dropped, which is what ends most
 * recursions. Rows are returned as they are produced, so a LIMIT above stops
 * an endless recursion.
 */
final class RecursiveUnion extends Plan {

    /** The working table the recursive term's self-reference reads. */
    static final class WorkTable {
        List<Object[]> rows = List.of();
    }

    /** The recursive term's reference to the query being defined: the current working table. */
    static final class WorkTableScan extends Plan {
        final WorkTable table;
        final String name;
        final String alias;
        private int pos;

        WorkTableScan(List<OutCol> cols, WorkTable table, String name, String alias) {
            super(cols);
            this.table = table;
            this.name = name;
            this.alias = alias;
            estimate(0, 10, 100);
        }

        @Override
        protected void doOpen(ExecState ex) {
            pos = 0;
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return pos < table.rows.size() ? table.rows.get(pos++) : null;
        }

        @Override
        public String label() {
            return "WorkTable Scan on " + name + (alias != null && !alias.equals(name) ? " " + alias : "");
        }
    }

    final Plan nonRecursive;
    final Plan recursive;
    final boolean all;
    final WorkTable table;
    private Set<List<Object>> seen;
    private List<Object[]> next;
    private boolean inRecursive;
    private boolean finished;

    RecursiveUnion(List<OutCol> cols, Plan nonRecursive, Plan recursive, boolean all, WorkTable table) {
        super(cols);
        this.nonRecursive = nonRecursive;
        this.recursive = recursive;
        this.all = all;
        this.table = table;
        estimate(0, nonRecursive.totalCost + recursive.totalCost * 10, nonRecursive.rows + recursive.rows * 10);
    }

    @Override
    protected void doOpen(ExecState ex) {
        seen = all ? null : new HashSet<>();
        next = new ArrayList<>();
        inRecursive = false;
        finished = false;
        table.rows = List.of();
        nonRecursive.open(ex);
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        while (!finished) {
            ex.tick();
            Object[] r = inRecursive ? recursive.next(ex) : nonRecursive.next(ex);
            if (r != null) {
                r = r.clone();
                if (seen == null || seen.add(Nodes.rowKey(r, columns, columns.size(), ex))) {
                    next.add(r);
                    return r;
                }
                continue;
            }
            if (inRecursive) {
                PlanReset.closeTree(recursive); // nodes keep rows until closed: the working table changes
            }
            if (next.isEmpty()) {
                finished = true;
                break;
            }
            table.rows = next;
            next = new ArrayList<>();
            inRecursive = true;
            recursive.open(ex);
        }
        return null;
    }

    @Override
    public void close() {
        super.close();
        seen = null;
        next = null;
        table.rows = List.of();
    }

    @Override
    public String label() {
        return "Recursive Union";
    }

    @Override
    public List<Plan> children() {
        return List.of(nonRecursive, recursive);
    }
}
