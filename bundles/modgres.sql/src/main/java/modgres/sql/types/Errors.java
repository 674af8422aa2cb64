package modgres.sql.types;

import modgres.api.error.PgException;

/** The PostgreSQL errors the type code raises, with their exact texts. */
final class Errors {
    private Errors() {
    }

    static PgException invalidSyntax(String typeName, String input) {
        return new PgException("22P02", "invalid input syntax for type " + typeName + ": \"" + input + "\"");
    }

    static PgException outOfRangeFor(String input, String typeName) {
        return new PgException("22003", "value \"" + input + "\" is out of range for type " + typeName);
    }

    static PgException outOfRange(String what) {
        return new PgException("22003", what + " out of range");
    }

    static PgException divisionByZero() {
        return new PgException("22012", "division by zero");
    }

    static PgException datetimeOutOfRange(String what) {
        return new PgException("22008", what + " out of range");
    }

    static PgException feature(String msg) {
        return new PgException("0A000", msg);
    }

    static PgException invalidParameter(String msg) {
        return new PgException("22023", msg);
    }
}
