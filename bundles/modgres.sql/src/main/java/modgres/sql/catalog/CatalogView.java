package modgres.sql.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import modgres.api.buffer.RelFileNode;
import modgres.api.txn.Snapshot;

/**
 * One database's catalog as one snapshot sees it: the namespaces and
 * relations built from the catalog heaps (PostgreSQL's syscache and relcache
 * rolled into one immutable object). Sessions keep a view until the catalog
 * changes (see {@link CatalogCache}).
 */
public final class CatalogView {
    private final Map<Integer, Namespace> namespacesByOid = new HashMap<>();
    private final Map<String, Namespace> namespacesByName = new HashMap<>();
    private final Map<Integer, Relation> relations = new HashMap<>();
    private final Map<String, Relation> relationsByName = new HashMap<>();
    /** The catalog rows behind this view, by catalog, for DDL that changes or deletes them. */
    private final Map<SysTable, List<CatalogStore.Row>> rows = new HashMap<>();
    /** Inheritance and partitioning links (pg_inherits, pg_partitioned_table, relpartbound). */
    private Inheritance inheritance;
    /** The composite and enum types (pg_type, pg_enum), defined in the type registry as the view loads. */
    private UserTypeRows userTypes;

    private CatalogView() {
    }

    private static String key(int nsp, String name) {
        return nsp + "." + name;
    }

    public static CatalogView load(CatalogStore store, Snapshot snapshot) {
        CatalogView v = new CatalogView();
        for (SysTable t : SysTable.ALL) {
            List<CatalogStore.Row> rows;
            try {
                rows = store.scan(t, snapshot);
            } catch (RuntimeException e) {
                if (!SysTable.optional(t)) {
                    throw e;
                }
                rows = List.of(); // a database bootstrapped before this catalog existed: no views, no dependencies
            }
            v.rows.put(t, rows);
        }
        SysTable n = SysTable.PG_NAMESPACE;
        for (CatalogStore.Row r : v.rows.get(n)) {
            Namespace ns = new Namespace((Integer) r.get(n, "oid"), (String) r.get(n, "nspname"),
                    (Integer) r.get(n, "nspowner"));
            v.namespacesByOid.put(ns.oid(), ns);
            v.namespacesByName.put(ns.name(), ns);
        }
        Map<Integer, List<Relation.Column>> cols = new HashMap<>();
        Map<Long, String> defaults = new HashMap<>();
        SysTable d = SysTable.PG_ATTRDEF;
        for (CatalogStore.Row r : v.rows.get(d)) {
            defaults.put(((long) (Integer) r.get(d, "adrelid") << 16) | ((Short) r.get(d, "adnum")),
                    (String) r.get(d, "adbin"));
        }
        SysTable a = SysTable.PG_ATTRIBUTE;
        for (CatalogStore.Row r : v.rows.get(a)) {
            int rel = (Integer) r.get(a, "attrelid");
            short num = (Short) r.get(a, "attnum");
            if (num <= 0) {
                continue;
            }
            cols.computeIfAbsent(rel, k -> new ArrayList<>()).add(new Relation.Column(num,
                    (String) r.get(a, "attname"), (Integer) r.get(a, "atttypid"), (Integer) r.get(a, "atttypmod"),
                    (Boolean) r.get(a, "attnotnull"), defaults.get(((long) rel << 16) | num),
                    (String) r.get(a, "attidentity"), (String) r.get(a, "attgenerated"),
                    (Boolean) r.get(a, "attisdropped"), charOf(r.get(a, "attstorage"))));
        }
        SysTable c = SysTable.PG_CLASS;
        Map<Integer, Object[]> classRows = new HashMap<>();
        for (CatalogStore.Row r : v.rows.get(c)) {
            classRows.put((Integer) r.get(c, "oid"), r.values());
        }
        Map<Integer, List<Relation.Index>> indexes = new HashMap<>();
        SysTable i = SysTable.PG_INDEX;
        for (CatalogStore.Row r : v.rows.get(i)) {
            int idx = (Integer) r.get(i, "indexrelid");
            Object[] cr = classRows.get(idx);
            if (cr == null) {
                continue;
            }
            indexes.computeIfAbsent((Integer) r.get(i, "indrelid"), k -> new ArrayList<>()).add(new Relation.Index(
                    idx, (String) cr[c.column("relname")], v.node(store, cr), parseInts((String) r.get(i, "indkey")),
                    (Boolean) r.get(i, "indisunique"), (Boolean) r.get(i, "indisprimary"),
                    (Boolean) r.get(i, "indnullsnotdistinct"), (String) cr[c.column("reloptions")],
                    r.get(i, "indexprs") == null ? List.of()
                            : List.of(((String) r.get(i, "indexprs")).split("\n")),
                    (String) r.get(i, "indpred"), r.get(i, "indoption") == null ? new int[0]
                            : parseInts((String) r.get(i, "indoption"))));
        }
        Map<Integer, List<Relation.Constraint>> constraints = new HashMap<>();
        SysTable k = SysTable.PG_CONSTRAINT;
        for (CatalogStore.Row r : v.rows.get(k)) {
            constraints.computeIfAbsent((Integer) r.get(k, "conrelid"), x -> new ArrayList<>())
                    .add(new Relation.Constraint((Integer) r.get(k, "oid"), (String) r.get(k, "conname"),
                            ((String) r.get(k, "contype")).charAt(0), parseInts((String) r.get(k, "conkey")),
                            (Integer) r.get(k, "conindid"), (String) r.get(k, "conbin"),
                            (Integer) r.get(k, "confrelid"), parseInts((String) r.get(k, "confkey")),
                            charOf(r.get(k, "confupdtype")), charOf(r.get(k, "confdeltype")),
                            charOf(r.get(k, "confmatchtype")), (Boolean) r.get(k, "condeferrable"),
                            (Boolean) r.get(k, "condeferred"), (Boolean) r.get(k, "convalidated"),
                            r.get(k, "conparentid") == null ? 0 : (Integer) r.get(k, "conparentid")));
        }
        for (Object[] cr : classRows.values()) {
            int oid = (Integer) cr[c.column("oid")];
            List<Relation.Column> cl = cols.getOrDefault(oid, new ArrayList<>());
            cl.sort(Comparator.comparingInt(Relation.Column::attnum));
            List<Relation.Index> il = indexes.getOrDefault(oid, List.of());
            List<Relation.Constraint> kl = constraints.getOrDefault(oid, List.of());
            Relation rel = new Relation(oid, (String) cr[c.column("relname")], (Integer) cr[c.column("relnamespace")],
                    ((String) cr[c.column("relkind")]).charAt(0), v.node(store, cr), (Integer) cr[c.column("relowner")],
                    List.copyOf(cl), List.copyOf(il), List.copyOf(kl), (String) cr[c.column("reloptions")],
                    (Boolean) cr[c.column("relisshared")], v.toast(store, classRows, indexes,
                            (Integer) cr[c.column("reltoastrelid")]));
            v.relations.put(oid, rel);
            v.relationsByName.put(key(rel.namespace(), rel.name()), rel);
        }
        v.inheritance = Inheritance.load(v.rows.get(SysTable.PG_INHERITS), v.rows.get(SysTable.PG_PARTITIONED_TABLE),
                v.rows.get(c));
        v.userTypes = UserTypeRows.load(v);
        return v;
    }

    /** The TOAST table {@code toastOid} (pg_class.reltoastrelid) with its index, or null for none. */
    private Relation.Toast toast(CatalogStore store, Map<Integer, Object[]> classRows,
            Map<Integer, List<Relation.Index>> indexes, Integer toastOid) {
        if (toastOid == null || toastOid == 0) {
            return null;
        }
        Object[] tr = classRows.get(toastOid);
        List<Relation.Index> ti = indexes.get(toastOid);
        if (tr == null || ti == null || ti.isEmpty()) {
            return null;
        }
        return new Relation.Toast(toastOid, node(store, tr), ti.get(0).oid(), ti.get(0).node());
    }

    private static char charOf(Object o) {
        String s = (String) o;
        return s == null || s.isEmpty() ? ' ' : s.charAt(0);
    }

    /**
     * Where a relation's files are: a temporary one ({@code relpersistence = 't'})
     * carries its owner, the {@code N} of its {@code pg_temp_N} schema (PostgreSQL's
     * rd_backend), which sends its pages to that backend's local buffers.
     */
    private RelFileNode node(CatalogStore store, Object[] cr) {
        SysTable c = SysTable.PG_CLASS;
        int spc = (Integer) cr[c.column("reltablespace")];
        boolean shared = (Boolean) cr[c.column("relisshared")];
        int backend = RelFileNode.INVALID_BACKEND;
        if ("t".equals(cr[c.column("relpersistence")])) {
            Namespace ns = namespacesByOid.get((Integer) cr[c.column("relnamespace")]);
            backend = ns == null ? RelFileNode.INVALID_BACKEND : tempBackend(ns.name());
        }
        return new RelFileNode(spc == 0 ? CatalogStore.DEFAULT_TABLESPACE : spc, shared ? 0 : store.database(),
                (Integer) cr[c.column("relfilenode")], backend);
    }

    /** The {@code N} of a {@code pg_temp_N} schema name, or {@link RelFileNode#INVALID_BACKEND}. */
    public static int tempBackend(String schema) {
        if (schema.startsWith(TEMP_SCHEMA_PREFIX)) {
            try {
                return Integer.parseInt(schema.substring(TEMP_SCHEMA_PREFIX.length()));
            } catch (NumberFormatException e) {
                return RelFileNode.INVALID_BACKEND;
            }
        }
        return RelFileNode.INVALID_BACKEND;
    }

    /** Temporary schemas are {@code pg_temp_N}, N the owning backend. */
    public static final String TEMP_SCHEMA_PREFIX = "pg_temp_";

    /** Parses an int2vector's text form ("1 3"). */
    public static int[] parseInts(String s) {
        if (s == null || s.isBlank()) {
            return new int[0];
        }
        String[] p = s.trim().split("\\s+");
        int[] r = new int[p.length];
        for (int x = 0; x < p.length; x++) {
            r[x] = Integer.parseInt(p[x]);
        }
        return r;
    }

    public static String formatInts(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int x : v) {
            b.append(b.isEmpty() ? "" : " ").append(x);
        }
        return b.toString();
    }

    public Namespace namespace(String name) {
        return namespacesByName.get(name);
    }

    public Namespace namespace(int oid) {
        return namespacesByOid.get(oid);
    }

    public Collection<Namespace> namespaces() {
        return namespacesByOid.values();
    }

    public Relation relation(int oid) {
        return relations.get(oid);
    }

    public Relation relation(int namespace, String name) {
        return relationsByName.get(key(namespace, name));
    }

    /** The user-defined composite and enum types of this snapshot. */
    public UserTypeRows userTypes() {
        return userTypes;
    }

    /** Inheritance and partitioning links of this snapshot. */
    public Inheritance inheritance() {
        return inheritance;
    }

    public Collection<Relation> relations() {
        return relations.values();
    }

    public List<CatalogStore.Row> rows(SysTable t) {
        return rows.get(t);
    }

    /** The catalog row of {@code t} whose column {@code col} is {@code value}, or null. */
    /**
     * Values derived from this snapshot's rows, computed once per view and key (the planner's parsed column
     * statistics, per table): the view is immutable and shared by the statements planned while it is current.
     */
    private final java.util.concurrent.ConcurrentHashMap<Object, Object> derived =
            new java.util.concurrent.ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public <T> T derived(Object key, java.util.function.Function<Object, T> compute) {
        return (T) derived.computeIfAbsent(key, compute);
    }

    private Map<Integer, CatalogStore.Row> classRowsByOid;

    /** The pg_class row of a relation by OID (a map built on first use: the planner asks per relation). */
    public CatalogStore.Row classRow(int oid) {
        if (classRowsByOid == null) {
            Map<Integer, CatalogStore.Row> m = new HashMap<>();
            int i = SysTable.PG_CLASS.column("oid");
            for (CatalogStore.Row r : rows.get(SysTable.PG_CLASS)) {
                m.put(((Number) r.values()[i]).intValue(), r);
            }
            classRowsByOid = m;
        }
        return classRowsByOid.get(oid);
    }

    public CatalogStore.Row row(SysTable t, String col, Object value) {
        int i = t.column(col);
        for (CatalogStore.Row r : rows.get(t)) {
            if (value.equals(r.values()[i])) {
                return r;
            }
        }
        return null;
    }

    /** Every catalog row of {@code t} whose column {@code col} is {@code value}. */
    public List<CatalogStore.Row> rowsWhere(SysTable t, String col, Object value) {
        int i = t.column(col);
        List<CatalogStore.Row> out = new ArrayList<>();
        for (CatalogStore.Row r : rows.get(t)) {
            if (value.equals(r.values()[i])) {
                out.add(r);
            }
        }
        return out;
    }
}
