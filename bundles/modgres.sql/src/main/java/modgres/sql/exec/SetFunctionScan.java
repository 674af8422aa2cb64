package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.Expr;
import modgres.sql.ast.FromItem;

/**
 * A user-defined function returning rows in FROM ({@code FROM f(1) AS t(a, b) [WITH ORDINALITY]}): the
 * arguments are evaluated at each open (so a lateral reference sees the current outer row), the function
 * returns its rows at once, and they are read in order. A strict function with a NULL argument returns no
 * rows. PostgreSQL's FunctionScan materialises the result the same way (a tuplestore).
 */
final class SetFunctionScan extends Plan {
    private final Ev[] args;
    private final TypeSystem.SetFn fn;
    private final boolean ordinality;
    private List<Object[]> rows;
    private int next;

    private SetFunctionScan(List<OutCol> cols, Ev[] args, TypeSystem.SetFn fn, boolean ordinality) {
        super(cols);
        this.args = args;
        this.fn = fn;
        this.ordinality = ordinality;
        estimate(0, 10, 1000);
    }

    /** The scan for a user-defined set-returning function in FROM, or null when the call is not one. */
    static Plan plan(Compiler c, TypeSystem ts, FromItem.Function item, Expr.FuncCall call, String name) {
        if (item.rowsFrom() || !item.columnDefs().isEmpty() || !item.functions().get(0).columnDefs().isEmpty()) {
            return null;
        }
        List<Compiler.C> compiled = new ArrayList<>();
        for (Expr a : call.args()) {
            compiled.add(c.compile(a));
        }
        int[] types = compiled.stream().mapToInt(Compiler.C::type).toArray();
        TypeSystem.SetFn fn = SetFunctions.find(ts, call.name(), types);
        if (fn == null) {
            return null;
        }
        Ev[] evs = new Ev[compiled.size()];
        for (int i = 0; i < evs.length; i++) {
            evs[i] = c.coerce(compiled.get(i), fn.argTypes()[i], -1, TypeSystem.CastContext.IMPLICIT, null).ev();
        }
        List<String> aliases = item.alias() != null ? item.alias().columns() : List.of();
        int n = fn.columnTypes().length;
        if (aliases.size() > n + (item.ordinality() ? 1 : 0)) {
            throw new PgException("42P10", "table \"" + name + "\" has " + n + " columns available but "
                    + aliases.size() + " columns specified");
        }
        List<OutCol> cols = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String col = i < aliases.size() ? aliases.get(i)
                    : n == 1 && fn.columnNames().get(0) == null ? name : fn.columnNames().get(i);
            cols.add(OutCol.of(col, fn.columnTypes()[i]));
        }
        if (item.ordinality()) {
            cols.add(OutCol.of(aliases.size() > n ? aliases.get(n) : "ordinality", Compiler.INT8));
        }
        return new SetFunctionScan(cols, evs, fn, item.ordinality());
    }

    @Override
    protected void doOpen(ExecState ex) {
        Object[] values = new Object[args.length];
        rows = null;
        for (int i = 0; i < values.length; i++) {
            values[i] = args[i].eval(null, ex);
            if (values[i] == null && fn.strict()) {
                rows = List.of();
            }
        }
        if (rows == null) {
            rows = fn.impl().apply(values, ex);
        }
        next = 0;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        if (next >= rows.size()) {
            return null;
        }
        Object[] r = rows.get(next++);
        if (!ordinality) {
            return r.clone();
        }
        Object[] out = java.util.Arrays.copyOf(r, r.length + 1);
        out[r.length] = (long) next;
        return out;
    }

    @Override
    public String label() {
        return "Function Scan on " + fn.name();
    }
}
