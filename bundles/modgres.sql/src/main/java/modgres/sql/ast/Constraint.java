package modgres.sql.ast;

import java.util.List;

/**
 * A column or table constraint: {@code [CONSTRAINT name] spec [attributes]}.
 * Column constraints name no columns (the column is implied); a NOT NULL,
 * NULL, DEFAULT, identity or generated "constraint" is only a column
 * constraint.
 *
 * @param name  null when not named
 * @param attrs DEFERRABLE / INITIALLY / NOT VALID; {@link Attributes#NONE} when none was written
 */
public record Constraint(int position, String name, Spec spec, Attributes attrs) implements TableElement {

    /** Deferrability and validation of a constraint. */
    public record Attributes(boolean deferrable, boolean initiallyDeferred, boolean notValid) {
        public static final Attributes NONE = new Attributes(false, false, false);
    }

    public enum FkMatch { SIMPLE, FULL, PARTIAL }

    public enum FkAction {
        NO_ACTION("NO ACTION"), RESTRICT("RESTRICT"), CASCADE("CASCADE"), SET_NULL("SET NULL"),
        SET_DEFAULT("SET DEFAULT");

        public final String sql;

        FkAction(String sql) {
            this.sql = sql;
        }
    }

    /** What the constraint requires. */
    public sealed interface Spec {
    }

    public record NotNull() implements Spec {
    }

    public record Null() implements Spec {
    }

    /** {@code DEFAULT expr}. */
    public record Default(Expr expr) implements Spec {
    }

    /** {@code CHECK (expr) [NO INHERIT]}. */
    public record Check(Expr expr, boolean noInherit) implements Spec {
    }

    /**
     * {@code UNIQUE [NULLS NOT DISTINCT] (cols) [INCLUDE (cols)] [WITH (...)] [USING INDEX TABLESPACE t]}
     * or {@code UNIQUE USING INDEX name} (usingIndex non-null).
     */
    public record Unique(boolean nullsNotDistinct, List<String> columns, List<String> include,
            List<DefElem> options, String tablespace, String usingIndex) implements Spec {
        public Unique {
            columns = List.copyOf(columns);
            include = List.copyOf(include);
            options = List.copyOf(options);
        }
    }

    /** {@code PRIMARY KEY (cols) [INCLUDE ...] [WITH ...] [USING INDEX TABLESPACE t]} or {@code ... USING INDEX name}. */
    public record PrimaryKey(List<String> columns, List<String> include, List<DefElem> options, String tablespace,
            String usingIndex) implements Spec {
        public PrimaryKey {
            columns = List.copyOf(columns);
            include = List.copyOf(include);
            options = List.copyOf(options);
        }
    }

    /**
     * {@code [FOREIGN KEY (cols)] REFERENCES table [(cols)] [MATCH m]
     * [ON DELETE action [(cols)]] [ON UPDATE action]}.
     */
    public record ForeignKey(List<String> columns, RangeVar refTable, List<String> refColumns, FkMatch match,
            FkAction onDelete, List<String> onDeleteColumns, FkAction onUpdate) implements Spec {
        public ForeignKey {
            columns = List.copyOf(columns);
            refColumns = List.copyOf(refColumns);
            onDeleteColumns = List.copyOf(onDeleteColumns);
        }
    }

    /** {@code GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(sequence options)]}. */
    public record Identity(boolean always, List<DefElem> options) implements Spec {
        public Identity {
            options = List.copyOf(options);
        }
    }

    /** {@code GENERATED ALWAYS AS (expr) STORED}. */
    public record Generated(Expr expr) implements Spec {
    }

    /** One element of an EXCLUDE constraint: {@code elem WITH op}. */
    public record ExclusionElem(IndexElem element, OperatorName op) {
    }

    /** {@code EXCLUDE [USING method] (elem WITH op, ...) [INCLUDE ...] [WITH ...] [USING INDEX TABLESPACE t] [WHERE (pred)]}. */
    public record Exclude(String accessMethod, List<ExclusionElem> elements, List<String> include,
            List<DefElem> options, String tablespace, Expr where) implements Spec {
        public Exclude {
            elements = List.copyOf(elements);
            include = List.copyOf(include);
            options = List.copyOf(options);
        }
    }

    public Constraint withAttrs(Attributes a) {
        return new Constraint(position, name, spec, a);
    }
}
