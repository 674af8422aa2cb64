package modgres.sql.exec;

import java.util.HashMap;
import java.util.Map;

import modgres.sql.types.Type;
import modgres.sql.types.Types;

/*
 * Design notes: the catalogs clients read (psql's \d family, drivers) that
 * Modgres keeps no heap relation for.
 *
 * Each is defined in SQL like SystemViews (and looked up through it), with
 * PostgreSQL 15's column names, order and types, from what the server really
 * has:
 *   pg_am         the access methods PostgreSQL 15 ships (heap and btree are
 *                 the ones Modgres builds; pg_class.relam points at them)
 *   pg_collation  the collations of a database created with the C locale
 *                 (default, C, POSIX), the only locale Modgres has
 *   pg_type       one row per type of the type system (Types.all()), built
 *                 once from it: base types in pg_catalog, their arrays,
 *                 pseudo-types; the user-defined types (CREATE TYPE, CREATE
 *                 DOMAIN) come from the session's pg_type heap through
 *                 modgres_user_types()
 * and, for objects Modgres has no way to create, the empty catalog a
 * PostgreSQL database without them has:
 * pg_description / pg_shdescription (COMMENT ON is not stored), pg_policy,
 * pg_statistic_ext, pg_publication*. pg_proc's built-in rows are listed here;
 * its user-defined rows (CREATE FUNCTION) come from the session's pg_proc heap
 * through modgres_user_procs().
 */
/** SQL definitions of client-facing catalogs; see the design notes. */
public final class ClientCatalogs {
    private ClientCatalogs() {
    }

    private static final Map<String, String> CATALOGS = new HashMap<>();

    static {
        // the view over ANALYZE's statistics (PostgreSQL's system_views.sql shape; the value lists are text here,
        // anyarray there, which clients print the same way)
        CATALOGS.put("pg_catalog.pg_stats", "SELECT n.nspname AS schemaname, c.relname AS tablename, a.attname,"
                + " s.stainherit AS inherited, s.stanullfrac AS null_frac, s.stawidth AS avg_width,"
                + " s.stadistinct AS n_distinct, s.stamcvals AS most_common_vals,"
                + " s.stamcfreqs::real[] AS most_common_freqs, s.stahistogram AS histogram_bounds,"
                + " s.stacorrelation AS correlation, NULL::text AS most_common_elems,"
                + " NULL::real[] AS most_common_elem_freqs, NULL::real[] AS elem_count_histogram"
                + " FROM pg_catalog.pg_statistic s JOIN pg_catalog.pg_class c ON c.oid = s.starelid"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = s.starelid AND a.attnum = s.staattnum"
                + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE NOT a.attisdropped");
        CATALOGS.put("pg_catalog.pg_am", "SELECT * FROM (VALUES (2::oid, 'heap'::name, 'heap_tableam_handler'::text,"
                + " 't'::\"char\"), (403, 'btree', 'bthandler', 'i'), (405, 'hash', 'hashhandler', 'i'),"
                + " (783, 'gist', 'gisthandler', 'i'), (2742, 'gin', 'ginhandler', 'i'),"
                + " (4000, 'spgist', 'spghandler', 'i'), (3580, 'brin', 'brinhandler', 'i'))"
                + " a(oid, amname, amhandler, amtype)");
        CATALOGS.put("pg_catalog.pg_collation", "SELECT * FROM (VALUES (100::oid, 'default'::name, 11::oid,"
                + " 10::oid, 'd'::\"char\", true, -1, NULL::text, NULL::text, NULL::text, NULL::text),"
                + " (950, 'C', 11, 10, 'c', true, -1, 'C', 'C', NULL, NULL),"
                + " (951, 'POSIX', 11, 10, 'c', true, -1, 'POSIX', 'POSIX', NULL, NULL))"
                + " c(oid, collname, collnamespace, collowner, collprovider, collisdeterministic, collencoding,"
                + " collcollate, collctype, colliculocale, collversion)");
        CATALOGS.put("pg_catalog.pg_description", "SELECT 0::oid AS objoid, 0::oid AS classoid, 0 AS objsubid,"
                + " ''::text AS description WHERE false");
        CATALOGS.put("pg_catalog.pg_shdescription", "SELECT 0::oid AS objoid, 0::oid AS classoid,"
                + " ''::text AS description WHERE false");
        // the rows of the database's pg_policy heap (CREATE POLICY), polroles as oid[]
        CATALOGS.put("pg_catalog.pg_policy", "SELECT oid, polname, polrelid, polcmd, polpermissive,"
                + " polroles::oid[] AS polroles, polqual, polwithcheck FROM modgres_policies()");
        CATALOGS.put("pg_catalog.pg_statistic_ext", "SELECT 0::oid AS oid, 0::oid AS stxrelid, ''::name AS stxname,"
                + " 0::oid AS stxnamespace, 0::oid AS stxowner, -1 AS stxstattarget, ''::text AS stxkeys,"
                + " '{d}'::\"char\"[] AS stxkind, ''::text AS stxexprs WHERE false");
        CATALOGS.put("pg_catalog.pg_publication", "SELECT 0::oid AS oid, ''::name AS pubname, 0::oid AS pubowner,"
                + " false AS puballtables, false AS pubinsert, false AS pubupdate, false AS pubdelete,"
                + " false AS pubtruncate, false AS pubviaroot WHERE false");
        CATALOGS.put("pg_catalog.pg_publication_namespace", "SELECT 0::oid AS oid, 0::oid AS pnpubid,"
                + " 0::oid AS pnnspid WHERE false");
        CATALOGS.put("pg_catalog.pg_publication_rel", "SELECT 0::oid AS oid, 0::oid AS prpubid, 0::oid AS prrelid,"
                + " ''::text AS prqual, '{0}'::int2[] AS prattrs WHERE false");
        CATALOGS.put("pg_catalog.pg_trigger", "SELECT 0::oid AS oid, 0::oid AS tgrelid, 0::oid AS tgparentid,"
                + " ''::name AS tgname, 0::oid AS tgfoid, 0::int2 AS tgtype, 'O'::\"char\" AS tgenabled,"
                + " false AS tgisinternal, 0::oid AS tgconstrrelid, 0::oid AS tgconstrindid, 0::oid AS tgconstraint,"
                + " false AS tgdeferrable, false AS tginitdeferred, 0::int2 AS tgnargs WHERE false");
        CATALOGS.put("pg_catalog.pg_type", typeCatalog());
    }

    /** The first OID of pg_proc's rows here (PostgreSQL's range for OIDs initdb assigns, FirstGenbkiObjectId). */
    static final int FIRST_PROC_OID = 10000;

    /**
     * The functions and aggregates of the type system's catalog in a stable order (name, then argument types):
     * the row of OID FIRST_PROC_OID + i is entry i.
     */
    static final java.util.List<modgres.sql.types.Routine> PROCS = modgres.sql.types.Catalog.functions().stream()
            .sorted(java.util.Comparator.comparing((modgres.sql.types.Routine r) -> r.name())
                    .thenComparing(r -> argTypes(r)))
            .toList();

    static String argTypes(modgres.sql.types.Routine r) {
        StringBuilder sb = new StringBuilder();
        for (Type t : r.argTypes()) {
            sb.append(sb.isEmpty() ? "" : " ").append(t.oid());
        }
        return sb.toString();
    }

    /** The routine behind a pg_proc OID, or null. */
    public static modgres.sql.types.Routine proc(long oid) {
        long i = oid - FIRST_PROC_OID;
        return i >= 0 && i < PROCS.size() ? PROCS.get((int) i) : null;
    }

    /** pg_proc's query, built on first use (after PROCS exists). */
    private static final class ProcHolder {
        static final String SQL = procCatalog();
    }

    private static String procCatalog() {
        StringBuilder sb = new StringBuilder("SELECT * FROM (VALUES ");
        for (int i = 0; i < PROCS.size(); i++) {
            modgres.sql.types.Routine r = PROCS.get(i);
            boolean first = i == 0;
            String kind = r.kind() == modgres.sql.types.Routine.Kind.AGGREGATE ? "a" : "f";
            sb.append(first ? "" : ", ").append('(').append(FIRST_PROC_OID + i).append(first ? "::oid" : "")
                    .append(", '").append(r.name()).append(first ? "'::name" : "'")
                    .append(first ? ", 11::oid, 10::oid, 12::oid" : ", 11, 10, 12")
                    .append(", '").append(kind).append(first ? "'::\"char\"" : "'")
                    .append(", ").append(r.strict())
                    .append(", false")
                    .append(", '").append(r.volatility()).append(first ? "'::\"char\"" : "'")
                    .append(", ").append(first ? "(" + r.argTypes().length + ")::int2" : r.argTypes().length)
                    .append(", ").append(r.result() == null ? 0 : r.result().oid()).append(first ? "::oid" : "")
                    .append(", '").append(argTypes(r)).append(first ? "'::text" : "'")
                    .append(", '").append(r.proc() == null ? "" : r.proc().replace("'", "''")).append(first ? "'::text)" : "')");
        }
        sb.append(") p(oid, proname, pronamespace, proowner, prolang, prokind, proisstrict, proretset, provolatile,"
                + " pronargs, prorettype, proargtypes, prosrc)");
        // the session's user-defined functions and procedures (CREATE FUNCTION), from its pg_proc heap
        sb.append(" UNION ALL SELECT * FROM modgres_user_procs()");
        return sb.toString();
    }

    /** The typcollation PostgreSQL gives a type: name's is C (950), the other string types' the default (100). */
    static int typcollation(Type t) {
        Type base = t.isArray() ? t.elem() : t;
        return switch (base.oid()) {
            case Types.NAME_OID -> 950;
            case Types.TEXT_OID, Types.VARCHAR_OID, Types.BPCHAR_OID -> 100;
            default -> 0;
        };
    }

    private static String typeCatalog() {
        StringBuilder sb = new StringBuilder("SELECT * FROM (VALUES ");
        boolean first = true;
        for (Type t : Types.all()) {
            sb.append(first ? "" : ", ").append('(').append(first ? t.oid() + "::oid" : t.oid())
                    .append(", '").append(t.typname()).append(first ? "'::name" : "'")
                    .append(first ? ", 11::oid, 10::oid" : ", 11, 10")
                    .append(", ").append(first ? "(" + t.typlen() + ")::int2" : t.typlen())
                    .append(", ").append(t.typbyval())
                    .append(", '").append(t.typcategory() == 'P' ? 'p' : 'b').append(first ? "'::\"char\"" : "'")
                    .append(", '").append(t.typcategory()).append(first ? "'::\"char\"" : "'")
                    .append(", ").append(t.typispreferred())
                    .append(", true, '").append(',').append(first ? "'::\"char\"" : "'")
                    .append(first ? ", 0::oid" : ", 0")
                    .append(", ").append(t.isArray() ? t.elemOid() : 0)
                    .append(", ").append(t.arrayOid())
                    .append(", '").append(t.typinput()).append(first ? "'::text" : "'")
                    .append(", '").append(t.typoutput()).append(first ? "'::text" : "'")
                    .append(", '").append(t.typalign()).append(first ? "'::\"char\"" : "'")
                    .append(", false")
                    .append(first ? ", 0::oid, -1, 0" : ", 0, -1, 0")
                    .append(", ").append(typcollation(t)).append(first ? "::oid" : "")
                    .append(first ? ", NULL::text)" : ", NULL)");
            first = false;
        }
        sb.append(") t(oid, typname, typnamespace, typowner, typlen, typbyval, typtype, typcategory, typispreferred,"
                + " typisdefined, typdelim, typrelid, typelem, typarray, typinput, typoutput, typalign, typnotnull,"
                + " typbasetype, typtypmod, typndims, typcollation, typdefault)");
        // the user-defined types (CREATE TYPE, CREATE DOMAIN), from the session's pg_type heap
        sb.append(" UNION ALL SELECT * FROM modgres_user_types()");
        return sb.toString();
    }

    /** The catalog's query for a qualified name, or null. */
    static String sql(String key) {
        if (key.equals("pg_catalog.pg_proc")) {
            return ProcHolder.SQL;
        }
        return CATALOGS.get(key);
    }
}
