package modgres.sql.exec;

import java.util.List;

/**
 * A function that returns one value used in FROM ({@code FROM lower('X') AS
 * l(v) [WITH ORDINALITY]}): one row, the value (NULL included, as
 * PostgreSQL's function scan of a non-set-returning function returns it),
 * plus the ordinality column 1 when asked for. Re-evaluated at each open,
 * so a lateral reference to an outer row sees the current one.
 */
final class ScalarFunctionScan extends Plan {
    private final Ev call;
    private final boolean ordinality;
    private final String function;
    private boolean done;

    ScalarFunctionScan(List<OutCol> cols, Ev call, boolean ordinality, String function) {
        super(cols);
        this.call = call;
        this.ordinality = ordinality;
        this.function = function;
        estimate(0, 0.01, 1);
    }

    @Override
    protected void doOpen(ExecState ex) {
        done = false;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        if (done) {
            return null;
        }
        done = true;
        Object v = call.eval(null, ex);
        return ordinality ? new Object[] {v, 1L} : new Object[] {v};
    }

    @Override
    public String label() {
        return "Function Scan on " + function;
    }
}
