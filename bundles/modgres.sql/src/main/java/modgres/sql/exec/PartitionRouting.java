package modgres.sql.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import modgres.api.error.PgException;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Relation;

/*
 * Design notes: tuple routing and partition constraints (PostgreSQL's
 * execPartition.c ExecFindPartition and ExecPartitionCheck).
 *
 * Routing: an INSERT (or COPY, or an UPDATE moving a row) into a
 * partitioned table hands each row, in the partitioned table's column
 * layout, to route(): the key is read, the partition whose bound takes it is
 * found level by level (sub-partitions), the row is rearranged into each
 * level's layout, and the leaf's writer (a ModifyTable without input, with
 * the leaf's CHECK constraints and indexes) inserts it. No partition:
 * 23514 "no partition of relation "p" found for row" with the key in the
 * DETAIL, naming the level where the search failed.
 *
 * Partition constraint: a row written straight into a partition (INSERT
 * INTO p1, UPDATE of p1) must satisfy its bound and its ancestors' bounds;
 * a default partition's bound is "no sibling takes the key". Violations are
 * 23514 "new row for relation "p1" violates partition constraint" with the
 * failing row, unless the UPDATE came through the partitioned table: then
 * the row moves (deleted here, routed from the root).
 *
 * Writers are built at plan time for every leaf (the partition tree is the
 * statement's catalog snapshot), so checks are compiled once per statement.
 */
/** Routes rows into partitions and checks partition constraints; see the design notes. */
final class PartitionRouting {
    final PartitionBounds.Tree root;
    private final TypeSupport ts;
    private final Map<Integer, ModifyTable> writers = new HashMap<>();
    private final Map<Integer, PartitionBounds.Layout> toRoot = new HashMap<>();

    /** The routing root's own partition constraint when it is a partition itself (row movement stays inside). */
    final Constraint rootConstraint;

    PartitionRouting(Planner planner, Relation rel) {
        this.ts = planner.ts;
        this.root = PartitionBounds.tree(planner, rel);
        this.rootConstraint = Constraint.of(planner, rel);
        for (PartitionBounds.Part leaf : root.leaves()) {
            ModifyTable w = ModifyTable.writer(leaf.rel, planner.checks(leaf.rel, leaf.rel.name()));
            writers.put(leaf.rel.oid(), w);
            toRoot.put(leaf.rel.oid(), new PartitionBounds.Layout(leaf.rel, rel));
        }
    }

    /** Inserts a row given in the root's layout into its leaf partition; returns it in the root's layout. */
    Object[] insert(ExecState ex, Object[] rootRow) {
        PartitionBounds.Tree t = root;
        Object[] row = rootRow;
        while (true) {
            Object[] k = t.keyOf(row);
            PartitionBounds.Part p = t.find(k, ts);
            if (p == null) {
                throw new PgException("23514", "no partition of relation \"" + t.rel.name() + "\" found for row",
                        t.keyDetail(k, ts), null);
            }
            row = p.fromParent.apply(row);
            if (p.sub == null) {
                ModifyTable w = writers.get(p.rel.oid());
                Object[] stored = w.insertRouted(ex, row);
                return toRoot.get(p.rel.oid()).apply(stored);
            }
            t = p.sub;
        }
    }

    /**
     * A row moving out of its partition must stay inside the routing root: 23514 naming the root (its failing
     * row in the root's layout) when it would leave it.
     */
    void checkInsideRoot(ExecState ex, Object[] rootRow) {
        if (rootConstraint == null || rootConstraint.test(rootRow)) {
            return;
        }
        StringBuilder b = new StringBuilder("Failing row contains (");
        boolean first = true;
        for (Relation.Column c : root.rel.columns()) {
            if (c.dropped()) {
                continue;
            }
            Object v = rootRow[c.attnum() - 1];
            b.append(first ? "" : ", ").append(v == null ? "null" : ex.types.output(c.type(), v));
            first = false;
        }
        throw new PgException("23514", "new row for relation \"" + root.rel.name()
                + "\" violates partition constraint", b.append(").").toString(), null);
    }

    /** The relations rows may be routed to (for locks). */
    List<Relation> leaves() {
        List<Relation> out = new ArrayList<>();
        for (PartitionBounds.Part p : root.leaves()) {
            out.add(p.rel);
        }
        return out;
    }

    /** A partition's constraint: its bound in each ancestor's key, checked on rows of the partition. */
    static final class Constraint {
        private record Level(PartitionBounds.Tree tree, PartitionBounds.Part part, PartitionBounds.Layout layout) {
        }

        private final List<Level> levels = new ArrayList<>();
        private final TypeSupport ts;

        private Constraint(TypeSupport ts) {
            this.ts = ts;
        }

        /** The constraint of {@code rel} when it is a partition, else null. */
        static Constraint of(Planner planner, Relation rel) {
            CatalogView cat = planner.cat;
            Constraint c = new Constraint(planner.ts);
            Relation cur = rel;
            while (true) {
                int parent = cat.inheritance().partitionParent(cur.oid());
                if (parent == 0) {
                    break;
                }
                Relation p = cat.relation(parent);
                PartitionBounds.Tree t = PartitionBounds.tree(planner, p);
                if (p == null || t == null) {
                    break;
                }
                PartitionBounds.Part part = null;
                for (PartitionBounds.Part x : t.all()) {
                    if (x.rel.oid() == cur.oid()) {
                        part = x;
                    }
                }
                if (part == null) {
                    break;
                }
                c.levels.add(new Level(t, part, new PartitionBounds.Layout(rel, p)));
                cur = p;
            }
            return c.levels.isEmpty() ? null : c;
        }

        /** Whether a row of the partition (its layout) satisfies the constraint. */
        boolean test(Object[] row) {
            for (Level l : levels) {
                Object[] k = l.tree().keyOf(l.layout().apply(row));
                PartitionBounds.Part found = l.tree().find(k, ts);
                if (found != l.part()) {
                    return false;
                }
            }
            return true;
        }
    }
}
