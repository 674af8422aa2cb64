package modgres.sql.exec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;

/*
 * Design notes: foreign keys and partitioned tables (PostgreSQL 15's
 * addFkRecurseReferenced / addFkRecurseReferencing, CloneForeignKeyConstraints).
 *
 * Catalog, as PostgreSQL keeps it (what TRUNCATE ... CASCADE, \d and
 * pg_constraint readers see). For a key  c(a) REFERENCES p(a):
 *
 *   K   conrelid c  confrelid p   conparentid 0            (the constraint as written)
 *   referenced side, p partitioned: one row per partition pi of p, every level,
 *       conrelid c  confrelid pi  conparentid (the row of pi's parent)  conindid pi's attached index,
 *       named like PostgreSQL's ChooseConstraintName (c_a_fkey1, c_a_fkey2 ...)
 *   referencing side, c partitioned: one row per partition ci of c, every level,
 *       conrelid ci confrelid p   conparentid (the row of ci's parent), the same name
 *
 * New partitions (CREATE TABLE ... PARTITION OF, ATTACH PARTITION) get the
 * rows their parent's rows imply; DETACH makes the partition's rows local.
 *
 * Enforcement does not walk those rows: it starts from the constraints as
 * written (conparentid 0) and resolves them per leaf table, so every
 * combination (either side partitioned, at any depth) is handled one way:
 *
 *   outgoing (child side) of a leaf or plain table t: every written key of t
 *     or of a partition ancestor of t, its columns mapped to t by name. When
 *     the referenced table is partitioned, the key is looked up in each of its
 *     leaves (the leaves' indexes attached to the referenced unique index): at
 *     most one can hold it, since a unique key of a partitioned table contains
 *     the partition key.
 *   incoming (parent side) of a leaf or plain table t: every written key that
 *     references t or a partition ancestor of t, its referenced columns mapped
 *     to t; when the referencing table is partitioned, one key per leaf of it
 *     (the referencing rows live in the leaves).
 *
 * Invariant: the rows of a partitioned table are in its leaves only, so
 * checks and actions only ever read or write leaves and plain tables.
 */
/** Foreign keys where either side is a partitioned table: catalog clones and per-leaf resolution; see the notes. */
final class PartitionedForeignKeys {
    private PartitionedForeignKeys() {
    }

    // ------------------------------------------------------------------ enforcement (planner)

    /** Whether {@code t} takes part in any foreign key, directly or through a partition ancestor. */
    static boolean involved(CatalogView cat, Relation t) {
        List<Integer> self = selfAndAncestors(cat, t.oid());
        for (int oid : self) {
            Relation r = cat.relation(oid);
            if (r != null && r.constraints().stream().anyMatch(k -> k.type() == 'f')) {
                return true;
            }
        }
        for (Relation other : cat.relations()) {
            for (Relation.Constraint k : other.constraints()) {
                if (k.type() == 'f' && self.contains(k.refRelation())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The keys {@code t} (a leaf or plain table) must satisfy as the referencing side. */
    static List<ForeignKeys.Fk> outgoing(Planner planner, Relation t) {
        CatalogView cat = planner.cat;
        List<ForeignKeys.Fk> out = new ArrayList<>();
        for (int owner : selfAndAncestors(cat, t.oid())) {
            Relation a = cat.relation(owner);
            if (a == null) {
                continue;
            }
            for (Relation.Constraint k : a.constraints()) {
                if (k.type() != 'f' || k.parent() != 0) {
                    continue;
                }
                Relation parent = cat.relation(k.refRelation());
                if (parent == null) {
                    continue;
                }
                Relation.Constraint mine = mapChild(k, a, t);
                if (mine == null) {
                    continue;
                }
                ForeignKeys.Fk fk = new ForeignKeys.Fk(mine, t, parent, planner.ts);
                if (parent.kind() == 'p') {
                    fk.leaves = new ArrayList<>();
                    for (Relation leaf : leaves(cat, parent)) {
                        Relation.Constraint lk = mapParent(cat, mine, parent, leaf);
                        if (lk != null) {
                            fk.leaves.add(new ForeignKeys.Fk(lk, t, leaf, planner.ts));
                        }
                    }
                }
                out.add(fk);
            }
        }
        return out;
    }

    /**
     * The keys referencing {@code t} (a leaf or plain table); the referencing tables an action may write are
     * added to {@code reached}.
     */
    static List<ForeignKeys.Fk> incoming(Planner planner, Relation t, List<Relation> reached) {
        CatalogView cat = planner.cat;
        List<Integer> targets = selfAndAncestors(cat, t.oid());
        List<ForeignKeys.Fk> out = new ArrayList<>();
        for (Relation other : cat.relations()) {
            for (Relation.Constraint k : other.constraints()) {
                if (k.type() != 'f' || k.parent() != 0 || !targets.contains(k.refRelation())) {
                    continue;
                }
                Relation referenced = cat.relation(k.refRelation());
                Relation.Constraint kp = referenced == null ? null : mapParent(cat, k, referenced, t);
                if (kp == null) {
                    continue;
                }
                boolean acts = "cnd".indexOf(k.onDelete()) >= 0 || "cnd".indexOf(k.onUpdate()) >= 0;
                // errors name the row cloned for this partition (other -> t), as PostgreSQL's trigger does
                String cloneName = cloneName(cat, other, t, k.name());
                List<Relation> children = other.kind() == 'p' ? leaves(cat, other) : List.of(other);
                for (Relation c : children) {
                    Relation.Constraint kc = c == other ? kp : mapChild(kp, other, c);
                    if (kc == null) {
                        continue;
                    }
                    kc = withOid(kc, kc.oid(), cloneName, kc.parent());
                    ForeignKeys.Fk fk = new ForeignKeys.Fk(kc, c, t, planner.ts);
                    fk.referencingName = other.name();
                    out.add(fk);
                    if (acts) {
                        reached.add(c);
                    }
                }
            }
        }
        return out;
    }

    /** The name of the key row of {@code referencing} whose referenced table is {@code t} ({@code dflt} if none). */
    private static String cloneName(CatalogView cat, Relation referencing, Relation t, String dflt) {
        for (Relation.Constraint k : referencing.constraints()) {
            if (k.type() == 'f' && k.refRelation() == t.oid()) {
                return k.name();
            }
        }
        return dflt;
    }

    /** {@code k} (a key of {@code from}) with its referencing columns those of {@code to}, same names. */
    private static Relation.Constraint mapChild(Relation.Constraint k, Relation from, Relation to) {
        if (from.oid() == to.oid()) {
            return k;
        }
        int[] keys = mapColumns(k.keys(), from, to);
        return keys == null ? null : new Relation.Constraint(k.oid(), k.name(), k.type(), keys, k.index(), k.expr(),
                k.refRelation(), k.refKeys(), k.onUpdate(), k.onDelete(), k.matchType(), k.deferrable(),
                k.deferred(), k.validated(), k.parent());
    }

    /** {@code k} referencing {@code from} turned into one referencing {@code to} (a partition below it). */
    private static Relation.Constraint mapParent(CatalogView cat, Relation.Constraint k, Relation from,
            Relation to) {
        if (from.oid() == to.oid()) {
            return k;
        }
        int[] refKeys = mapColumns(k.refKeys(), from, to);
        if (refKeys == null) {
            return null;
        }
        return new Relation.Constraint(k.oid(), k.name(), k.type(), k.keys(), attachedIndex(cat, k.index(), to),
                k.expr(), to.oid(), refKeys, k.onUpdate(), k.onDelete(), k.matchType(), k.deferrable(), k.deferred(),
                k.validated(), k.parent());
    }

    /** The index of {@code rel} that is {@code index} or attached to it at some level, or 0. */
    static int attachedIndex(CatalogView cat, int index, Relation rel) {
        List<Integer> below = cat.inheritance().descendants(index);
        for (Relation.Index i : rel.indexes()) {
            if (i.oid() == index || below.contains(i.oid())) {
                return i.oid();
            }
        }
        return 0;
    }

    private static int[] mapColumns(int[] cols, Relation from, Relation to) {
        int[] out = new int[cols.length];
        for (int i = 0; i < cols.length; i++) {
            Relation.Column c = to.column(from.columns().get(cols[i] - 1).name());
            if (c == null) {
                return null;
            }
            out[i] = c.attnum();
        }
        return out;
    }

    /** {@code oid} and its partition ancestors, nearest first. */
    static List<Integer> selfAndAncestors(CatalogView cat, int oid) {
        List<Integer> out = new ArrayList<>();
        for (int cur = oid; cur != 0 && !out.contains(cur); cur = cat.inheritance().partitionParent(cur)) {
            out.add(cur);
        }
        return out;
    }

    /** The leaf partitions (relkind 'r') below a partitioned table. */
    static List<Relation> leaves(CatalogView cat, Relation rel) {
        List<Relation> out = new ArrayList<>();
        for (int c : cat.inheritance().descendants(rel.oid())) {
            Relation r = cat.relation(c);
            if (r != null && r.kind() == 'r' && cat.inheritance().partitionParent(c) != 0) {
                out.add(r);
            }
        }
        return out;
    }

    /** ALTER TABLE ... ADD FOREIGN KEY where a side is partitioned: every leaf's rows checked (23503). */
    static void validate(DdlExecutor d, Relation.Constraint con, Relation child, Relation parent) {
        CatalogView v = d.reloadView();
        List<Relation> children = child.kind() == 'p' ? leaves(v, child) : List.of(child);
        for (Relation c : children) {
            Relation.Constraint kc = mapChild(con, child, c);
            if (kc == null) {
                continue;
            }
            d.tx.lockRelation(c.oid(), modgres.api.txn.LockMode.SHARE_ROW_EXCLUSIVE);
            ForeignKeys.Fk fk = new ForeignKeys.Fk(kc, c, parent, d.ts);
            if (parent.kind() == 'p') {
                fk.leaves = new ArrayList<>();
                for (Relation leaf : leaves(v, parent)) {
                    Relation.Constraint lk = mapParent(v, kc, parent, leaf);
                    if (lk != null) {
                        fk.leaves.add(new ForeignKeys.Fk(lk, c, leaf, d.ts));
                    }
                }
            }
            ForeignKeys.validate(d.ex, fk);
        }
    }

    // ------------------------------------------------------------------ catalog clones (DDL)

    /** After a new key {@code k} of {@code child} referencing {@code parent}: the clone rows below either side. */
    static void cloneNew(DdlExecutor d, Relation child, Relation parent, Relation.Constraint k) {
        CatalogView v = d.reloadView();
        if (parent.kind() == 'p') {
            cloneReferenced(d, v, child, parent, k);
        }
        if (child.kind() == 'p') {
            cloneReferencing(d, v, child, k);
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
    }

    /** Rows conrelid = child, confrelid = each partition of {@code referenced} (every level). */
    private static void cloneReferenced(DdlExecutor d, CatalogView v, Relation child, Relation referenced,
            Relation.Constraint k) {
        for (int c : v.inheritance().children(referenced.oid())) {
            Relation part = v.relation(c);
            if (part == null || v.inheritance().partitionParent(c) != referenced.oid()) {
                continue;
            }
            Relation.Constraint kp = mapParent(v, k, referenced, part);
            if (kp == null) {
                continue;
            }
            int oid = d.tx.newOid();
            String name = chooseName(d, child, kp);
            insert(d, oid, name, child.namespace(), child.oid(), kp, k.oid());
            d.tx.commandCounterIncrement(); // the next name choice sees this one
            Relation.Constraint row = withOid(kp, oid, name, k.oid());
            cloneReferenced(d, v, child, part, row);
        }
    }

    /** Rows conrelid = each partition of {@code child} (every level), the same name and referenced table. */
    private static void cloneReferencing(DdlExecutor d, CatalogView v, Relation child, Relation.Constraint k) {
        for (int c : v.inheritance().children(child.oid())) {
            Relation part = v.relation(c);
            if (part == null || v.inheritance().partitionParent(c) != child.oid()) {
                continue;
            }
            Relation.Constraint kc = mapChild(k, child, part);
            if (kc == null) {
                continue;
            }
            int oid = d.tx.newOid();
            insert(d, oid, k.name(), part.namespace(), part.oid(), kc, k.oid());
            cloneReferencing(d, v, part, withOid(kc, oid, k.name(), k.oid()));
        }
    }

    /** A new partition {@code part} of {@code parent}: the clone rows of the keys on either side of its parent. */
    static void cloneIntoPartition(DdlExecutor d, Relation parent, Relation part) {
        CatalogView v = d.reloadView();
        Relation p = v.relation(parent.oid());
        Relation np = v.relation(part.oid());
        if (p == null || np == null) {
            return;
        }
        Set<Integer> own = new HashSet<>();
        for (Relation.Constraint k : p.constraints()) {
            own.add(k.oid());
        }
        boolean any = false;
        // referencing side: the parent's keys (not its rows for the referenced side's partitions)
        for (Relation.Constraint k : p.constraints()) {
            if (k.type() != 'f' || own.contains(k.parent())) {
                continue;
            }
            Relation.Constraint kc = mapChild(k, p, np);
            if (kc == null || np.constraints().stream().anyMatch(x -> x.parent() == k.oid())) {
                continue;
            }
            int oid = d.tx.newOid();
            insert(d, oid, k.name(), np.namespace(), np.oid(), kc, k.oid());
            cloneReferencing(d, v, np, withOid(kc, oid, k.name(), k.oid()));
            any = true;
        }
        // referenced side: every key (or clone row) referencing the parent gets a row for the new partition
        for (Relation other : v.relations()) {
            for (Relation.Constraint k : other.constraints()) {
                if (k.type() != 'f' || k.refRelation() != p.oid()) {
                    continue;
                }
                Relation.Constraint kp = mapParent(v, k, p, np);
                if (kp == null) {
                    continue;
                }
                int oid = d.tx.newOid();
                String name = chooseName(d, other, kp);
                insert(d, oid, name, other.namespace(), other.oid(), kp, k.oid());
                d.tx.commandCounterIncrement();
                cloneReferenced(d, v, other, np, withOid(kp, oid, name, k.oid()));
                any = true;
            }
        }
        if (any) {
            d.tx.catalogChanged();
            d.tx.commandCounterIncrement();
        }
    }

    private static Relation.Constraint withOid(Relation.Constraint k, int oid, String name, int parent) {
        return new Relation.Constraint(oid, name, k.type(), k.keys(), k.index(), k.expr(), k.refRelation(),
                k.refKeys(), k.onUpdate(), k.onDelete(), k.matchType(), k.deferrable(), k.deferred(), k.validated(),
                parent);
    }

    /** PostgreSQL's ChooseConstraintName(table, columns, "fkey"): the first of t_a_fkey, t_a_fkey1 ... unused. */
    private static String chooseName(DdlExecutor d, Relation child, Relation.Constraint k) {
        StringBuilder cols = new StringBuilder();
        for (int a : k.keys()) {
            cols.append(cols.isEmpty() ? "" : "_").append(child.columns().get(a - 1).name());
        }
        Set<String> used = new HashSet<>();
        SysTable c = SysTable.PG_CONSTRAINT;
        for (var r : d.store.scan(c, d.tx.snapshot())) {
            if ((Integer) r.get(c, "connamespace") == child.namespace()) {
                used.add((String) r.get(c, "conname"));
            }
        }
        String base = child.name() + "_" + cols + "_fkey";
        String name = base;
        for (int i = 1; used.contains(name); i++) {
            name = base + i;
        }
        return name;
    }

    private static void insert(DdlExecutor d, int oid, String name, int nsp, int conrelid, Relation.Constraint k,
            int parent) {
        d.store.insert(SysTable.PG_CONSTRAINT, new Object[] {oid, name, nsp, "f", k.deferrable(), k.deferred(),
                k.validated(), conrelid, 0, k.index(), parent, k.refRelation(), String.valueOf(k.onUpdate()),
                String.valueOf(k.onDelete()), String.valueOf(k.matchType()), false, 1, true,
                CatalogView.formatInts(k.keys()), CatalogView.formatInts(k.refKeys()), null}, d.tx);
    }
}
