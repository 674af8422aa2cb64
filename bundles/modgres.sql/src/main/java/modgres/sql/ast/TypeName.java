package modgres.sql.ast;

import java.util.List;

/**
 * A type name as written in a cast, a column definition or a typed literal.
 * SQL-standard spellings are normalised as PostgreSQL's grammar does: the
 * name becomes {@code pg_catalog.int4}, {@code pg_catalog.varchar},
 * {@code pg_catalog.timestamptz} and so on, so that {@code integer},
 * {@code int} and {@code int4} differ only in whether the name is qualified.
 *
 * @param names          the (possibly qualified) name, lower case unless quoted
 * @param typmods        the type modifiers ({@code numeric(10,2)}: 10 and 2)
 * @param arrayBounds    one entry per array dimension, -1 where no bound was given; empty if not an array
 * @param setof          {@code SETOF type}
 * @param pctType        {@code name%TYPE}
 * @param intervalFields the fields of an interval ({@code DAY TO SECOND}), upper case, or null
 */
public record TypeName(int position, List<String> names, List<Expr> typmods, List<Integer> arrayBounds,
        boolean setof, boolean pctType, String intervalFields) implements Node {

    public TypeName {
        names = List.copyOf(names);
        typmods = List.copyOf(typmods);
        arrayBounds = List.copyOf(arrayBounds);
    }

    /** An unqualified or qualified type without modifiers. */
    public static TypeName of(int position, String... names) {
        return new TypeName(position, List.of(names), List.of(), List.of(), false, false, null);
    }

    /** {@code pg_catalog.<name>}, the form the grammar gives SQL-standard type names. */
    public static TypeName system(int position, String name) {
        return of(position, "pg_catalog", name);
    }

    /** The last part of the name ({@code int4} for {@code pg_catalog.int4}). */
    public String baseName() {
        return names.get(names.size() - 1);
    }

    /** Whether this is the system type {@code pg_catalog.<name>}. */
    public boolean isSystem(String name) {
        return names.size() == 2 && names.get(0).equals("pg_catalog") && names.get(1).equals(name);
    }

    public boolean isArray() {
        return !arrayBounds.isEmpty();
    }

    public TypeName withArrayBounds(List<Integer> bounds) {
        return new TypeName(position, names, typmods, bounds, setof, pctType, intervalFields);
    }

    public TypeName withSetof(int position, boolean setof) {
        return new TypeName(position, names, typmods, arrayBounds, setof, pctType, intervalFields);
    }

    public TypeName withTypmods(List<Expr> mods) {
        return new TypeName(position, names, mods, arrayBounds, setof, pctType, intervalFields);
    }
}
