package modgres.sql.ast;

import java.util.List;

/**
 * A generic option {@code [namespace.]name [= value]}, as in storage
 * parameters ({@code fillfactor = 70}), COPY, EXPLAIN, VACUUM, sequence,
 * role and database options. value is null for a bare name.
 */
public record DefElem(int position, String namespace, String name, Value value) implements Node {

    public static DefElem of(int position, String name, Value value) {
        return new DefElem(position, null, name, value);
    }

    /** An option's value. */
    public sealed interface Value {
    }

    /** A name or key word ({@code on}, {@code csv}, {@code t.col}). */
    public record Name(List<String> parts) implements Value {
        public Name {
            parts = List.copyOf(parts);
        }

        public static Name of(String word) {
            return new Name(List.of(word));
        }
    }

    /** A string constant. */
    public record Str(String value) implements Value {
    }

    /** A number, with its sign, as written. */
    public record Num(String value) implements Value {
    }

    /** A type name ({@code AS bigint} of a sequence). */
    public record Type(TypeName type) implements Value {
    }

    /** A parenthesised list ({@code FORCE_QUOTE (a, b)}). */
    public record Lst(List<Value> values) implements Value {
        public Lst {
            values = List.copyOf(values);
        }
    }

    /** {@code *} ({@code FORCE_QUOTE *}). */
    public record Star() implements Value {
    }

    /** An operator. */
    public record Op(OperatorName op) implements Value {
    }

    /** The value as text (a name joined with dots), or null for a bare option. */
    public String stringValue() {
        if (value == null) {
            return null;
        }
        if (value instanceof Name n) {
            return String.join(".", n.parts());
        }
        if (value instanceof Str s) {
            return s.value();
        }
        if (value instanceof Num n) {
            return n.value();
        }
        return value.toString();
    }
}
