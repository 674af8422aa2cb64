package modgres.sql.catalog;

import java.util.List;

import modgres.api.access.RelationRef;
import modgres.api.buffer.RelFileNode;

/**
 * A relation as the catalog describes it (PostgreSQL's relcache entry):
 * {@code pg_class} joined with its {@code pg_attribute}, {@code pg_attrdef},
 * {@code pg_index} and {@code pg_constraint} rows. Immutable; a DDL command
 * produces new catalog rows and a new {@link CatalogView} sees them.
 *
 * @param kind {@code pg_class.relkind}: 'r' table, 'i' index, 'S' sequence, 'v' view
 */
public record Relation(int oid, String name, int namespace, char kind, RelFileNode node, int owner,
        List<Column> columns, List<Index> indexes, List<Constraint> constraints, String options, boolean shared,
        Toast toast) {

    /** A relation without a TOAST table. */
    public Relation(int oid, String name, int namespace, char kind, RelFileNode node, int owner,
            List<Column> columns, List<Index> indexes, List<Constraint> constraints, String options, boolean shared) {
        this(oid, name, namespace, kind, node, owner, columns, indexes, constraints, options, shared, null);
    }

    /**
     * The relation's TOAST table {@code pg_toast.pg_toast_<oid>} ({@code pg_class.reltoastrelid}) and its
     * index on (chunk_id, chunk_seq).
     */
    public record Toast(int oid, RelFileNode node, int indexOid, RelFileNode indexNode) {
        public RelationRef ref() {
            return new RelationRef(oid, node, "pg_toast_" + Integer.toUnsignedString(oid));
        }

        public RelationRef indexRef() {
            return new RelationRef(indexOid, indexNode, "pg_toast_" + Integer.toUnsignedString(oid) + "_index");
        }
    }

    /**
     * A column ({@code pg_attribute}), with its default's SQL text from {@code pg_attrdef};
     * {@code storage} is {@code attstorage} ('p', 'e', 'm', 'x').
     */
    public record Column(int attnum, String name, int type, int typmod, boolean notNull, String defaultExpr,
            String identity, String generated, boolean dropped, char storage) {
        public Column(int attnum, String name, int type, int typmod, boolean notNull, String defaultExpr,
                String identity, String generated, boolean dropped) {
            this(attnum, name, type, typmod, notNull, defaultExpr, identity, generated, dropped, 'x');
        }
    }

    /**
     * An index on this relation ({@code pg_index} with the index's {@code pg_class} row). A key of attnum 0 is an
     * expression: the next of {@code exprs} (SQL text over the table's columns, pg_index.indexprs); {@code
     * predicate} is a partial index's WHERE (pg_index.indpred) or null. {@code keyOptions}: per key
     * PostgreSQL's indoption bits (1 DESC, 2 NULLS FIRST), empty when all are ASC NULLS LAST; the entries are
     * kept in ascending key order whatever they say, so such an index is never chosen for scans.
     */
    public record Index(int oid, String name, RelFileNode node, int[] keys, boolean unique, boolean primary,
            boolean nullsNotDistinct, String options, List<String> exprs, String predicate, int[] keyOptions) {
        public Index(int oid, String name, RelFileNode node, int[] keys, boolean unique, boolean primary,
                boolean nullsNotDistinct, String options) {
            this(oid, name, node, keys, unique, primary, nullsNotDistinct, options, List.of(), null, new int[0]);
        }

        public RelationRef ref() {
            return new RelationRef(oid, node, name);
        }

        /** Whether every key is a column and every row has an entry (no expression, no predicate). */
        public boolean plain() {
            return exprs.isEmpty() && predicate == null && java.util.Arrays.stream(keyOptions).allMatch(o -> o == 0);
        }
    }

    /**
     * A constraint ({@code pg_constraint}). {@code type} is {@code contype}:
     * 'p', 'u', 'c', 'f'. {@code expr} is a check's SQL source. For a foreign
     * key: {@code refRelation}/{@code refKeys} ({@code confrelid}/{@code confkey}),
     * the actions {@code confupdtype}/{@code confdeltype} ('a' no action, 'r'
     * restrict, 'c' cascade, 'n' set null, 'd' set default) and
     * {@code confmatchtype} ('s' simple, 'f' full). {@code parent} is {@code conparentid}: the constraint of
     * a partitioned table this one was cloned from (0 for none).
     */
    public record Constraint(int oid, String name, char type, int[] keys, int index, String expr, int refRelation,
            int[] refKeys, char onUpdate, char onDelete, char matchType, boolean deferrable, boolean deferred,
            boolean validated, int parent) {
        /** A constraint of no parent constraint ({@code conparentid} 0). */
        public Constraint(int oid, String name, char type, int[] keys, int index, String expr, int refRelation,
                int[] refKeys, char onUpdate, char onDelete, char matchType, boolean deferrable, boolean deferred,
                boolean validated) {
            this(oid, name, type, keys, index, expr, refRelation, refKeys, onUpdate, onDelete, matchType, deferrable,
                    deferred, validated, 0);
        }
    }

    public RelationRef ref() {
        return new RelationRef(oid, node, name);
    }

    /** The live (not dropped) columns in attnum order. */
    public List<Column> liveColumns() {
        return columns.stream().filter(c -> !c.dropped()).toList();
    }

    public Column column(String colName) {
        for (Column c : columns) {
            if (!c.dropped() && c.name().equals(colName)) {
                return c;
            }
        }
        return null;
    }

    /** The number of attributes stored in tuples (dropped ones included). */
    public int natts() {
        return columns.size();
    }

    /** fillfactor from reloptions (100 when unset). */
    public int fillfactor() {
        if (options != null) {
            for (String o : options.split(",")) {
                String[] kv = o.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals("fillfactor")) {
                    return Integer.parseInt(kv[1].trim());
                }
            }
        }
        return kind == 'i' ? 90 : 100;
    }
}
