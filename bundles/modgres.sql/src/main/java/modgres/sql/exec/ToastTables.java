package modgres.sql.exec;

/*
 * Design notes: a table's TOAST table as PostgreSQL's toasting.c makes it.
 *
 *   pg_toast.pg_toast_<table oid>         relkind 't': chunk_id oid, chunk_seq int4,
 *                                         chunk_data bytea (attstorage 'p')
 *   pg_toast.pg_toast_<table oid>_index   unique B-tree on (chunk_id, chunk_seq)
 *   the table's pg_class.reltoastrelid    the TOAST table's OID
 *
 * Created with the table (CREATE TABLE, or ALTER TABLE when a column that
 * needs one is added or its storage changes) when PostgreSQL's
 * needs_toast_table says so: some variable-length column is not 'p' and the
 * row's maximum length is unknown or over TOAST_TUPLE_THRESHOLD. A temporary
 * table's TOAST table is temporary too and sits in the table's own pg_temp_N
 * schema (PostgreSQL uses pg_toast_temp_N; here the schema is what sends a
 * relation to the session's local buffers). Dropped and
 * truncated with the table (DdlExecutor), vacuumed with it
 * (DdlExecutor.vacuumRelation). Both relations use their OIDs as file nodes.
 */

import java.util.List;

import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.sql.catalog.Bootstrap;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.catalog.TxnContext;
import modgres.sql.toast.Varlena;

/** Creating, changing and dropping TOAST tables (see the design notes). */
public final class ToastTables {
    private ToastTables() {
    }

    /** PostgreSQL's default attstorage of a type: 'p' for fixed length, 'm' numeric, else 'x'. */
    public static char defaultStorage(int type, int typlen) {
        return typlen != -1 ? 'p' : type == 1700 ? 'm' : 'x';
    }

    /** needs_toast_table: columns as (type, typmod, typlen, storage) of the live attributes. */
    static boolean needsToast(List<Relation.Column> columns) {
        long length = 0;
        boolean unknown = false;
        boolean toastable = false;
        for (Relation.Column c : columns) {
            if (c.dropped()) {
                continue;
            }
            int len = DdlExecutor.typlen(c.type());
            if (len > 0) {
                length += len + 7;
                continue;
            }
            long max = maximumSize(c.type(), c.typmod());
            if (max < 0) {
                unknown = true;
            } else {
                length += max + 3;
            }
            if (c.storage() != 'p') {
                toastable = true;
            }
        }
        if (!toastable) {
            return false;
        }
        return unknown || 24 + length > Varlena.TOAST_TUPLE_THRESHOLD;
    }

    /** type_maximum_size (UTF-8: 4 bytes a character); -1 when unbounded. */
    static long maximumSize(int type, int typmod) {
        if (typmod < 0) {
            return -1;
        }
        return switch (type) {
            case 1042, 1043 -> (typmod - 4L) * 4 + 4;
            case 1700 -> 8 + 2L * (((((typmod - 4) >> 16) & 0xFFFF) + 6) / 4);
            default -> -1;
        };
    }

    /** Creates the TOAST table of {@code table} if it needs one and has none; true when created. */
    static boolean createIfNeeded(CatalogStore store, TxnContext tx, ExecState ex, Relation table) {
        if (table == null || table.toast() != null || table.kind() != 'r' || !needsToast(table.columns())) {
            return false;
        }
        create(store, tx, ex, table);
        return true;
    }

    private static void create(CatalogStore store, TxnContext tx, ExecState ex, Relation table) {
        int tableOid = table.oid();
        int owner = table.owner();
        String name = "pg_toast_" + Integer.toUnsignedString(tableOid);
        // a temporary table's TOAST table lives with it: its schema (pg_temp_N), local buffers, no WAL
        boolean temp = table.node().isTemp();
        int nsp = temp ? table.namespace() : Namespace.PG_TOAST;
        int backend = table.node().backend();
        int toastOid = tx.newOid();
        RelFileNode node = new RelFileNode(CatalogStore.DEFAULT_TABLESPACE, tx.database(), toastOid, backend);
        ex.heap.create(node);
        tx.onAbort(new TxnContext.DropNewStorage(node, () -> ex.heap.dropStorage(node)));
        Object[] cls = Bootstrap.classRow(toastOid, name, nsp, toastOid, 0, false, "t", 3, owner, null);
        cls[SysTable.PG_CLASS.column("relhasindex")] = true;
        cls[SysTable.PG_CLASS.column("relfrozenxid")] = tx.snapshot().xmin();
        if (temp) {
            cls[SysTable.PG_CLASS.column("relpersistence")] = "t";
        }
        store.insert(SysTable.PG_CLASS, cls, tx);
        store.insert(SysTable.PG_ATTRIBUTE, Bootstrap.attributeRow(toastOid, "chunk_id", 26, 1, -1, 4, "i", true,
                true, false, "", ""), tx);
        store.insert(SysTable.PG_ATTRIBUTE, Bootstrap.attributeRow(toastOid, "chunk_seq", 23, 2, -1, 4, "i", true,
                true, false, "", ""), tx);
        Object[] data = Bootstrap.attributeRow(toastOid, "chunk_data", 17, 3, -1, -1, "i", false, true, false, "", "");
        data[SysTable.PG_ATTRIBUTE.column("attstorage")] = "p";
        store.insert(SysTable.PG_ATTRIBUTE, data, tx);

        int idxOid = tx.newOid();
        RelFileNode inode = new RelFileNode(CatalogStore.DEFAULT_TABLESPACE, tx.database(), idxOid, backend);
        ex.btree.create(inode);
        tx.onAbort(() -> ex.btree.dropStorage(inode));
        Object[] icls = Bootstrap.classRow(idxOid, name + "_index", nsp, idxOid, 0, false, "i", 2, owner, null);
        if (temp) {
            icls[SysTable.PG_CLASS.column("relpersistence")] = "t";
        }
        store.insert(SysTable.PG_CLASS, icls, tx);
        // unique, and primary as PostgreSQL marks a TOAST index
        store.insert(SysTable.PG_INDEX, new Object[] {idxOid, toastOid, (short) 2, (short) 2, true, false, true,
                false, true, false, true, false, true, true, false, "1 2", null}, tx);
        store.insert(SysTable.PG_ATTRIBUTE, Bootstrap.attributeRow(idxOid, "chunk_id", 26, 1, -1, 4, "i", true,
                false, false, "", ""), tx);
        store.insert(SysTable.PG_ATTRIBUTE, Bootstrap.attributeRow(idxOid, "chunk_seq", 23, 2, -1, 4, "i", true,
                false, false, "", ""), tx);

        tx.commandCounterIncrement();
        CatalogStore.Row row = null;
        for (CatalogStore.Row r : store.scan(SysTable.PG_CLASS, tx.snapshot())) {
            if (((Integer) r.get(SysTable.PG_CLASS, "oid")) == tableOid) {
                row = r;
                break;
            }
        }
        if (row == null) {
            throw new PgException("XX000", "cache lookup failed for relation " + Integer.toUnsignedString(tableOid));
        }
        Object[] v = row.values().clone();
        v[SysTable.PG_CLASS.column("reltoastrelid")] = toastOid;
        store.update(SysTable.PG_CLASS, row.tid(), v, tx);
        tx.catalogChanged();
        tx.commandCounterIncrement();
    }

    /** Removes the TOAST table of a dropped table: catalog rows now, files at commit. */
    static void drop(CatalogStore store, TxnContext tx, ExecState ex, CatalogView cat, Relation table) {
        Relation.Toast t = table.toast();
        if (t == null) {
            return;
        }
        for (int oid : new int[] {t.indexOid(), t.oid()}) {
            for (SysTable s : new SysTable[] {SysTable.PG_INDEX, SysTable.PG_ATTRIBUTE, SysTable.PG_CLASS}) {
                String col = s == SysTable.PG_INDEX ? "indexrelid" : s == SysTable.PG_ATTRIBUTE ? "attrelid" : "oid";
                for (CatalogStore.Row r : cat.rowsWhere(s, col, oid)) {
                    store.delete(s, r.tid(), tx);
                }
            }
        }
        RelFileNode heap = t.node();
        RelFileNode index = t.indexNode();
        tx.onCommit(() -> {
            ex.heap.dropStorage(heap);
            ex.btree.dropStorage(index);
        });
    }

    /**
     * ALTER TABLE ... ALTER COLUMN c SET STORAGE {PLAIN | EXTERNAL | EXTENDED | MAIN}: attstorage, and a
     * TOAST table when the table now needs one. Existing rows are not rewritten (as PostgreSQL).
     */
    static void setStorage(CatalogStore store, TxnContext tx, ExecState ex, CatalogView cat, Relation table,
            String column, String value) {
        Relation.Column c = table.column(column);
        if (c == null) {
            throw new PgException("42703", "column \"" + column + "\" of relation \"" + table.name()
                    + "\" does not exist");
        }
        String storage = switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "plain" -> "p";
            case "external" -> "e";
            case "extended" -> "x";
            case "main" -> "m";
            default -> throw new PgException("22023", "invalid storage type \"" + value + "\"");
        };
        if (DdlExecutor.typlen(c.type()) != -1 && !storage.equals("p")) {
            throw new PgException("42804", "column data type " + typeName(c.type()) + " can only have storage PLAIN");
        }
        for (CatalogStore.Row r : cat.rowsWhere(SysTable.PG_ATTRIBUTE, "attrelid", table.oid())) {
            if (((Short) r.get(SysTable.PG_ATTRIBUTE, "attnum")) == c.attnum()) {
                Object[] v = r.values().clone();
                v[SysTable.PG_ATTRIBUTE.column("attstorage")] = storage;
                store.update(SysTable.PG_ATTRIBUTE, r.tid(), v, tx);
            }
        }
        // the table's indexes' attributes follow their column, as PostgreSQL's ATExecSetStorage
        tx.catalogChanged();
        tx.commandCounterIncrement();
        Relation now = CatalogView.load(store, tx.snapshot()).relation(table.oid());
        createIfNeeded(store, tx, ex, now);
    }

    private static String typeName(int type) {
        modgres.sql.types.Type t = modgres.sql.types.Types.byOid(type);
        return t == null ? Integer.toString(type) : t.sqlName();
    }
}
