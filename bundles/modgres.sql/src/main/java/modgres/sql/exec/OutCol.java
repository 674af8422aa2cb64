package modgres.sql.exec;

/**
 * A column a plan node produces: its name (what RowDescription shows), its
 * type and typmod, and where it came from (for RowDescription's table OID and
 * attribute number; 0 when computed). Hidden columns (the system columns a scan
 * adds) are not part of {@code SELECT *}.
 */
public record OutCol(String name, int type, int typmod, int tableOid, int attnum, boolean hidden, String qualifier) {

    public static OutCol of(String name, int type) {
        return new OutCol(name, type, -1, 0, 0, false, null);
    }

    public OutCol withQualifier(String q) {
        return new OutCol(name, type, typmod, tableOid, attnum, hidden, q);
    }

    public OutCol withName(String n) {
        return new OutCol(n, type, typmod, tableOid, attnum, hidden, qualifier);
    }
}
