package modgres.sql.catalog;

/** A schema ({@code pg_namespace} row). */
public record Namespace(int oid, String name, int owner) {
    public static final int PG_CATALOG = 11;
    public static final int PUBLIC = 2200;
    public static final int INFORMATION_SCHEMA = 13000;
    public static final int PG_TOAST = 99;
}
