package modgres.sql.ast;

import java.util.List;

/**
 * An object named in DROP, COMMENT ON, GRANT: a possibly qualified name, with
 * argument types for functions ({@code f(int, text)}; null when no parentheses
 * were written) and the table for objects that belong to one
 * ({@code TRIGGER t ON tab}, {@code CONSTRAINT c ON tab}; null otherwise).
 */
public record ObjectRef(List<String> name, List<TypeName> argTypes, List<String> table) {
    public ObjectRef {
        name = List.copyOf(name);
        argTypes = argTypes == null ? null : List.copyOf(argTypes);
        table = table == null ? null : List.copyOf(table);
    }

    public static ObjectRef of(List<String> name) {
        return new ObjectRef(name, null, null);
    }
}
