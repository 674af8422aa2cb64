package modgres.api.autovacuum;

import java.util.Map;

/**
 * A table as {@code pg_class} describes it to autovacuum.
 *
 * @param db         database OID
 * @param dbName     database name
 * @param rel        the table's OID
 * @param schema     its schema's name
 * @param name       its name
 * @param relTuples  pg_class.reltuples (-1 when never vacuumed or analyzed, as in PostgreSQL 15)
 * @param relPages   pg_class.relpages
 * @param relOptions storage parameters (reloptions: {@code autovacuum_enabled},
 *                   {@code autovacuum_vacuum_threshold}, ...), names lower-case
 * @param xidAge     {@code age(relfrozenxid)}: transactions since the oldest
 *                   unfrozen id the table may hold (wraparound protection)
 */
public record TableInfo(int db, String dbName, int rel, String schema, String name, double relTuples,
        long relPages, Map<String, String> relOptions, long xidAge) {

    /** A table whose relfrozenxid age is not known (0). */
    public TableInfo(int db, String dbName, int rel, String schema, String name, double relTuples, long relPages,
            Map<String, String> relOptions) {
        this(db, dbName, rel, schema, name, relTuples, relPages, relOptions, 0);
    }

    /** {@code "db.schema.name"} as autovacuum's log lines name a table. */
    public String qualifiedName() {
        return dbName + "." + schema + "." + name;
    }
}
