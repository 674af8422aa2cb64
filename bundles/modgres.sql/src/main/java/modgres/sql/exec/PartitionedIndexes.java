package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Inheritance;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;

/*
 * Design notes: indexes on partitioned tables (PostgreSQL 15's DefineIndex
 * recursing over partitions, AttachPartitionEnsureIndexes, IndexSetParentIndex).
 *
 *   partitioned table p (relkind 'p')        index p_a_idx (relkind 'I')
 *        │ pg_inherits                            │ pg_inherits (inhrelid = child index)
 *        ├─ leaf p1 (relkind 'r')  ─────────────  p1_a_idx (relkind 'i', a real B-tree)
 *        └─ sub-partitioned p2 ('p') ───────────  p2_a_idx ('I') ── its leaves' indexes ...
 *
 * A partitioned index is a catalog object: pg_class (relkind 'I', relam btree),
 * pg_index, pg_attribute. Its leaves are ordinary indexes, maintained by the
 * leaves' writers; nothing ever reads or writes through the 'I' index itself
 * (the partitioned table holds no rows). It still gets an (empty) B-tree file
 * so that every code path that walks a table's indexes (TRUNCATE, VACUUM,
 * DROP) treats it like any other index; PostgreSQL has no file there.
 *
 * A PRIMARY KEY or UNIQUE constraint on a partitioned table is one
 * pg_constraint row per level: the partitions' rows name their parent's in
 * conparentid (conislocal false, coninhcount 1), as PostgreSQL keeps them.
 * Uniqueness is enforced by each leaf's index alone, which is why the key
 * must contain every partition key column (0A000 otherwise): then equal
 * keys always route to the same leaf.
 *
 * When a partition arrives (CREATE TABLE ... PARTITION OF, ATTACH PARTITION)
 * every index of its new parent gets a child: an equivalent index the
 * partition already has (same key columns by name, same uniqueness, not yet
 * attached elsewhere, constraint-backed exactly when the parent's is) is
 * attached, otherwise one is created (named after the partition:
 * p1_pkey, p1_a_key, p1_a_idx). DETACH removes the index links and makes the
 * constraints local again.
 *
 * Invariants: an index has at most one parent index; a child index's table
 * is a partition of the parent index's table; DROP INDEX of a partitioned
 * index drops its descendants, DROP INDEX of an attached child is refused
 * (2BP01) as in PostgreSQL.
 */
/** Indexes and unique constraints on partitioned tables; see the design notes. */
final class PartitionedIndexes {
    private final DdlExecutor d;

    PartitionedIndexes(DdlExecutor d) {
        this.d = d;
    }

    /**
     * Creates the index {@code name} on {@code table} over {@code keys} (the table's attnums), with the constraint
     * {@code contype} ('p', 'u' or 0 for none) whose parent constraint is {@code parentCon}, under the parent index
     * {@code parentIndex} (0: none); a partitioned table's partitions get theirs. Returns the index OID.
     */
    int create(Relation table, String name, int[] keys, boolean unique, boolean primary, boolean nullsNotDistinct,
            char contype, int parentIndex, int parentCon) {
        if (table.kind() == 'p' && unique) {
            requirePartitionKey(table, keys, primary, contype != 0);
        }
        int idx = d.createIndexStorage(table.oid(), table.namespace(), name, keys, unique, primary, nullsNotDistinct,
                table.kind() == 'p' ? "I" : "i");
        int con = 0;
        if (contype != 0) {
            con = d.tx.newOid();
            insertConstraint(con, name, table.namespace(), contype, table.oid(), keys, idx, parentCon);
        }
        if (parentIndex != 0) {
            d.store.insert(SysTable.PG_INHERITS, new Object[] {idx, parentIndex, 1, false}, d.tx);
            setIndexPartition(idx, true);
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
        if (table.kind() == 'p') {
            for (int c : d.reloadView().inheritance().children(table.oid())) {
                Relation child = d.reload(c);
                if (child != null) {
                    cloneOne(table, keys, unique, primary, nullsNotDistinct, contype, idx, con, child);
                }
            }
        }
        return idx;
    }

    /** Every index of {@code parent} gets its counterpart on the new partition {@code child}. */
    void cloneInto(Relation parent, Relation child) {
        CatalogView v = d.reloadView();
        Relation p = v.relation(parent.oid());
        for (Relation.Index idx : p.indexes()) {
            Relation.Constraint con = constraintOf(p, idx.oid());
            cloneOne(p, idx.keys(), idx.unique(), idx.primary(), idx.nullsNotDistinct(),
                    con == null ? 0 : con.type(), idx.oid(), con == null ? 0 : con.oid(), d.reload(child.oid()));
        }
    }

    private void cloneOne(Relation parent, int[] parentKeys, boolean unique, boolean primary, boolean nnd,
            char contype, int parentIdx, int parentCon, Relation child) {
        List<String> names = new ArrayList<>();
        int[] keys = new int[parentKeys.length];
        for (int i = 0; i < parentKeys.length; i++) {
            if (parentKeys[i] <= 0) {
                return; // expression keys: not cloned here
            }
            String n = parent.columns().get(parentKeys[i] - 1).name();
            names.add(n);
            Relation.Column c = child.column(n);
            if (c == null) {
                return;
            }
            keys[i] = c.attnum();
        }
        CatalogView v = d.reloadView();
        // an equivalent index the partition already has is attached instead of building another
        for (Relation.Index have : child.indexes()) {
            Relation.Constraint hc = constraintOf(child, have.oid());
            if (java.util.Arrays.equals(have.keys(), keys) && have.unique() == unique
                    && have.primary() == primary && (hc == null) == (contype == 0)
                    && parentIndexOf(v, have.oid()) == 0) {
                d.store.insert(SysTable.PG_INHERITS, new Object[] {have.oid(), parentIdx, 1, false}, d.tx);
                setIndexPartition(have.oid(), true);
                if (hc != null) {
                    setConstraintParent(hc.oid(), parentCon);
                }
                d.tx.catalogChanged();
                d.tx.commandCounterIncrement();
                return;
            }
        }
        if (primary) {
            for (Relation.Constraint k : child.constraints()) {
                if (k.type() == 'p') {
                    throw new PgException("42P16", "multiple primary keys for table \"" + child.name()
                            + "\" are not allowed");
                }
            }
            for (int k : keys) {
                d.setNotNull(child, child.columns().get(k - 1).name(), true);
            }
            d.tx.commandCounterIncrement();
            child = d.reload(child.oid());
        }
        String suffix = primary ? "pkey" : contype != 0 ? String.join("_", names) + "_key"
                : String.join("_", names) + "_idx";
        String name = d.uniqueName(child.namespace(), child.name() + "_" + suffix, new ArrayList<>());
        create(child, name, keys, unique, primary, nnd, contype, parentIdx, parentCon);
    }

    /** ALTER TABLE ... DETACH PARTITION: the partition's indexes lose their parents, its constraints become local. */
    void detach(Relation parent, Relation child) {
        CatalogView v = d.reloadView();
        java.util.Set<Integer> parentIdx = new java.util.HashSet<>();
        for (Relation.Index i : parent.indexes()) {
            parentIdx.add(i.oid());
        }
        SysTable inh = SysTable.PG_INHERITS;
        for (Relation.Index i : child.indexes()) {
            for (CatalogStore.Row r : v.rowsWhere(inh, "inhrelid", i.oid())) {
                if (parentIdx.contains((Integer) r.get(inh, "inhparent"))) {
                    d.store.delete(inh, r.tid(), d.tx);
                    setIndexPartition(i.oid(), false);
                    Relation.Constraint k = constraintOf(child, i.oid());
                    if (k != null) {
                        setConstraintParent(k.oid(), 0);
                    }
                }
            }
        }
        // foreign keys: the partition's own clones become its keys; clones referencing it from elsewhere go
        SysTable con = SysTable.PG_CONSTRAINT;
        for (Relation.Constraint k : child.constraints()) {
            if (k.type() == 'f' && k.parent() != 0) {
                setConstraintParent(k.oid(), 0);
            }
        }
        for (CatalogStore.Row r : v.rowsWhere(con, "confrelid", child.oid())) {
            if ((Integer) r.get(con, "conparentid") != 0 && (Integer) r.get(con, "conrelid") != child.oid()) {
                d.store.delete(con, r.tid(), d.tx);
            }
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
    }

    /**
     * A constraint was dropped: the rows cloned from it for partitions (conparentid, every level) go too, with the
     * partitions' indexes of a primary key or unique constraint.
     */
    static void dropInherited(DdlExecutor d, int conOid) {
        CatalogView v = d.reloadView();
        SysTable k = SysTable.PG_CONSTRAINT;
        List<Integer> todo = new ArrayList<>(List.of(conOid));
        while (!todo.isEmpty()) {
            int parent = todo.remove(0);
            for (CatalogStore.Row r : v.rowsWhere(k, "conparentid", parent)) {
                int oid = (Integer) r.get(k, "oid");
                d.store.delete(k, r.tid(), d.tx);
                todo.add(oid);
                String type = (String) r.get(k, "contype");
                int idx = (Integer) r.get(k, "conindid");
                if (("p".equals(type) || "u".equals(type)) && idx != 0 && v.relation(idx) != null) {
                    d.deleteIndexOnly(idx, v.relation(idx).node());
                }
            }
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
    }

    /** 0A000 when a unique index of a partitioned table lacks a partition key column (or the key has expressions). */
    private void requirePartitionKey(Relation table, int[] keys, boolean primary, boolean constraint) {
        Inheritance.PartitionKey pk = d.reloadView().inheritance().partitionKey(table.oid());
        if (pk == null) {
            return;
        }
        String what = primary ? "PRIMARY KEY" : "UNIQUE";
        for (int a : pk.attnums()) {
            if (a == 0) {
                throw new PgException("0A000", "unsupported " + what + " constraint with partition key definition",
                        what + " constraints cannot be used when partition keys include expressions.", null);
            }
            boolean found = false;
            for (int k : keys) {
                found |= k == a;
            }
            if (!found) {
                throw new PgException("0A000", "unique constraint on partitioned table must include all "
                        + "partitioning columns", what + " constraint on table \"" + table.name() + "\" lacks column \""
                        + table.columns().get(a - 1).name() + "\" which is part of the partition key.", null);
            }
        }
    }

    /** The partition key check before a partitioned table's pg_partitioned_table row exists (CREATE TABLE). */
    static void requirePartitionKey(String table, List<DdlExecutor.Col> cols, int[] partKey, int[] keys,
            boolean primary) {
        String what = primary ? "PRIMARY KEY" : "UNIQUE";
        for (int a : partKey) {
            if (a == 0) {
                throw new PgException("0A000", "unsupported " + what + " constraint with partition key definition",
                        what + " constraints cannot be used when partition keys include expressions.", null);
            }
            boolean found = false;
            for (int k : keys) {
                found |= k == a;
            }
            if (!found) {
                throw new PgException("0A000", "unique constraint on partitioned table must include all "
                        + "partitioning columns", what + " constraint on table \"" + table + "\" lacks column \""
                        + cols.get(a - 1).name + "\" which is part of the partition key.", null);
            }
        }
    }

    /** The index an index is attached to (pg_inherits), or 0. */
    static int parentIndexOf(CatalogView v, int indexOid) {
        List<Integer> ps = v.inheritance().parents(indexOid);
        return ps.isEmpty() ? 0 : ps.get(0);
    }

    /** The indexes attached to {@code indexOid}, their descendants included. */
    static List<Integer> descendantIndexes(CatalogView v, int indexOid) {
        return v.inheritance().descendants(indexOid);
    }

    /** The primary key or unique constraint implemented by index {@code idx} of {@code rel}, or null. */
    static Relation.Constraint constraintOf(Relation rel, int idx) {
        for (Relation.Constraint k : rel.constraints()) {
            if ((k.type() == 'p' || k.type() == 'u') && k.index() == idx) {
                return k;
            }
        }
        return null;
    }

    private void insertConstraint(int oid, String name, int nsp, char type, int rel, int[] keys, int index,
            int parentCon) {
        d.store.insert(SysTable.PG_CONSTRAINT, new Object[] {oid, name, nsp, String.valueOf(type), false, false, true,
                rel, 0, index, parentCon, 0, " ", " ", " ", parentCon == 0, parentCon == 0 ? 0 : 1, false,
                CatalogView.formatInts(keys), null, null}, d.tx);
    }

    /** pg_class.relispartition of an index: set while it is attached to a partitioned index. */
    private void setIndexPartition(int indexOid, boolean attached) {
        SysTable c = SysTable.PG_CLASS;
        for (CatalogStore.Row r : d.store.scan(c, d.tx.snapshot())) {
            if ((Integer) r.get(c, "oid") == indexOid) {
                Object[] nv = r.values().clone();
                nv[c.column("relispartition")] = attached;
                d.store.update(c, r.tid(), nv, d.tx);
            }
        }
    }

    private void setConstraintParent(int conOid, int parentCon) {
        SysTable k = SysTable.PG_CONSTRAINT;
        for (CatalogStore.Row r : d.store.scan(k, d.tx.snapshot())) {
            if ((Integer) r.get(k, "oid") == conOid) {
                Object[] nv = r.values().clone();
                nv[k.column("conparentid")] = parentCon;
                nv[k.column("conislocal")] = parentCon == 0;
                nv[k.column("coninhcount")] = parentCon == 0 ? 0 : 1;
                d.store.update(k, r.tid(), nv, d.tx);
            }
        }
    }
}
