package modgres.sql.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * Design notes: table inheritance and partitioning as one catalog snapshot
 * sees them (PostgreSQL's pg_inherits, pg_partitioned_table and
 * pg_class.relpartbound, read into maps).
 *
 *   parent ──pg_inherits(inhrelid = child, inhparent = parent, inhseqno)──▶ child
 *
 * A partitioned table (relkind 'p') has one pg_partitioned_table row (the
 * strategy and the key columns' attnums) and its partitions are its
 * pg_inherits children with relispartition set and a relpartbound. A
 * partition may itself be partitioned (sub-partitioning): the tree is walked
 * through children() until leaves (relkind 'r').
 *
 * Key expressions (attnum 0 in partattrs) are kept in partexprs as their SQL
 * text, one per line, where PostgreSQL keeps node trees.
 *
 * relpartbound holds the bound as PostgreSQL's pg_get_expr prints it
 * ("FOR VALUES FROM (1) TO (10)", "FOR VALUES IN ('a', NULL)",
 * "FOR VALUES WITH (modulus 4, remainder 1)", "DEFAULT"), where PostgreSQL
 * keeps a node tree; exec.PartitionBounds parses it back into typed values.
 *
 * Invariants: a child's parents are in inhseqno order (the INHERITS list);
 * children of a parent in OID order (creation order), as find_inheritance_children
 * returns them. Immutable once loaded.
 */
/** Inheritance and partitioning links of one catalog snapshot; see the design notes. */
public final class Inheritance {
    /**
     * A partitioned table's key: strategy 'r' (range), 'l' (list) or 'h' (hash), the key's attnums, and per key
     * column the user-defined operator class it names (pg_partitioned_table.partclass; 0: the type's default).
     */
    public record PartitionKey(char strategy, int[] attnums, int defaultPartition, List<String> exprs,
            int[] classes) {
        public PartitionKey(char strategy, int[] attnums, int defaultPartition, List<String> exprs) {
            this(strategy, attnums, defaultPartition, exprs, new int[attnums.length]);
        }

        public String strategyName() {
            return strategy == 'r' ? "RANGE" : strategy == 'l' ? "LIST" : "HASH";
        }
    }

    private final Map<Integer, List<Integer>> children = new HashMap<>();
    private final Map<Integer, List<int[]>> parentsBySeq = new HashMap<>();
    private final Map<Integer, PartitionKey> keys = new HashMap<>();
    private final Map<Integer, String> bounds = new HashMap<>();

    static Inheritance load(List<CatalogStore.Row> inherits, List<CatalogStore.Row> partitioned,
            List<CatalogStore.Row> classes) {
        Inheritance h = new Inheritance();
        SysTable i = SysTable.PG_INHERITS;
        for (CatalogStore.Row r : inherits) {
            int child = (Integer) r.get(i, "inhrelid");
            int parent = (Integer) r.get(i, "inhparent");
            h.children.computeIfAbsent(parent, k -> new ArrayList<>()).add(child);
            h.parentsBySeq.computeIfAbsent(child, k -> new ArrayList<>())
                    .add(new int[] {parent, (Integer) r.get(i, "inhseqno")});
        }
        for (List<Integer> l : h.children.values()) {
            l.sort(Integer::compareUnsigned);
        }
        for (List<int[]> l : h.parentsBySeq.values()) {
            l.sort((a, b) -> Integer.compare(a[1], b[1]));
        }
        SysTable p = SysTable.PG_PARTITIONED_TABLE;
        for (CatalogStore.Row r : partitioned) {
            String exprs = (String) r.get(p, "partexprs");
            h.keys.put((Integer) r.get(p, "partrelid"), new PartitionKey(((String) r.get(p, "partstrat")).charAt(0),
                    CatalogView.parseInts((String) r.get(p, "partattrs")), (Integer) r.get(p, "partdefid"),
                    exprs == null ? List.of() : List.of(exprs.split("\n")),
                    classes((String) r.get(p, "partclass"), CatalogView.parseInts((String) r.get(p, "partattrs")).length)));
        }
        SysTable c = SysTable.PG_CLASS;
        int boundCol = c.column("relpartbound");
        int partCol = c.column("relispartition");
        for (CatalogStore.Row r : classes) {
            Object[] v = r.values();
            if (v.length > boundCol && v[boundCol] != null && Boolean.TRUE.equals(v[partCol])) {
                h.bounds.put((Integer) v[c.column("oid")], (String) v[boundCol]);
            }
        }
        return h;
    }

    /** partclass: "" (every column its type's default) or one OID per key column, space-separated. */
    private static int[] classes(String partclass, int n) {
        int[] out = new int[n];
        if (partclass != null && !partclass.isBlank()) {
            String[] p = partclass.trim().split("\\s+");
            for (int i = 0; i < Math.min(n, p.length); i++) {
                out[i] = Integer.parseInt(p[i]);
            }
        }
        return out;
    }

    /** The direct children of {@code oid} (empty when none). */
    public List<Integer> children(int oid) {
        return children.getOrDefault(oid, List.of());
    }

    /** The direct parents of {@code oid} in INHERITS order (empty when none). */
    public List<Integer> parents(int oid) {
        List<int[]> l = parentsBySeq.get(oid);
        if (l == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (int[] x : l) {
            out.add(x[0]);
        }
        return out;
    }

    /** Every descendant of {@code oid} (children before grandchildren, each once). */
    public List<Integer> descendants(int oid) {
        List<Integer> out = new ArrayList<>();
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(children(oid));
        while (!todo.isEmpty()) {
            int c = todo.poll();
            if (!out.contains(c)) {
                out.add(c);
                todo.addAll(children(c));
            }
        }
        return out;
    }

    /** The partition key of a partitioned table, or null. */
    public PartitionKey partitionKey(int oid) {
        return keys.get(oid);
    }

    /** pg_get_partkeydef: "RANGE (a, (b + 0))" for a partitioned table, null for any other relation. */
    public String partitionKeyDef(Relation rel) {
        PartitionKey k = rel == null ? null : keys.get(rel.oid());
        if (k == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(k.strategyName()).append(" (");
        int expr = 0;
        for (int i = 0; i < k.attnums().length; i++) {
            b.append(i == 0 ? "" : ", ");
            if (k.attnums()[i] == 0) {
                String sql = k.exprs().get(expr++);
                b.append(sql.matches("[A-Za-z_][A-Za-z0-9_.]*\\(.*\\)") ? sql : "(" + sql + ")");
            } else {
                b.append(rel.columns().get(k.attnums()[i] - 1).name());
            }
        }
        return b.append(")").toString();
    }

    /** pg_partition_root: the topmost partitioned table above a partition ({@code oid} itself when none). */
    public int partitionRoot(int oid) {
        int cur = oid;
        for (int p = partitionParent(cur); p != 0; p = partitionParent(cur)) {
            cur = p;
        }
        return cur;
    }

    /** The bound of a partition as stored in relpartbound, or null when {@code oid} is no partition. */
    public String bound(int oid) {
        return bounds.get(oid);
    }

    /** The partitioned table {@code oid} is a partition of, or 0. */
    public int partitionParent(int oid) {
        if (!bounds.containsKey(oid)) {
            return 0;
        }
        List<Integer> ps = parents(oid);
        return ps.isEmpty() ? 0 : ps.get(0);
    }
}
