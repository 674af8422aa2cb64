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
 *
 * INSERT ... ON CONFLICT: the arbiters the planner inferred are the
 * partitioned table's indexes (relkind 'I'); a row routed to a leaf is
 * checked against the leaf's indexes attached to them (pg_inherits of the
 * indexes), which suffices because a unique key of a partitioned table
 * contains the partition key: equal keys always reach the same leaf. DO
 * UPDATE's SET and WHERE keep working on the partitioned table's layout
 * (the leaf's writer converts rows up and down), and an update that would
 * move the row out of its leaf is refused (0A000), as in PostgreSQL 15.
 */
/** Routes rows into partitions and checks partition constraints; see the design notes. */
final class PartitionRouting {
    final PartitionBounds.Tree root;
    private final TypeSupport ts;
    private final Map<Integer, ModifyTable> writers = new HashMap<>();
    private final Map<Integer, PartitionBounds.Layout> toRoot = new HashMap<>();
    private final Map<Integer, PartitionBounds.Layout> fromRoot = new HashMap<>();
    /** The leaves whose writers have their ON CONFLICT clause (set on first use). */
    private final java.util.Set<Integer> upsertReady = new java.util.HashSet<>();
    private final CatalogView cat;
    /** The calling ModifyTable's foreign-key queue (set as it opens); leaves' checks are queued there. */
    ForeignKeys.Queue queue;
    /** Some leaf's foreign keys (to fire the queue when the root has none of its own), or null. */
    private ForeignKeys anyForeignKeys;

    /**
     * The last row insert() routed needed no conversion between the root's and the leaf's layout. PostgreSQL
     * then keeps such a row in a slot without a tuple header, and a RETURNING that reads xmin or xmax fails
     * ("cannot retrieve a system column in this context"); ModifyTable does the same.
     */
    boolean lastUnconverted;

    /** The routing root's own partition constraint when it is a partition itself (row movement stays inside). */
    final Constraint rootConstraint;

    /** The statement's ExecState.columnVisible, noted by insert / upsert for the errors routing raises. */
    private java.util.function.BiPredicate<Integer, Integer> columnVisible;

    /**
     * Whether the role may see the partition key of {@code t} in an error (PostgreSQL's
     * ExecBuildSlotPartitionKeyDescription): not under row-level security; SELECT on the table, or on every
     * key column when none is an expression.
     */
    private boolean keyVisible(PartitionBounds.Tree t) {
        java.util.function.BiPredicate<Integer, Integer> visible = columnVisible;
        if (visible == null) {
            return true;
        }
        int rel = t.rel.oid();
        if (visible.test(rel, -1)) {
            return false;
        }
        if (visible.test(rel, 0)) {
            return true;
        }
        for (String name : t.keyNames) {
            Relation.Column c = name.startsWith("(") ? null : t.rel.column(name);
            if (c == null || !visible.test(rel, c.attnum())) {
                return false;
            }
        }
        return true;
    }

    /** The leaves' writers (row-level security attaches its WITH CHECKs to them). */
    java.util.Collection<ModifyTable> writers() {
        return writers.values();
    }

    PartitionRouting(Planner planner, Relation rel) {
        this.ts = planner.ts;
        this.root = PartitionBounds.tree(planner, rel);
        this.rootConstraint = Constraint.of(planner, rel);
        this.cat = planner.cat;
        for (PartitionBounds.Part leaf : root.leaves()) {
            ModifyTable w = ModifyTable.writer(leaf.rel, planner.checks(leaf.rel, leaf.rel.name()));
            w.upsertPartition = Constraint.of(planner, leaf.rel);
            w.reportRel = rel;
            w.reportLayout = new PartitionBounds.Layout(leaf.rel, rel);
            w.ri = planner.foreignKeys(leaf.rel);
            if (w.ri != null && anyForeignKeys == null) {
                anyForeignKeys = w.ri;
            }
            writers.put(leaf.rel.oid(), w);
            toRoot.put(leaf.rel.oid(), new PartitionBounds.Layout(leaf.rel, rel));
            fromRoot.put(leaf.rel.oid(), new PartitionBounds.Layout(rel, leaf.rel));
        }
    }

    /**
     * INSERT ... ON CONFLICT of a row in the root's layout, {@code clause} the root's (arbiters: its indexes):
     * the row inserted or updated in the root's layout, or null when nothing was written.
     */
    Object[] upsert(ExecState ex, Object[] rootRow, ModifyTable.OnConflictClause clause) {
        columnVisible = ex.columnVisible;
        Object[][] leafRow = new Object[1][];
        PartitionBounds.Part leaf = leafOf(rootRow, leafRow);
        Object[] row = leafRow[0];
        ModifyTable w = lend(writers.get(leaf.rel.oid()));
        if (upsertReady.add(leaf.rel.oid())) {
            // without a conflict target every unique index of the leaf is an arbiter (as in PostgreSQL)
            List<Relation.Index> arbiters = clause.inferred() ? leafArbiters(leaf.rel, clause.arbiters())
                    : leaf.rel.indexes().stream().filter(Relation.Index::unique).toList();
            w.onConflict = new ModifyTable.OnConflictClause(arbiters,
                    clause.inferred(), clause.doUpdate(), clause.set(), clause.where(), clause.whereText());
            w.upsertToRoot = toRoot.get(leaf.rel.oid());
            w.upsertFromRoot = fromRoot.get(leaf.rel.oid());
        }
        Object[] stored = w.upsertRouted(ex, row, rootRow);
        return stored == null ? null : toRoot.get(leaf.rel.oid()).apply(stored);
    }


    /** Foreign keys of some leaf, or null when no leaf has any (see ModifyTable's queue). */
    ForeignKeys foreignKeys() {
        return anyForeignKeys;
    }

    /** The leaf's writer with the caller's foreign-key queue (when the leaf has keys to check). */
    private ModifyTable lend(ModifyTable w) {
        w.riQueue = w.ri == null || w.ri.none(w.rel.oid()) ? null : queue;
        return w;
    }

    /** The leaf's indexes attached (through every level) to the partitioned table's arbiter indexes. */
    private List<Relation.Index> leafArbiters(Relation leaf, List<Relation.Index> arbiters) {
        List<Relation.Index> out = new ArrayList<>();
        for (Relation.Index a : arbiters) {
            List<Integer> below = cat.inheritance().descendants(a.oid());
            for (Relation.Index li : leaf.indexes()) {
                if (below.contains(li.oid())) {
                    out.add(li);
                }
            }
        }
        return out;
    }

    /** Inserts a row given in the root's layout into its leaf partition; returns it in the root's layout. */
    Object[] insert(ExecState ex, Object[] rootRow) {
        return insert(ex, rootRow, null);
    }

    /**
     * Inserts a row given in the root's layout into its leaf partition, firing the leaf's BEFORE/AFTER INSERT
     * row triggers as members of {@code statement} (null: none); returns the row in the root's layout, or
     * null when a BEFORE trigger skipped it. A row a BEFORE trigger changed must still belong to the leaf
     * (PostgreSQL checks the partition constraint after such triggers): 23514 naming the leaf otherwise.
     */
    Object[] insert(ExecState ex, Object[] rootRow, RowTriggers statement) {
        columnVisible = ex.columnVisible;
        Object[][] leafRow = new Object[1][];
        PartitionBounds.Part leaf = leafOf(rootRow, leafRow);
        Object[] row = leafRow[0];
        ModifyTable w = lend(writers.get(leaf.rel.oid()));
        RowTriggers leafTriggers = statement == null ? null : statement.forMember(leaf.rel, "INSERT");
        if (leafTriggers != null) {
            int leafOid = leaf.rel.oid();
            leafTriggers.partitionCheck(r -> {
                Object[] back = toRoot.get(leafOid).apply(r);
                PartitionBounds.Part again = find(back);
                return again != null && again.rel.oid() == leafOid
                        && (rootConstraint == null || rootConstraint.test(back));
            });
            Object[] changed = leafTriggers.beforeInsert(ex, row.clone());
            if (changed == null) {
                return null;
            }
            if (changed != row) {
                PartitionBounds.Part again = find(toRoot.get(leaf.rel.oid()).apply(changed));
                if (again == null || again.rel.oid() != leaf.rel.oid()
                        || rootConstraint != null && !rootConstraint.test(toRoot.get(leaf.rel.oid()).apply(changed))) {
                    throw w.partitionViolation(ex, changed);
                }
            }
            row = changed;
        }
        Object[] stored = w.insertRouted(ex, row);
        if (leafTriggers != null) {
            leafTriggers.afterRow(ex, null, stored);
        }
        PartitionBounds.Layout up = toRoot.get(leaf.rel.oid());
        lastUnconverted = up.identity;
        return up.apply(stored);
    }

    /**
     * The leaf partition a row in the root's layout routes to, level by level, with the row in the leaf's
     * layout in {@code leafRow[0]}; 23514 naming the level where no partition takes it.
     */
    private PartitionBounds.Part leafOf(Object[] rootRow, Object[][] leafRow) {
        PartitionBounds.Tree t = root;
        Object[] row = rootRow;
        while (true) {
            Object[] k = t.keyOf(row);
            PartitionBounds.Part p = t.find(k, ts);
            if (p == null) {
                throw new PgException("23514", "no partition of relation \"" + t.rel.name() + "\" found for row",
                        keyVisible(t) ? t.keyDetail(k, ts) : null, null);
            }
            row = p.fromParent.apply(row);
            if (p.sub == null) {
                leafRow[0] = row;
                return p;
            }
            t = p.sub;
        }
    }

    /** The leaf partition a row in the root's layout routes to, or null. */
    private PartitionBounds.Part find(Object[] rootRow) {
        try {
            return leafOf(rootRow, new Object[1][]);
        } catch (PgException e) {
            return null;
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
