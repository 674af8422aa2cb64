package modgres.sql.ast;

/** A role as written in GRANT, OWNER TO and role statements. */
public record RoleSpec(Kind kind, String name) {

    public enum Kind { NAME, CURRENT_ROLE, CURRENT_USER, SESSION_USER, PUBLIC }

    public static RoleSpec named(String name) {
        return new RoleSpec(Kind.NAME, name);
    }
}
