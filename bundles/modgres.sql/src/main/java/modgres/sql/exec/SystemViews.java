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
                    + " NULL::text AS user_defined_type_name, 'YES'::text AS is_insertable_into, 'NO'::text AS is_typed,"
                    + " NULL::text AS commit_action"
                    + " FROM pg_namespace n JOIN pg_class c ON n.oid = c.relnamespace"
                    + " WHERE c.relkind = 'r' OR c.relkind = 'v' OR c.relkind = 'p'",
            "information_schema.columns",
            "SELECT current_database()::text AS table_catalog, n.nspname::text AS table_schema,"
                    + " c.relname::text AS table_name, a.attname::text AS column_name,"
                    + " a.attnum::integer AS ordinal_position, d.adbin AS column_default,"
                    + " CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable,"
                    + " information_schema_data_type(a.atttypid) AS data_type,"
                    + " information_schema_char_max_length(a.atttypid, a.atttypmod) AS character_maximum_length,"
                    + " information_schema_numeric_precision(a.atttypid, a.atttypmod) AS numeric_precision,"
                    + " information_schema_numeric_scale(a.atttypid, a.atttypmod) AS numeric_scale,"
                    + " format_type(a.atttypid, NULL) AS udt_name"
                    + " FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE a.attnum > 0 AND NOT a.attisdropped AND (c.relkind = 'r' OR c.relkind = 'v')",
            "information_schema.schemata",
            "SELECT current_database()::text AS catalog_name, nspname::text AS schema_name,"
                    + " pg_get_userbyid(nspowner)::text AS schema_owner FROM pg_namespace");

    /** The view's query for a (schema, name), searching pg_catalog then information_schema when unqualified. */
    static SelectStmt find(String schema, String name, java.util.List<String> path) {
        String sql = null;
        if (schema != null) {
            sql = VIEWS.get(schema + "." + name);
        } else {
            for (String s : path) {
                sql = VIEWS.get(s + "." + name);
                if (sql != null) {
                    break;
                }
            }
        }
        return sql == null ? null : (SelectStmt) SqlParser.parseStatement(sql);
    }
}
