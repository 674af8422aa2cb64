package modgres.sql.exec;

/*
 * Design notes: the built-in set-returning functions.
 *
 * One place resolves a set-returning call by name and argument types, for
 * both places PostgreSQL allows one: FROM (Planner.functionScan, through
 * SetFunctionScan) and the SELECT list (ProjectSet). Built-ins are looked at
 * first (they live in pg_catalog, which is searched first), then the user's
 * SETOF functions (TypeSystem.setFunction).
 *
 * The built-ins return their rows at once, like PostgreSQL's FunctionScan
 * (a tuplestore). generate_series over integers in FROM keeps its own
 * streaming node (Planner.GenerateSeries) because series of millions of
 * rows are a common way to make test data; here it serves the SELECT list
 * and the other argument types. The generic generate_series (numeric,
 * timestamp, timestamptz) steps with the type system's own "+" and
 * comparison operators, so it needs no per-type arithmetic of its own.
 */

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import modgres.api.error.PgException;
import modgres.sql.types.PgArray;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/** Resolution of set-returning functions; see the design notes. */
final class SetFunctions {
    private SetFunctions() {
    }

    private static final int INT2 = 21, INT4 = 23, INT8 = 20, NUMERIC = 1700, TIMESTAMP = 1114,
            TIMESTAMPTZ = 1184, INTERVAL = 1186, TEXT = 25, UNKNOWN = 705, BOOL = 16;

    /**
     * The set-returning function {@code name} (possibly qualified by pg_catalog or pg_temp, as given) for
     * these argument types, or null when there is none.
     */
    static TypeSystem.SetFn find(TypeSystem ts, List<String> qualified, int[] args) {
        String name = qualified.get(qualified.size() - 1).toLowerCase(Locale.ROOT);
        boolean builtinName = qualified.size() == 1
                || qualified.size() == 2 && qualified.get(0).equals("pg_catalog");
        if (builtinName) {
            TypeSystem.SetFn b = builtin(ts, name, args);
            if (b != null) {
                return b;
            }
        }
        if (qualified.size() == 2 && qualified.get(0).equals("pg_catalog")) {
            return null;
        }
        String lookup = qualified.size() == 2 && qualified.get(0).equals("pg_temp") ? "pg_temp." + name : name;
        return ts.setFunction(lookup, args);
    }

    private static TypeSystem.SetFn builtin(TypeSystem ts, String name, int[] args) {
        switch (name) {
            case "generate_series":
                return generateSeries(ts, args);
            case "unnest":
                if (args.length == 1) {
                    Type at = Types.byOid(args[0]);
                    if (at != null && at.isArray()) {
                        return new TypeSystem.SetFn("unnest", args.clone(), listOfNull(), new int[] {at.elemOid()},
                                true, (a, ex) -> {
                                    List<Object[]> rows = new ArrayList<>();
                                    for (Object v : ((PgArray) a[0]).values()) {
                                        rows.add(new Object[] {v});
                                    }
                                    return rows;
                                });
                    }
                }
                return null;
            case "generate_subscripts":
                return generateSubscripts(args);
            case "pg_partition_ancestors":
                return ts.setFunction(name, args); // the session's catalog knows the partition tree
            case "string_to_table":
                return stringToTable(ts, args);
            default:
                return null;
        }
    }

    private static List<String> listOfNull() {
        List<String> l = new ArrayList<>();
        l.add(null);
        return l;
    }

    /** generate_series(start, stop [, step]) over int4, int8, numeric, timestamp, timestamptz. */
    private static TypeSystem.SetFn generateSeries(TypeSystem ts, int[] args) {
        if (args.length < 2 || args.length > 3) {
            return null;
        }
        boolean ints = true;
        boolean int8 = false;
        boolean numeric = false;
        for (int t : args) {
            ints &= t == INT2 || t == INT4 || t == INT8 || t == UNKNOWN;
            int8 |= t == INT8;
            numeric |= t == NUMERIC;
        }
        if (ints) {
            int type = int8 ? INT8 : INT4;
            int[] at = new int[args.length];
            java.util.Arrays.fill(at, type);
            return new TypeSystem.SetFn("generate_series", at, listOfNull(), new int[] {type}, true, (a, ex) -> {
                long cur = ((Number) a[0]).longValue();
                long stop = ((Number) a[1]).longValue();
                long step = a.length > 2 ? ((Number) a[2]).longValue() : 1;
                if (step == 0) {
                    throw new PgException("22023", "step size cannot equal zero");
                }
                List<Object[]> rows = new ArrayList<>();
                while (step > 0 ? cur <= stop : cur >= stop) {
                    rows.add(new Object[] {type == INT4 ? (Object) (int) cur : (Object) cur});
                    ex.tick();
                    long next = cur + step;
                    if (((cur ^ next) & (step ^ next)) < 0) { // overflow: the series ends
                        break;
                    }
                    cur = next;
                }
                return rows;
            });
        }
        int type;
        int stepType;
        if (numeric && allIn(args, NUMERIC, INT2, INT4, INT8, UNKNOWN)) {
            type = NUMERIC;
            stepType = NUMERIC;
        } else if (args.length == 3 && allIn(new int[] {args[0], args[1]}, TIMESTAMP, UNKNOWN)
                && args[0] + args[1] != 2 * UNKNOWN && (args[2] == INTERVAL || args[2] == UNKNOWN)) {
            type = TIMESTAMP;
            stepType = INTERVAL;
        } else if (args.length == 3 && allIn(new int[] {args[0], args[1]}, TIMESTAMPTZ, UNKNOWN)
                && args[0] + args[1] != 2 * UNKNOWN && (args[2] == INTERVAL || args[2] == UNKNOWN)) {
            type = TIMESTAMPTZ;
            stepType = INTERVAL;
        } else {
            return null;
        }
        TypeSystem.Fn plus = ts.operator("+", type, stepType);
        TypeSystem.Fn le = ts.operator("<=", type, type);
        TypeSystem.Fn ge = ts.operator(">=", type, type);
        TypeSystem.Fn lt = ts.operator("<", stepType, stepType);
        TypeSystem.Fn eq = ts.operator("=", stepType, stepType);
        int[] at = args.length == 3 ? new int[] {type, type, stepType} : new int[] {type, type};
        return new TypeSystem.SetFn("generate_series", at, listOfNull(), new int[] {type}, true, (a, ex) -> {
            Object zero = ts.input(stepType, -1, "0", ex);
            Object step = a.length > 2 ? a[2] : ts.input(stepType, -1, "1", ex);
            if (Boolean.TRUE.equals(eq.impl().apply(new Object[] {step, zero}, ex))) {
                throw new PgException("22023", "step size cannot equal zero");
            }
            boolean down = Boolean.TRUE.equals(lt.impl().apply(new Object[] {step, zero}, ex));
            TypeSystem.Fn cmp = down ? ge : le;
            List<Object[]> rows = new ArrayList<>();
            Object cur = a[0];
            while (Boolean.TRUE.equals(cmp.impl().apply(new Object[] {cur, a[1]}, ex))) {
                rows.add(new Object[] {cur});
                ex.tick();
                cur = plus.impl().apply(new Object[] {cur, step}, ex);
            }
            return rows;
        });
    }

    private static boolean allIn(int[] types, int... allowed) {
        for (int t : types) {
            boolean ok = false;
            for (int a : allowed) {
                ok |= t == a;
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** generate_subscripts(array, dim [, reverse]): the subscripts of one dimension. */
    private static TypeSystem.SetFn generateSubscripts(int[] args) {
        if (args.length < 2 || args.length > 3) {
            return null;
        }
        Type at = Types.byOid(args[0]);
        if (at == null || !at.isArray() || !allIn(new int[] {args[1]}, INT2, INT4, UNKNOWN)
                || args.length == 3 && !allIn(new int[] {args[2]}, BOOL, UNKNOWN)) {
            return null;
        }
        int[] types = args.length == 3 ? new int[] {args[0], INT4, BOOL} : new int[] {args[0], INT4};
        return new TypeSystem.SetFn("generate_subscripts", types, listOfNull(), new int[] {INT4}, true,
                (a, ex) -> {
                    PgArray arr = (PgArray) a[0];
                    int dim = (Integer) a[1];
                    boolean reverse = a.length > 2 && Boolean.TRUE.equals(a[2]);
                    List<Object[]> rows = new ArrayList<>();
                    if (dim < 1 || dim > arr.ndims()) {
                        return rows;
                    }
                    int lo = arr.lbounds()[dim - 1];
                    int hi = lo + arr.dims()[dim - 1] - 1;
                    for (int i = 0; i <= hi - lo; i++) {
                        rows.add(new Object[] {reverse ? hi - i : lo + i});
                    }
                    return rows;
                });
    }

    /** string_to_table(text, delimiter [, null string]): string_to_array's elements as rows. */
    private static TypeSystem.SetFn stringToTable(TypeSystem ts, int[] args) {
        if (args.length < 2 || args.length > 3 || !allIn(args, TEXT, UNKNOWN, 1043 /* varchar */)) {
            return null;
        }
        int[] at = args.length == 3 ? new int[] {TEXT, TEXT, TEXT} : new int[] {TEXT, TEXT};
        TypeSystem.Fn toArray = ts.function("string_to_array", at);
        // not strict: a NULL delimiter splits into characters, as string_to_array does
        return new TypeSystem.SetFn("string_to_table", at, listOfNull(), new int[] {TEXT}, false, (a, ex) -> {
            List<Object[]> rows = new ArrayList<>();
            if (a[0] == null) {
                return rows;
            }
            Object arr = toArray.impl().apply(a, ex);
            if (arr != null) {
                for (Object v : ((PgArray) arr).values()) {
                    rows.add(new Object[] {v});
                }
            }
            return rows;
        });
    }
}
