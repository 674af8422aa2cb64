package modgres.sql.types;

import java.util.Arrays;

/**
 * One built-in operator, function or aggregate: a pg_operator / pg_proc row
 * (name, declared argument types, result type, the internal function name,
 * strictness, volatility) and its implementation. Argument types may be
 * pseudo-types (anyelement, anyarray, "any"); {@link Resolved} carries the
 * concrete ones of a call.
 */
public final class Routine {
    /** What the row is. */
    public enum Kind { OPERATOR, FUNCTION, AGGREGATE }

    /** The implementation: arguments already coerced to the resolved argument types. */
    @FunctionalInterface
    public interface Impl {
        Object apply(Object[] args, Type[] argTypes, SessionContext ctx);
    }

    private final String name;
    private final Kind kind;
    private final Type[] argTypes;
    private final Type result;
    private final String proc;
    private final boolean strict;
    private final char volatility;
    private final boolean variadicAny;
    Impl impl;

    Routine(String name, Kind kind, Type[] argTypes, Type result, String proc, boolean strict, char volatility,
            boolean variadicAny) {
        this.name = name;
        this.kind = kind;
        this.argTypes = argTypes;
        this.result = result;
        this.proc = proc;
        this.strict = strict;
        this.volatility = volatility;
        this.variadicAny = variadicAny;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Declared argument types (copy); for an operator [left, right] or [right] when prefix. */
    public Type[] argTypes() {
        return argTypes.clone();
    }

    int nargs() {
        return argTypes.length;
    }

    Type arg(int i) {
        return argTypes[i];
    }

    /** Declared result type (may be a pseudo-type; see Resolved.resultType()). */
    public Type result() {
        return result;
    }

    /** PostgreSQL's internal function name (pg_proc.prosrc), e.g. int4pl; a descriptive key for SQL functions. */
    public String proc() {
        return proc;
    }

    /** Strict: any NULL argument gives NULL without calling the implementation. */
    public boolean strict() {
        return strict;
    }

    /** 'i' immutable, 's' stable, 'v' volatile. */
    public char volatility() {
        return volatility;
    }

    /** True for VARIADIC "any" (concat, format, num_nulls): the last declared argument repeats. */
    public boolean variadicAny() {
        return variadicAny;
    }

    /** Calls the implementation, honouring strictness. */
    public Object invoke(Object[] args, Type[] argTypes, SessionContext ctx) {
        if (strict) {
            for (Object a : args) {
                if (a == null) {
                    return null;
                }
            }
        }
        if (impl == null) {
            throw Errors.feature("function " + name + " is not implemented");
        }
        return impl.apply(args, argTypes, ctx);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < argTypes.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(argTypes[i].sqlName());
        }
        return sb.append(") → ").append(result.sqlName()).append(" [").append(proc).append(']').toString();
    }

    /**
     * A routine chosen for a call: the concrete argument types to coerce to, and the result type.
     * {@code spreadLast}: the call passed {@code VARIADIC array} to a VARIADIC "any" routine; the
     * last argument is that array, spread over the variadic parameter at invocation.
     */
    public record Resolved(Routine routine, Type[] argTypes, Type resultType, boolean spreadLast) {
        public Resolved(Routine routine, Type[] argTypes, Type resultType) {
            this(routine, argTypes, resultType, false);
        }

        /** Calls the routine with arguments already coerced to {@link #argTypes()}. */
        public Object invoke(Object[] args, SessionContext ctx) {
            if (!spreadLast) {
                return routine.invoke(args, argTypes, ctx);
            }
            int fixed = args.length - 1;
            PgArray arr = (PgArray) args[fixed];
            Object[] fixedArgs = Arrays.copyOf(args, fixed);
            Type[] fixedTypes = Arrays.copyOf(argTypes, fixed);
            if (arr == null) {
                // format() treats VARIADIC NULL as no arguments; the others return NULL
                return routine.proc().equals("text_format") ? routine.invoke(fixedArgs, fixedTypes, ctx) : null;
            }
            Object[] all = Arrays.copyOf(fixedArgs, fixed + arr.values().length);
            Type[] types = Arrays.copyOf(fixedTypes, fixed + arr.values().length);
            for (int i = 0; i < arr.values().length; i++) {
                all[fixed + i] = arr.values()[i];
                types[fixed + i] = arr.elem();
            }
            return routine.invoke(all, types, ctx);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Resolved r && r.routine == routine && Arrays.equals(r.argTypes, argTypes)
                    && r.resultType.equals(resultType) && r.spreadLast == spreadLast;
        }

        @Override
        public int hashCode() {
            return routine.hashCode() * 31 + Arrays.hashCode(argTypes);
        }
    }
}
