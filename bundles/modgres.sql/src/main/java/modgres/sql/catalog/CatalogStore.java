package modgres.sql.catalog;

import java.util.ArrayList;
import java.util.List;

import modgres.api.access.Heap;
import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.access.RelationRef;
import modgres.api.access.TmResult;
import modgres.api.access.WaitPolicy;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.txn.Snapshot;

/**
 * Reads and writes catalog rows through the heap: the catalogs are ordinary
 * heap relations, changed under the session's transaction like user data
 * (so a rolled-back CREATE TABLE leaves no visible row behind, and the
 * changes are WAL-logged and recovered like everything else).
 */
public final class CatalogStore {
    /** The tablespaces of PostgreSQL: pg_default and pg_global. */
    public static final int DEFAULT_TABLESPACE = 1663, GLOBAL_TABLESPACE = 1664;

    /** A catalog row and where it is. */
    public record Row(long tid, Object[] values) {
        public Object get(SysTable t, String column) {
            return values[t.column(column)];
        }
    }

    private final Heap heap;
    private final int database;

    public CatalogStore(Heap heap, int database) {
        this.heap = heap;
        this.database = database;
    }

    public Heap heap() {
        return heap;
    }

    public int database() {
        return database;
    }

    public RelFileNode node(SysTable t) {
        return t.shared() ? new RelFileNode(GLOBAL_TABLESPACE, 0, t.oid())
                : new RelFileNode(DEFAULT_TABLESPACE, database, t.oid());
    }

    public RelationRef ref(SysTable t) {
        return new RelationRef(t.oid(), node(t), t.name());
    }

    /**
     * Creates the file of a catalog added after the database was made ({@link SysTable#optional}) when it has
     * none yet; scanning it is how its absence shows.
     */
    public void ensureStorage(SysTable t, Snapshot snapshot) {
        try {
            scan(t, snapshot);
        } catch (RuntimeException e) {
            heap.create(node(t));
        }
    }

    public List<Row> scan(SysTable t, Snapshot snapshot) {
        List<Row> rows = new ArrayList<>();
        int[] types = t.types();
        try (HeapScan s = heap.scan(ref(t), snapshot, false)) {
            for (HeapTuple tup = s.next(); tup != null; tup = s.next()) {
                rows.add(new Row(tup.tid(), RowCodec.deform(types, tup.data())));
            }
        }
        return rows;
    }

    public long insert(SysTable t, Object[] values, TxnContext tx) {
        return heap.insert(ref(t), RowCodec.form(t.types(), values), tx.xid(), tx.commandId(), 0, 100);
    }

    /** Inserts a row of the initial catalog (frozen, by the bootstrap transaction). */
    public long insertBootstrap(SysTable t, Object[] values) {
        return heap.insert(ref(t), RowCodec.form(t.types(), values), modgres.api.txn.Xid.BOOTSTRAP, 0,
                Heap.INSERT_FROZEN, 100);
    }

    public void delete(SysTable t, long tid, TxnContext tx) {
        try {
            TmResult r = heap.delete(ref(t), tid, tx.xid(), tx.commandId(), tx.snapshot(), WaitPolicy.BLOCK,
                    tx.lockTimeout());
            check(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        }
    }

    public long update(SysTable t, long tid, Object[] values, TxnContext tx) {
        try {
            TmResult r = heap.update(ref(t), tid, RowCodec.form(t.types(), values), tx.xid(), tx.commandId(),
                    tx.snapshot(), WaitPolicy.BLOCK, tx.lockTimeout(), 100);
            check(r);
            return r.newTid();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        }
    }

    private static void check(TmResult r) {
        switch (r.status()) {
            case OK, SELF_MODIFIED -> {
            }
            default -> throw new PgException("XX000", "tuple concurrently updated");
        }
    }
}
