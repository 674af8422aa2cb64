package modgres.sql.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import modgres.sql.exec.spill.MemoryAccount;
import modgres.sql.exec.spill.MemoryAccount.Context;

/**
 * {@code pg_backend_memory_contexts} (the own backend only, as PostgreSQL's),
 * in PostgreSQL 15's columns, approximated from the session's memory account:
 * one row per accounted purpose, named as PostgreSQL's context for it, in
 * PostgreSQL's tree (TopMemoryContext, PortalContext, ExecutorState and the
 * executor's contexts under it, LocalBufferContext). Several structures of one
 * purpose (two sorts) share one row. {@code used_bytes} and
 * {@code total_bytes} are the accounted estimates the structures are bounded
 * by (there are no allocator blocks, so {@code total_nblocks},
 * {@code free_bytes} and {@code free_chunks} are 0); LocalBufferContext is the
 * local buffers holding a page, 8 kB each, as noted at the end of the
 * previous statement. Read when the scan opens.
 */
final class MemoryContextsScan extends Plan {
    static final List<OutCol> COLUMNS = List.of(OutCol.of("name", 25), OutCol.of("ident", 25),
            OutCol.of("parent", 25), OutCol.of("level", 23), OutCol.of("total_bytes", 20),
            OutCol.of("total_nblocks", 20), OutCol.of("free_bytes", 20), OutCol.of("free_chunks", 20),
            OutCol.of("used_bytes", 20));

    private Iterator<Object[]> it;

    MemoryContextsScan() {
        super(COLUMNS);
        estimate(0, 1, 8);
    }

    private static Object[] row(String name, String parent, int level, long used) {
        return new Object[] {name, null, parent, level, used, 0L, 0L, 0L, used};
    }

    @Override
    protected void doOpen(ExecState ex) {
        MemoryAccount m = ex.memory;
        List<Object[]> rows = new ArrayList<>();
        rows.add(row("TopMemoryContext", null, 0, 0));
        rows.add(row(Context.PORTAL.pgName, "TopMemoryContext", 1, m.held(Context.PORTAL)));
        rows.add(row(Context.EXECUTOR.pgName, Context.PORTAL.pgName, 2, m.held(Context.EXECUTOR)));
        for (Context c : new Context[] {Context.SORT, Context.HASH, Context.HASH_AGG, Context.WINDOW}) {
            if (m.held(c) > 0) {
                rows.add(row(c.pgName, Context.EXECUTOR.pgName, 3, m.held(c)));
            }
        }
        if (m.tempBuffersUsed() > 0) {
            rows.add(row("LocalBufferContext", "TopMemoryContext", 1,
                    (long) m.tempBuffersUsed() * modgres.api.backend.BackendMemory.BUFFER_BYTES));
        }
        it = rows.iterator();
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        return it.hasNext() ? it.next() : null;
    }

    @Override
    public String label() {
        return "Function Scan on pg_get_backend_memory_contexts";
    }
}
