package modgres.sql.engine;

/**
 * A compiled expression: its type, how to compute it, the label
 * PostgreSQL's FigureColname would give it (with its strength: 0 none,
 * 1 weak such as {@code case}, 2 strong such as a function name), and for an
 * untyped literal or parameter, what it is (so that it can be coerced).
 */
record Typed(PgType type, Ev ev, String label, int strength, String literal, int paramIndex, int position) {

    /** Evaluation of a compiled expression. */
    @FunctionalInterface
    interface Ev {
        Object eval(EvalContext c);
    }

    static Typed of(PgType type, Ev ev, String label, int strength, int position) {
        return new Typed(type, ev, label, strength, null, -1, position);
    }

    Typed relabel(String l, int s) {
        return new Typed(type, ev, l, s, literal, paramIndex, position);
    }

    boolean isUnknownLiteral() {
        return type == PgType.UNKNOWN && paramIndex < 0;
    }
}
