package modgres.sql.exec;

import java.util.List;

/**
 * What the expression compiler needs of the type system: operator, function
 * and cast resolution with PostgreSQL's rules, and literal input. Errors are
 * thrown without a position; the compiler adds the expression's.
 */
public interface TypeSystem extends TypeSupport {

    /**
     * A resolved operator or function: the types its arguments must be coerced to, its result, its code,
     * and its volatility (pg_proc.provolatile: 'i' immutable calls over constants are folded at plan time).
     */
    record Fn(String name, int[] argTypes, int resultType, int resultTypmod, Impl impl, boolean strict,
            char volatility) {
        /** A routine of unknown volatility: treated as volatile (never folded). */
        public Fn(String name, int[] argTypes, int resultType, int resultTypmod, Impl impl, boolean strict) {
            this(name, argTypes, resultType, resultTypmod, impl, strict, 'v');
        }
    }

    /** The code of an operator or function over argument values (never null ones when strict). */
    @FunctionalInterface
    interface Impl {
        Object apply(Object[] args, ExecState ex);
    }

    /**
     * A function that returns rows (SETOF, RETURNS TABLE, OUT parameters) used in FROM: the types its
     * arguments must be coerced to, its result columns, and its code (all rows at once).
     */
    record SetFn(String name, int[] argTypes, List<String> columnNames, int[] columnTypes, boolean strict,
            SetImpl impl) {
    }

    /** The rows of a set-returning function for argument values. */
    @FunctionalInterface
    interface SetImpl {
        List<Object[]> apply(Object[] args, ExecState ex);
    }

    /** A user-defined function returning rows, by name and argument types; null when there is none. */
    default SetFn setFunction(String name, int[] args) {
        return null;
    }

    /** A conversion of a value from one type to another. */
    @FunctionalInterface
    interface Cast {
        Object apply(Object v, ExecState ex);
    }

    enum CastContext {
        IMPLICIT, ASSIGNMENT, EXPLICIT
    }

    /** Type OID of a type name (with array bounds giving the array type); throws 42704 when unknown. */
    int typeOid(List<String> names, boolean array);

    /** The typmod of a type name's modifiers (varchar(10), numeric(10,2)), -1 when none. */
    int typmod(int type, List<Integer> mods);

    /** format_type(type, typmod). */
    String format(int type, int typmod);

    /** A binary ({@code left} != 0) or prefix operator; 42883 when none matches. {@code 705} is unknown. */
    Fn operator(String name, int left, int right);

    /** A function by name and argument types; 42883 when none matches. */
    Fn function(String name, int[] args);

    /**
     * {@code name(a, ..., VARIADIC arr)}: the last argument, an array, spread over a VARIADIC "any"
     * parameter (concat, concat_ws, format, num_nulls, num_nonnulls); 42809 when it is not an array.
     */
    default Fn functionVariadic(String name, int[] args) {
        throw new modgres.api.error.PgException("0A000", "VARIADIC arguments are not supported here");
    }

    /**
     * A resolved aggregate: the types its arguments must be coerced to, its
     * result type, and a fresh running state per group (which takes the row's
     * argument value, or an Object[] of them when there are several, or
     * anything for {@code count(*)}).
     */
    record Agg(int[] argTypes, int resultType, java.util.function.Supplier<Aggregate.State> factory) {
    }

    /** True when {@code name} is an aggregate function. */
    boolean isAggregate(String name);

    /** An aggregate by name and argument types; 42883 when none matches. */
    Agg aggregate(String name, int[] args);

    /** A cast from one type to another in a context, or null when there is none. Includes typmod coercion. */
    Cast cast(int from, int to, int typmod, CastContext context);

    /** Text input of a literal for a type (22P02 etc.). */
    Object input(int type, int typmod, String text, ExecState ex);

    /** The common type of UNION/CASE/COALESCE branches (PostgreSQL's select_common_type); 42804 when none. */
    int commonType(int[] types, String context);

    /** Text output of a non-null value (DataRow text format, COPY). */
    String outputText(int type, Object v, ExecState ex);

    /** The category letter of a type (pg_type.typcategory). */
    char category(int type);

    /**
     * For a domain (CREATE DOMAIN): the check of its constraints (NOT NULL, CHECK, those of the domains it is
     * built on included) on a value of its base type, NULL included, returning the value; null for other types.
     */
    default Cast domainCheck(int type) {
        return null;
    }

    /** A domain's base type (the type its values are), through domains over domains; other types unchanged. */
    default int baseType(int type) {
        return type;
    }

    /** The typmod of a domain's base type ({@code CREATE DOMAIN d AS varchar(5)}: 9); -1 for other types. */
    default int baseTypmod(int type) {
        return -1;
    }

    /**
     * PostgreSQL's FuncNameAsType: the domain a one-argument call {@code name(x)} that matches no function
     * names, so that the call is a cast to it (an unqualified name never finds a temporary one); 0 when none.
     */
    default int functionNameAsType(List<String> names) {
        return 0;
    }

    /** A domain's DEFAULT (SQL text; through the domains it is built on); null when none or not a domain. */
    default String domainDefault(int type) {
        return null;
    }
}
