package modgres.sql.catalog;

import java.util.List;

/*
 * Design notes: the system catalogs Modgres stores.
 *
 * Each catalog is an ordinary heap relation (same pages, same WAL, same MVCC
 * as user tables), with a fixed OID that is also its relfilenode, as
 * PostgreSQL's catalogs start out. Per-database catalogs live in
 * base/<database oid>/, shared ones (pg_database, pg_authid) in global/
 * (tablespace 1664). The columns are a prefix-compatible subset of
 * PostgreSQL 15's, in its order, so that the queries clients send
 * (SELECT oid, relname FROM pg_class ...) read the same columns.
 *
 * Columns added later go at the end (relpartbound, indexprs, indpred): rows
 * written before have fewer attributes and read them as NULL, as
 * PostgreSQL's heap reads attributes past a tuple's natts.
 *
 * Types PostgreSQL gives as arrays or node trees (indkey, conkey, adbin,
 * acl) are stored as text here (reloptions is a real text[], as psql's \d+
 * unnests it); pg_get_expr() returns adbin/conbin
 * as the SQL source they hold.
 */
/** A system catalog table: its OID (= relfilenode), name, whether shared, and its columns. */
public record SysTable(int oid, String name, boolean shared, List<SysColumn> columns) {

    /** One instance per catalog: compared by OID (the record's default would hash every column, per lookup). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SysTable t && t.oid == oid;
    }

    @Override
    public int hashCode() {
        return oid;
    }

    /** Column types the catalogs use (PostgreSQL type OIDs). */
    public static final int BOOL = 16, CHAR = 18, NAME = 19, INT8 = 20, INT2 = 21, INT4 = 23, TEXT = 25, OID = 26,
            XID = 28, FLOAT4 = 700, TIMESTAMPTZ = 1184;
    /** text[]: a Java String of the elements joined by commas (see RowCodec). */
    public static final int TEXT_ARRAY = 1009;

    public record SysColumn(String name, int type) {
    }

    public int column(String col) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(col)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + "." + col);
    }

    public int[] types() {
        return columns.stream().mapToInt(SysColumn::type).toArray();
    }

    private static SysTable t(int oid, String name, boolean shared, Object... nameType) {
        SysColumn[] cols = new SysColumn[nameType.length / 2];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = new SysColumn((String) nameType[2 * i], (Integer) nameType[2 * i + 1]);
        }
        return new SysTable(oid, name, shared, List.of(cols));
    }

    public static final SysTable PG_NAMESPACE = t(2615, "pg_namespace", false,
            "oid", OID, "nspname", NAME, "nspowner", OID, "nspacl", TEXT);

    public static final SysTable PG_CLASS = t(1259, "pg_class", false,
            "oid", OID, "relname", NAME, "relnamespace", OID, "reltype", OID, "reloftype", OID, "relowner", OID,
            "relam", OID, "relfilenode", OID, "reltablespace", OID, "relpages", INT4, "reltuples", FLOAT4,
            "relallvisible", INT4, "reltoastrelid", OID, "relhasindex", BOOL, "relisshared", BOOL,
            "relpersistence", CHAR, "relkind", CHAR, "relnatts", INT2, "relchecks", INT2, "relhasrules", BOOL,
            "relhastriggers", BOOL, "relhassubclass", BOOL, "relrowsecurity", BOOL, "relforcerowsecurity", BOOL,
            "relispopulated", BOOL, "relreplident", CHAR, "relispartition", BOOL, "relrewrite", OID,
            "relfrozenxid", XID, "relminmxid", XID, "relacl", TEXT, "reloptions", TEXT_ARRAY, "relpartbound", TEXT);

    public static final SysTable PG_ATTRIBUTE = t(1249, "pg_attribute", false,
            "attrelid", OID, "attname", NAME, "atttypid", OID, "attstattarget", INT4, "attlen", INT2, "attnum", INT2,
            "attndims", INT4, "attcacheoff", INT4, "atttypmod", INT4, "attbyval", BOOL, "attalign", CHAR,
            "attstorage", CHAR, "attcompression", CHAR, "attnotnull", BOOL, "atthasdef", BOOL, "atthasmissing", BOOL,
            "attidentity", CHAR, "attgenerated", CHAR, "attisdropped", BOOL, "attislocal", BOOL, "attinhcount", INT4,
            "attcollation", OID, "attacl", TEXT);

    public static final SysTable PG_INDEX = t(2610, "pg_index", false,
            "indexrelid", OID, "indrelid", OID, "indnatts", INT2, "indnkeyatts", INT2, "indisunique", BOOL,
            "indnullsnotdistinct", BOOL, "indisprimary", BOOL, "indisexclusion", BOOL, "indimmediate", BOOL,
            "indisclustered", BOOL, "indisvalid", BOOL, "indcheckxmin", BOOL, "indisready", BOOL, "indislive", BOOL,
            "indisreplident", BOOL, "indkey", TEXT, "indoption", TEXT, "indexprs", TEXT, "indpred", TEXT);

    public static final SysTable PG_CONSTRAINT = t(2606, "pg_constraint", false,
            "oid", OID, "conname", NAME, "connamespace", OID, "contype", CHAR, "condeferrable", BOOL,
            "condeferred", BOOL, "convalidated", BOOL, "conrelid", OID, "contypid", OID, "conindid", OID,
            "conparentid", OID, "confrelid", OID, "confupdtype", CHAR, "confdeltype", CHAR, "confmatchtype", CHAR,
            "conislocal", BOOL, "coninhcount", INT4, "connoinherit", BOOL, "conkey", TEXT, "confkey", TEXT,
            "conbin", TEXT);

    public static final SysTable PG_ATTRDEF = t(2604, "pg_attrdef", false,
            "oid", OID, "adrelid", OID, "adnum", INT2, "adbin", TEXT);

    public static final SysTable PG_SEQUENCE = t(2224, "pg_sequence", false,
            "seqrelid", OID, "seqtypid", OID, "seqstart", INT8, "seqincrement", INT8, "seqmax", INT8, "seqmin", INT8,
            "seqcache", INT8, "seqcycle", BOOL);

    public static final SysTable PG_DATABASE = t(1262, "pg_database", true,
            "oid", OID, "datname", NAME, "datdba", OID, "encoding", INT4, "datlocprovider", CHAR,
            "datistemplate", BOOL, "datallowconn", BOOL, "datconnlimit", INT4, "datfrozenxid", XID,
            "datminmxid", XID, "dattablespace", OID, "datcollate", TEXT, "datctype", TEXT, "daticulocale", TEXT,
            "datcollversion", TEXT, "datacl", TEXT);

    public static final SysTable PG_AUTHID = t(1260, "pg_authid", true,
            "oid", OID, "rolname", NAME, "rolsuper", BOOL, "rolinherit", BOOL, "rolcreaterole", BOOL,
            "rolcreatedb", BOOL, "rolcanlogin", BOOL, "rolreplication", BOOL, "rolbypassrls", BOOL,
            "rolconnlimit", INT4, "rolpassword", TEXT, "rolvaliduntil", TIMESTAMPTZ);

    /** Role membership (GRANT role TO member): one row per direct membership. */
    public static final SysTable PG_AUTH_MEMBERS = t(1261, "pg_auth_members", true,
            "roleid", OID, "member", OID, "grantor", OID, "admin_option", BOOL);

    /**
     * The rewrite rules: here only views' {@code _RETURN} rules, whose {@code ev_action} holds the view's query as
     * SQL text (canonical, with the relations it reads schema-qualified) where PostgreSQL keeps a node tree.
     */
    public static final SysTable PG_REWRITE = t(2618, "pg_rewrite", false,
            "oid", OID, "rulename", NAME, "ev_class", OID, "ev_type", CHAR, "ev_enabled", CHAR, "is_instead", BOOL,
            "ev_qual", TEXT, "ev_action", TEXT);

    /**
     * Dependencies between objects, as PostgreSQL records them for views: the view's rule (classid pg_rewrite)
     * depends normally ('n') on each column the view reads (refobjsubid = attnum; the whole relation, 0, when it
     * reads none of its columns) and internally ('i') on the view itself.
     */
    public static final SysTable PG_DEPEND = t(2608, "pg_depend", false,
            "classid", OID, "objid", OID, "objsubid", INT4, "refclassid", OID, "refobjid", OID, "refobjsubid", INT4,
            "deptype", CHAR);

    /** Inheritance links: child {@code inhrelid} inherits from {@code inhparent} (PostgreSQL 15's pg_inherits). */
    public static final SysTable PG_INHERITS = t(2611, "pg_inherits", false,
            "inhrelid", OID, "inhparent", OID, "inhseqno", INT4, "inhdetachpending", BOOL);

    /**
     * The partition key of each partitioned table: strategy ('r', 'l', 'h'), the key columns' attnums as an
     * int2vector's text ("1 2"), the default partition (0 when none).
     */
    public static final SysTable PG_PARTITIONED_TABLE = t(3350, "pg_partitioned_table", false,
            "partrelid", OID, "partstrat", CHAR, "partnatts", INT2, "partdefid", OID, "partattrs", TEXT,
            "partclass", TEXT, "partcollation", TEXT, "partexprs", TEXT);

    /**
     * User-defined functions and procedures (CREATE FUNCTION / PROCEDURE), PostgreSQL's column names; the
     * oidvector and array columns (proargtypes, proallargtypes, proargmodes, proargnames) are stored as their
     * text form, proargdefaults as the SQL text of the defaults (one per line). The built-in functions are not
     * stored: clients read them from ClientCatalogs' pg_proc, which is why this heap has no pg_class row.
     */
    public static final SysTable PG_PROC = t(1255, "pg_proc", false,
            "oid", OID, "proname", NAME, "pronamespace", OID, "proowner", OID, "prolang", OID, "procost", FLOAT4,
            "prorows", FLOAT4, "provariadic", OID, "prosupport", OID, "prokind", CHAR, "prosecdef", BOOL,
            "proleakproof", BOOL, "proisstrict", BOOL, "proretset", BOOL, "provolatile", CHAR, "proparallel", CHAR,
            "pronargs", INT2, "pronargdefaults", INT2, "prorettype", OID, "proargtypes", TEXT,
            "proallargtypes", TEXT, "proargmodes", TEXT, "proargnames", TEXT, "proargdefaults", TEXT,
            "protrftypes", TEXT, "prosrc", TEXT, "probin", TEXT, "prosqlbody", TEXT, "proconfig", TEXT,
            "proacl", TEXT);

    /**
     * Triggers (CREATE TRIGGER), PostgreSQL's column names; tgattr and tgargs as text, tgqual as SQL text;
     * tgoldtable/tgnewtable last (rows written before they existed read them as null).
     */
    public static final SysTable PG_TRIGGER = t(2620, "pg_trigger", false,
            "oid", OID, "tgrelid", OID, "tgparentid", OID, "tgname", NAME, "tgfoid", OID, "tgtype", INT2,
            "tgenabled", CHAR, "tgisinternal", BOOL, "tgconstrrelid", OID, "tgconstrindid", OID, "tgconstraint", OID,
            "tgdeferrable", BOOL, "tginitdeferred", BOOL, "tgnargs", INT2, "tgattr", TEXT, "tgargs", TEXT,
            "tgqual", TEXT, "tgoldtable", NAME, "tgnewtable", NAME);

    /**
     * User-defined types (CREATE TYPE composite 'c' and enum 'e', CREATE DOMAIN 'd', and the array type 'b' PostgreSQL
     * creates beside each), PostgreSQL 15's columns in its order; regproc columns (typinput, ...) hold the function
     * name as text, typdefaultbin the SQL text of a domain default. The built-in types are not stored: clients read
     * them, with these rows, from ClientCatalogs' pg_type, which is why this heap has no pg_class row.
     */
    public static final SysTable PG_TYPE = t(1247, "pg_type", false,
            "oid", OID, "typname", NAME, "typnamespace", OID, "typowner", OID, "typlen", INT2, "typbyval", BOOL,
            "typtype", CHAR, "typcategory", CHAR, "typispreferred", BOOL, "typisdefined", BOOL, "typdelim", CHAR,
            "typrelid", OID, "typsubscript", TEXT, "typelem", OID, "typarray", OID, "typinput", TEXT,
            "typoutput", TEXT, "typreceive", TEXT, "typsend", TEXT, "typmodin", TEXT, "typmodout", TEXT,
            "typanalyze", TEXT, "typalign", CHAR, "typstorage", CHAR, "typnotnull", BOOL, "typbasetype", OID,
            "typtypmod", INT4, "typndims", INT4, "typcollation", OID, "typdefaultbin", TEXT, "typdefault", TEXT,
            "typacl", TEXT);

    /** The labels of enum types (CREATE TYPE ... AS ENUM), PostgreSQL's pg_enum; each label has an OID. */
    public static final SysTable PG_ENUM = t(3501, "pg_enum", false,
            "oid", OID, "enumtypid", OID, "enumsortorder", FLOAT4, "enumlabel", NAME);

    /**
     * User-defined operators (CREATE OPERATOR), PostgreSQL 15's columns in its order; oprcode/oprrest/oprjoin hold the
     * function's name as text (regproc), oprcode schema-qualified when the function is not in pg_catalog. The
     * built-in operators are not stored (they live in the type system's catalog), so this heap has no pg_class row.
     */
    public static final SysTable PG_OPERATOR = t(2617, "pg_operator", false,
            "oid", OID, "oprname", NAME, "oprnamespace", OID, "oprowner", OID, "oprkind", CHAR, "oprcanmerge", BOOL,
            "oprcanhash", BOOL, "oprleft", OID, "oprright", OID, "oprresult", OID, "oprcom", OID, "oprnegate", OID,
            "oprcode", TEXT, "oprrest", TEXT, "oprjoin", TEXT);

    /**
     * Row-level security policies (CREATE POLICY), PostgreSQL 15's columns; polroles as the text of an oid[]
     * ("{0}" is PUBLIC), polqual and polwithcheck as SQL text (null when absent).
     */
    public static final SysTable PG_POLICY = t(3256, "pg_policy", false,
            "oid", OID, "polname", NAME, "polrelid", OID, "polcmd", CHAR, "polpermissive", BOOL, "polroles", TEXT,
            "polqual", TEXT, "polwithcheck", TEXT);

    /**
     * Operator families, classes, their operators and support functions (CREATE OPERATOR CLASS), PostgreSQL 15's
     * columns in its order. Only user-defined ones are stored: the built-in classes are the type system's own.
     * amopopr is the operator's OID when it is a user-defined one, else 0 (the built-in operators have no OIDs
     * here); amproc is the support function's pg_proc OID.
     */
    public static final SysTable PG_OPFAMILY = t(2753, "pg_opfamily", false,
            "oid", OID, "opfmethod", OID, "opfname", NAME, "opfnamespace", OID, "opfowner", OID);
    public static final SysTable PG_OPCLASS = t(2616, "pg_opclass", false,
            "oid", OID, "opcmethod", OID, "opcname", NAME, "opcnamespace", OID, "opcowner", OID, "opcfamily", OID,
            "opcintype", OID, "opcdefault", BOOL, "opckeytype", OID);
    public static final SysTable PG_AMOP = t(2602, "pg_amop", false,
            "oid", OID, "amopfamily", OID, "amoplefttype", OID, "amoprighttype", OID, "amopstrategy", INT2,
            "amoppurpose", CHAR, "amopopr", OID, "amopmethod", OID, "amopsortfamily", OID);
    public static final SysTable PG_AMPROC = t(2603, "pg_amproc", false,
            "oid", OID, "amprocfamily", OID, "amproclefttype", OID, "amprocrighttype", OID, "amprocnum", INT2,
            "amproc", OID);

    /**
     * Column statistics gathered by ANALYZE (exec.ColumnStatistics), one row per column: PostgreSQL's first
     * six columns, then the slots PostgreSQL keeps in stakindN/stavaluesN as named columns: the most common
     * values and the histogram bounds as the text of arrays of the column's type, their frequencies as the text
     * of a real[], and the correlation. The pg_stats view shows them as PostgreSQL's does.
     */
    public static final SysTable PG_STATISTIC = t(2619, "pg_statistic", false,
            "starelid", OID, "staattnum", INT2, "stainherit", BOOL, "stanullfrac", FLOAT4, "stawidth", INT4,
            "stadistinct", FLOAT4, "stamcvals", TEXT, "stamcfreqs", TEXT, "stahistogram", TEXT,
            "stacorrelation", FLOAT4);

    /** Catalogs stored without a pg_class row (clients read another definition of the same name). */
    public static boolean hiddenFromPgClass(SysTable t) {
        return t == PG_PROC || t == PG_TYPE || t == PG_OPERATOR || t == PG_POLICY;
    }

    /** Every catalog, per-database ones first. */
    public static final List<SysTable> ALL = List.of(PG_NAMESPACE, PG_CLASS, PG_ATTRIBUTE, PG_INDEX, PG_CONSTRAINT,
            PG_ATTRDEF, PG_SEQUENCE, PG_REWRITE, PG_DEPEND, PG_INHERITS, PG_PARTITIONED_TABLE, PG_PROC, PG_TRIGGER,
            PG_TYPE, PG_ENUM, PG_OPERATOR, PG_POLICY, PG_OPFAMILY, PG_OPCLASS, PG_AMOP, PG_AMPROC,
            PG_STATISTIC, PG_DATABASE, PG_AUTHID, PG_AUTH_MEMBERS);

    /** Catalogs added after the first release: a database bootstrapped before them has no files for them. */
    public static boolean optional(SysTable t) {
        return t == PG_REWRITE || t == PG_DEPEND || t == PG_INHERITS || t == PG_PARTITIONED_TABLE
                || t == PG_PROC || t == PG_TRIGGER || t == PG_TYPE || t == PG_ENUM || t == PG_OPERATOR || t == PG_POLICY
                || t == PG_OPFAMILY || t == PG_OPCLASS || t == PG_AMOP || t == PG_AMPROC || t == PG_STATISTIC
                || t == PG_AUTH_MEMBERS;
    }

    public static SysTable byOid(int oid) {
        for (SysTable t : ALL) {
            if (t.oid == oid) {
                return t;
            }
        }
        return null;
    }
}
