package modgres.sql.exec;

import java.util.Map;

import modgres.sql.ast.SelectStmt;
import modgres.sql.parser.SqlParser;

/**
 * The system views, defined in SQL over the catalogs as PostgreSQL defines
 * them ({@code system_views.sql}, {@code information_schema.sql}), reduced to
 * the columns the catalogs here can fill. A name not found as a relation in
 * pg_catalog or information_schema is looked up here and planned as a
 * subquery.
 */
final class SystemViews {
    private SystemViews() {
    }

    private static final Map<String, String> VIEWS = Map.of(
            "pg_catalog.pg_tables",
            "SELECT n.nspname AS schemaname, c.relname AS tablename, pg_get_userbyid(c.relowner) AS tableowner,"
                    + " NULL::name AS tablespace, c.relhasindex AS hasindexes, c.relhasrules AS hasrules,"
                    + " c.relhastriggers AS hastriggers, c.relrowsecurity AS rowsecurity"
                    + " FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind = 'r' OR c.relkind = 'p'",
            "pg_catalog.pg_indexes",
            "SELECT n.nspname AS schemaname, c.relname AS tablename, i.relname AS indexname,"
                    + " NULL::name AS tablespace, NULL::text AS indexdef"
                    + " FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid"
                    + " LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'",
            "pg_catalog.pg_roles",
            "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,"
                    + " rolconnlimit, '********'::text AS rolpassword, rolvaliduntil, rolbypassrls, oid"
                    + " FROM pg_authid",
            "pg_catalog.pg_user",
            "SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb, rolsuper AS usesuper,"
                    + " rolreplication AS userepl, rolbypassrls AS usebypassrls, '********'::text AS passwd,"
                    + " rolvaliduntil AS valuntil FROM pg_authid WHERE rolcanlogin",
            "information_schema.tables",
            "SELECT current_database()::text AS table_catalog, n.nspname::text AS table_schema,"
                    + " c.relname::text AS table_name,"
                    + " CASE WHEN n.oid = pg_my_temp_schema() THEN 'LOCAL TEMPORARY' WHEN c.relkind = 'r'"
                    + " THEN 'BASE TABLE' WHEN c.relkind = 'v' THEN 'VIEW' ELSE NULL END AS table_type,"
                    + " NULL::text AS self_referencing_column_name, NULL::text AS reference_generation,"
                    + " NULL::text AS user_defined_type_catalog, NULL::text AS user_defined_type_schema,"
                    + " NULL::text AS user_defined_type_name,"
                    + " CASE WHEN pg_relation_is_updatable(c.oid, false) & 8 = 8 THEN 'YES' ELSE 'NO' END::text"
                    + " AS is_insertable_into,"
                    + " 'NO'::text AS is_typed,"
                    + " NULL::text AS commit_action"
                    + " FROM pg_namespace n JOIN pg_class c ON n.oid = c.relnamespace"
                    + " WHERE c.relkind = 'r' OR c.relkind = 'v' OR c.relkind = 'p'",
            "information_schema.columns",
            "SELECT current_database()::text AS table_catalog, n.nspname::text AS table_schema,"
                    + " c.relname::text AS table_name, a.attname::text AS column_name,"
                    + " a.attnum::integer AS ordinal_position,"
                    // identity columns show no default (their sequence is not a default in PostgreSQL)
                    + " CASE WHEN a.attidentity IN ('a', 'd') THEN NULL ELSE d.adbin END AS column_default,"
                    + " CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable,"
                    + " CASE WHEN a.atttypid = 1042 THEN 'character'"
                    + " WHEN format_type(a.atttypid, NULL) LIKE '%[]' THEN 'ARRAY'"
                    + " ELSE format_type(a.atttypid, NULL) END AS data_type,"
                    + " CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod >= 4 THEN a.atttypmod - 4"
                    + " END AS character_maximum_length,"
                    + " CASE a.atttypid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 WHEN 700 THEN 24"
                    + " WHEN 701 THEN 53 WHEN 1700 THEN CASE WHEN a.atttypmod >= 4"
                    + " THEN (a.atttypmod - 4) / 65536 END END AS numeric_precision,"
                    + " CASE WHEN a.atttypid IN (21, 23, 20) THEN 0 WHEN a.atttypid = 1700 AND a.atttypmod >= 4"
                    + " THEN (a.atttypmod - 4) % 65536 END AS numeric_scale,"
                    + " (SELECT t.typname::text FROM pg_type t WHERE t.oid = a.atttypid) AS udt_name,"
                    + " CASE WHEN a.attidentity IN ('a', 'd') THEN 'YES' ELSE 'NO' END::text AS is_identity,"
                    + " CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END::text"
                    + " AS identity_generation"
                    + " FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE a.attnum > 0 AND NOT a.attisdropped AND (c.relkind = 'r' OR c.relkind = 'v')",
            "pg_catalog.pg_views",
            "SELECT n.nspname AS schemaname, c.relname AS viewname, pg_get_userbyid(c.relowner) AS viewowner,"
                    + " pg_get_viewdef(c.oid) AS definition"
                    + " FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v'",
            "information_schema.views",
            "SELECT current_database()::text AS table_catalog, n.nspname::text AS table_schema,"
                    + " c.relname::text AS table_name, pg_get_viewdef(c.oid) AS view_definition,"
                    + " CASE WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED'"
                    + " WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL' ELSE 'NONE' END::text"
                    + " AS check_option,"
                    + " CASE WHEN pg_relation_is_updatable(c.oid, false) & 20 = 20 THEN 'YES' ELSE 'NO' END::text"
                    + " AS is_updatable,"
                    + " CASE WHEN pg_relation_is_updatable(c.oid, false) & 8 = 8 THEN 'YES' ELSE 'NO' END::text"
                    + " AS is_insertable_into,"
                    + " 'NO'::text AS is_trigger_updatable, 'NO'::text AS is_trigger_deletable,"
                    + " 'NO'::text AS is_trigger_insertable_into"
                    + " FROM pg_namespace n JOIN pg_class c ON n.oid = c.relnamespace WHERE c.relkind = 'v'",
            "information_schema.schemata",
            "SELECT current_database()::text AS catalog_name, nspname::text AS schema_name,"
                    + " pg_get_userbyid(nspowner)::text AS schema_owner FROM pg_namespace");


    /** The cumulative statistics views (PostgreSQL 15's system_views.sql over the store's rows, see StatsScan). */
    /** pg_rules (PostgreSQL 15's system_views.sql): the rules other than views' _RETURN. */
    private static final Map<String, String> RULE_VIEWS = Map.of("pg_catalog.pg_rules",
            "SELECT n.nspname AS schemaname, c.relname AS tablename, r.rulename,"
                    + " pg_get_ruledef(r.oid) AS definition"
                    + " FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class"
                    + " LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rulename <> '_RETURN'");

    private static final Map<String, String> STATS_VIEWS = Map.of(
            "pg_catalog.pg_stat_all_tables",
            "SELECT c.oid AS relid, n.nspname AS schemaname, c.relname AS relname,"
                    + " coalesce(s.seq_scan, 0) AS seq_scan, coalesce(s.seq_tup_read, 0) AS seq_tup_read,"
                    + " CASE WHEN c.relhasindex THEN coalesce(s.idx_scan, 0) END AS idx_scan,"
                    + " CASE WHEN c.relhasindex THEN coalesce(s.idx_tup_fetch, 0) END AS idx_tup_fetch,"
                    + "coalesce(s.n_tup_ins, 0) AS n_tup_ins, coalesce(s.n_tup_upd, 0) AS n_tup_upd, coalesce(s.n_tup_del, 0) AS n_tup_del, coalesce(s.n_tup_hot_upd, 0) AS n_tup_hot_upd,"
                    + " coalesce(s.n_live_tup, 0) AS n_live_tup, coalesce(s.n_dead_tup, 0) AS n_dead_tup, coalesce(s.n_mod_since_analyze, 0) AS n_mod_since_analyze, coalesce(s.n_ins_since_vacuum, 0) AS n_ins_since_vacuum,"
                    + " s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,"
                    + " coalesce(s.vacuum_count, 0) AS vacuum_count, coalesce(s.autovacuum_count, 0) AS autovacuum_count, coalesce(s.analyze_count, 0) AS analyze_count, coalesce(s.autoanalyze_count, 0) AS autoanalyze_count"
                    + " FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN modgres_stat_tables s ON s.relid = c.oid"
                    + " WHERE c.relkind = 'r' OR c.relkind = 't' OR c.relkind = 'm' OR c.relkind = 'p'",
            "pg_catalog.pg_stat_user_tables",
            "SELECT * FROM pg_stat_all_tables WHERE schemaname <> 'pg_catalog' AND schemaname <> 'information_schema' AND schemaname NOT LIKE 'pg_toast%'",
            "pg_catalog.pg_stat_sys_tables",
            "SELECT * FROM pg_stat_all_tables WHERE schemaname = 'pg_catalog' OR schemaname = 'information_schema' OR schemaname LIKE 'pg_toast%'",
            "pg_catalog.pg_statio_all_tables",
            "SELECT c.oid AS relid, n.nspname AS schemaname, c.relname AS relname,"
                    + " coalesce(s.heap_blks_read, 0) AS heap_blks_read, coalesce(s.heap_blks_hit, 0) AS heap_blks_hit,"
                    + " CASE WHEN c.relhasindex THEN coalesce(s.idx_blks_read, 0) END AS idx_blks_read,"
                    + " CASE WHEN c.relhasindex THEN coalesce(s.idx_blks_hit, 0) END AS idx_blks_hit,"
                    + " NULL::bigint AS toast_blks_read, NULL::bigint AS toast_blks_hit,"
                    + " NULL::bigint AS tidx_blks_read, NULL::bigint AS tidx_blks_hit"
                    + " FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN modgres_stat_tables s ON s.relid = c.oid"
                    + " WHERE c.relkind = 'r' OR c.relkind = 't' OR c.relkind = 'm'",
            "pg_catalog.pg_statio_user_tables",
            "SELECT * FROM pg_statio_all_tables WHERE schemaname <> 'pg_catalog' AND schemaname <> 'information_schema' AND schemaname NOT LIKE 'pg_toast%'",
            "pg_catalog.pg_statio_sys_tables",
            "SELECT * FROM pg_statio_all_tables WHERE schemaname = 'pg_catalog' OR schemaname = 'information_schema' OR schemaname LIKE 'pg_toast%'",
            "pg_catalog.pg_stat_database",
            "SELECT s.datid, d.datname,"
                    + " (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname)::integer AS numbackends,"
                    + " s.xact_commit, s.xact_rollback, s.blks_read, s.blks_hit, s.tup_returned, s.tup_fetched, s.tup_inserted,"
                    + " s.tup_updated, s.tup_deleted, s.conflicts, s.temp_files, s.temp_bytes, s.deadlocks, s.checksum_failures, NULL::timestamptz AS checksum_last_failure,"
                    + " s.blk_read_time, s.blk_write_time, s.session_time, s.active_time, s.idle_in_transaction_time, s.sessions, s.sessions_abandoned, s.sessions_fatal, s.sessions_killed, s.stats_reset"
                    + " FROM modgres_stat_database s LEFT JOIN pg_database d ON d.oid = s.datid");

    /**
     * Catalogs of features Modgres does not have (table inheritance,
     * partitioning): always empty, with PostgreSQL's leading columns, so that
     * clients probing them (pgbench looks for partitions) get PostgreSQL's
     * answer for a database without any.
     */
    private static final Map<String, String> EMPTY_CATALOGS = Map.of(
            "pg_catalog.pg_inherits",
            "SELECT 0::oid AS inhrelid, 0::oid AS inhparent, 0::integer AS inhseqno, false AS inhdetachpending"
                    + " WHERE false",
            "pg_catalog.pg_partitioned_table",
            "SELECT 0::oid AS partrelid, 'h'::\"char\" AS partstrat, 0::smallint AS partnatts,"
                    + " 0::oid AS partdefid WHERE false");

    /** Row-level security's view over pg_policy (RowSecurity). */
    private static final Map<String, String> POLICY_VIEWS = Map.of(
            "pg_catalog.pg_policies",
            "SELECT n.nspname AS schemaname, c.relname AS tablename, pol.polname AS policyname,"
                    + " CASE WHEN pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END AS permissive,"
                    + " CASE WHEN pol.polroles = '{0}' THEN '{public}'::name[] ELSE ARRAY(SELECT a.rolname"
                    + " FROM pg_authid a WHERE a.oid = ANY (pol.polroles) ORDER BY a.rolname) END AS roles,"
                    + " CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'"
                    + " WHEN 'd' THEN 'DELETE' WHEN '*' THEN 'ALL' END AS cmd, pol.polqual AS qual,"
                    + " pol.polwithcheck AS with_check"
                    + " FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid"
                    + " LEFT JOIN pg_namespace n ON n.oid = c.relnamespace");

    private static String lookup(String key) {
        String sql = VIEWS.get(key);
        if (sql == null) {
            sql = POLICY_VIEWS.get(key);
        }
        if (sql == null) {
            sql = RULE_VIEWS.get(key);
        }
        if (sql == null) {
            sql = STATS_VIEWS.get(key);
        }
        if (sql == null) {
            sql = ClientCatalogs.sql(key);
        }
        return sql != null ? sql : EMPTY_CATALOGS.get(key);
    }

    /** The view's query for a (schema, name), searching pg_catalog then information_schema when unqualified. */
    static SelectStmt find(String schema, String name, java.util.List<String> path) {
        String sql = null;
        if (schema != null) {
            sql = lookup(schema + "." + name);
        } else {
            for (String s : path) {
                sql = lookup(s + "." + name);
                if (sql != null) {
                    break;
                }
            }
        }
        return sql == null ? null : (SelectStmt) SqlParser.parseStatement(sql);
    }
}
