package modgres.sql.exec;

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
 * an endless recursion. The working table and the rows of the next one are
 * RowStores (within work_mem in memory, else in temporary files, as
 * PostgreSQL's tuplestores); UNION's set of rows already returned is a hash
 * set in memory (PostgreSQL's hash table does not spill either), accounted to
 * the session's memory account.
 */
final class RecursiveUnion extends Plan {

    /** The working table the recursive term's self-reference reads. */
    static final class WorkTable {
        /** The current working table; null while there is none (empty). */
        modgres.sql.exec.spill.RowStore rows;
    }

    /** The recursive term's reference to the query being defined: the current working table. */
    static final class WorkTableScan extends Plan {
        final WorkTable table;
        final String name;
        final String alias;
        private modgres.sql.exec.spill.RowStore.Reader reader;

        WorkTableScan(List<OutCol> cols, WorkTable table, String name, String alias) {
            super(cols);
            this.table = table;
            this.name = name;
            this.alias = alias;
            estimate(0, 10, 100);
        }

        @Override
        protected void doOpen(ExecState ex) {
            reader = table.rows == null ? null : table.rows.reader();
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return reader == null ? null : reader.next();
        }

        @Override
        public void close() {
            super.close();
            reader = null;
        }

        @Override
        public String label() {
            return "WorkTable Scan on " + name + (alias != null && !alias.equals(name) ? " " + alias : "");
        }
    }

    /** Bytes a returned row costs in UNION's set besides the row (entry, key list). */
    private static final int SEEN_OVERHEAD = 64;

    final Plan nonRecursive;
    final Plan recursive;
    final boolean all;
    final WorkTable table;
    private Set<List<Object>> seen;
    /** UNION's set of returned rows in the session's memory account. */
    private modgres.sql.exec.spill.MemoryAccount.Charge seenCharge;
    private modgres.sql.exec.spill.RowStore next;
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
        release();
        seen = all ? null : new HashSet<>();
        seenCharge = ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.HASH_AGG);
        next = store(ex);
        inRecursive = false;
        finished = false;
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
                    if (seen != null) {
                        seenCharge.grow(modgres.sql.exec.spill.RowCodec.estimate(r) + SEEN_OVERHEAD);
                    }
                    next.add(r);
                    return r;
                }
                continue;
            }
            if (inRecursive) {
                PlanReset.closeTree(recursive); // nodes keep rows until closed: the working table changes
            }
            if (next.size() == 0) {
                finished = true;
                break;
            }
            if (table.rows != null) {
                table.rows.close();
            }
            table.rows = next;
            next = store(ex);
            inRecursive = true;
            recursive.open(ex);
        }
        return null;
    }

    /** A store for the rows of the next working table. */
    private modgres.sql.exec.spill.RowStore store(ExecState ex) {
        return new modgres.sql.exec.spill.RowStore(ex.workMem, ex::tempFiles,
                Nodes.codec(Nodes.types(columns), ex))
                .account(ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.EXECUTOR));
    }

    private void release() {
        seen = null;
        if (seenCharge != null) {
            seenCharge.release();
        }
        if (next != null) {
            next.close();
            next = null;
        }
        if (table.rows != null) {
            table.rows.close();
            table.rows = null;
        }
    }

    @Override
    public void close() {
        super.close();
        release();
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
