package modgres.sql.exec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import modgres.api.error.PgException;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.TypeName;

/*
 * Design notes: the options of CREATE SEQUENCE and ALTER SEQUENCE (PostgreSQL's
 * init_params in sequence.c), applied to a sequence's parameters.
 *
 * One pass reads the options (each at most once: 42601 "conflicting or
 * redundant options" at the second), then the parameters are settled in
 * PostgreSQL's order, because each step reads the ones before it:
 *
 *   AS type -> INCREMENT -> CYCLE -> MAXVALUE -> MINVALUE -> (MIN < MAX)
 *     -> START (within bounds) -> RESTART / current value (within bounds) -> CACHE
 *
 * CREATE (init) starts from nothing: unset bounds are the type's (ascending)
 * or -1 / the type's minimum (descending), START is the lower bound
 * (ascending) or the upper one. ALTER starts from the stored parameters and
 * changes only what it names; NO MINVALUE / NO MAXVALUE go back to the
 * defaults for the current increment; AS a new type moves a bound that was
 * the old type's limit to the new type's limit. The sequence's current value
 * must stay within the bounds (it is reported as the RESTART value, as in
 * PostgreSQL). Every option but START and OWNED BY changes what the
 * sequence's row means, so ALTER then gives the sequence a new file
 * ({@link Result#rewrite()}).
 */
/** CREATE/ALTER SEQUENCE options applied to a sequence's parameters: see the design notes. */
public final class SequenceOptions {
    private static final int INT2 = 21;
    private static final int INT4 = 23;
    private static final int INT8 = 20;

    private SequenceOptions() {
    }

    /**
     * The settled parameters.
     *
     * @param def       start, increment, bounds, cache, cycle
     * @param type      the sequence's data type (int2, int4 or int8)
     * @param lastValue the row's last_value afterwards (START for a new sequence, RESTART's value)
     * @param restarted RESTART was given (or the sequence is new): is_called becomes false
     * @param rewrite   ALTER changed what the row means: the sequence gets a new file
     * @param ownedBy   OWNED BY's name (empty for NONE), null when not given
     */
    public record Result(Sequences.Def def, int type, long lastValue, boolean restarted, boolean rewrite,
            List<String> ownedBy) {
    }

    /**
     * Applies {@code options}. {@code old}/{@code oldType}/{@code lastValue} describe the existing sequence
     * (ignored when {@code init}); {@code typeOf} resolves AS's type name to its OID.
     */
    public static Result apply(List<DefElem> options, boolean init, Sequences.Def old, int oldType, long lastValue,
            int defaultType, Function<TypeName, Integer> typeOf) {
        DefElem as = null;
        DefElem increment = null;
        DefElem minValue = null;
        DefElem maxValue = null;
        DefElem start = null;
        DefElem restart = null;
        DefElem cache = null;
        DefElem cycle = null;
        List<String> ownedBy = null;
        boolean rewrite = false;
        Set<String> seen = new HashSet<>();
        for (DefElem d : options) {
            String name = d.name();
            if (!name.equals("logged") && !name.equals("unlogged") && !seen.add(name)) {
                throw new PgException("42601", "conflicting or redundant options", null, null, d.position(), null);
            }
            switch (name) {
                case "as" -> {
                    as = d;
                    rewrite = true;
                }
                case "increment" -> {
                    increment = d;
                    rewrite = true;
                }
                case "minvalue" -> {
                    minValue = d;
                    rewrite = true;
                }
                case "maxvalue" -> {
                    maxValue = d;
                    rewrite = true;
                }
                case "start" -> start = d;
                case "restart" -> {
                    restart = d;
                    rewrite = true;
                }
                case "cache" -> {
                    cache = d;
                    rewrite = true;
                }
                case "cycle" -> {
                    cycle = d;
                    rewrite = true;
                }
                case "owned_by" -> ownedBy = d.value() instanceof DefElem.Name n ? n.parts() : List.of();
                case "sequence_name", "logged", "unlogged" -> {
                    // the name of an identity column's sequence is the caller's; persistence is not modelled
                }
                default -> throw new PgException("42601", "option \"" + name + "\" not recognized", null, null,
                        d.position(), null);
            }
        }

        // AS type
        int type = init ? defaultType : oldType;
        boolean resetMax = false;
        boolean resetMin = false;
        if (as != null) {
            int t = as.value() instanceof DefElem.Type tn ? typeOf.apply(tn.type()) : 0;
            if (t != INT2 && t != INT4 && t != INT8) {
                throw new PgException("22023", "sequence type must be smallint, integer, or bigint");
            }
            if (!init) {
                resetMax = old.max() == typeMax(oldType);
                resetMin = old.min() == typeMin(oldType);
            }
            type = t;
        }

        long inc = increment != null ? number(increment) : init ? 1 : old.increment();
        if (inc == 0) {
            throw new PgException("22023", "INCREMENT must not be zero");
        }
        boolean cyc = cycle != null ? isTrue(cycle) : !init && old.cycle();

        long max;
        if (maxValue != null && maxValue.value() != null) {
            max = number(maxValue);
        } else if (init || maxValue != null || resetMax) {
            max = inc > 0 || resetMax ? typeMax(type) : -1;
        } else {
            max = old.max();
        }
        if (max < typeMin(type) || max > typeMax(type)) {
            throw new PgException("22023", "MAXVALUE (" + max + ") is out of range for sequence data type "
                    + typeName(type));
        }

        long min;
        if (minValue != null && minValue.value() != null) {
            min = number(minValue);
        } else if (init || minValue != null || resetMin) {
            min = inc > 0 && !resetMin ? 1 : typeMin(type);
        } else {
            min = old.min();
        }
        if (min < typeMin(type) || min > typeMax(type)) {
            throw new PgException("22023", "MINVALUE (" + min + ") is out of range for sequence data type "
                    + typeName(type));
        }
        if (min >= max) {
            throw new PgException("22023", "MINVALUE (" + min + ") must be less than MAXVALUE (" + max + ")");
        }

        long st = start != null ? number(start) : init ? (inc > 0 ? min : max) : old.start();
        if (st < min) {
            throw new PgException("22023", "START value (" + st + ") cannot be less than MINVALUE (" + min + ")");
        }
        if (st > max) {
            throw new PgException("22023", "START value (" + st + ") cannot be greater than MAXVALUE (" + max + ")");
        }

        long last = lastValue;
        boolean restarted = init;
        if (restart != null) {
            last = restart.value() != null ? number(restart) : st;
            restarted = true;
        } else if (init) {
            last = st;
        }
        if (last < min) {
            throw new PgException("22023", "RESTART value (" + last + ") cannot be less than MINVALUE (" + min + ")");
        }
        if (last > max) {
            throw new PgException("22023", "RESTART value (" + last + ") cannot be greater than MAXVALUE (" + max
                    + ")");
        }

        long cacheValue = cache != null ? number(cache) : init ? 1 : old.cache();
        if (cacheValue <= 0) {
            throw new PgException("22023", "CACHE (" + cacheValue + ") must be greater than zero");
        }
        return new Result(new Sequences.Def(st, inc, min, max, cacheValue, cyc), type, last, restarted,
                rewrite && !init, ownedBy);
    }

    private static long number(DefElem d) {
        String v = d.value() instanceof DefElem.Num n ? n.value() : String.valueOf(d.value());
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new PgException("22003", "value \"" + v + "\" is out of range for type bigint");
        }
    }

    private static boolean isTrue(DefElem d) {
        String v = d.value() instanceof DefElem.Name n && n.parts().size() == 1 ? n.parts().get(0)
                : d.value() instanceof DefElem.Str s ? s.value() : d.value() == null ? "true" : d.value().toString();
        return !v.equals("false") && !v.equals("0") && !v.equals("off");
    }

    static long typeMax(int type) {
        return type == INT2 ? Short.MAX_VALUE : type == INT4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
    }

    static long typeMin(int type) {
        return type == INT2 ? Short.MIN_VALUE : type == INT4 ? Integer.MIN_VALUE : Long.MIN_VALUE;
    }

    private static String typeName(int type) {
        return type == INT2 ? "smallint" : type == INT4 ? "integer" : "bigint";
    }
}
