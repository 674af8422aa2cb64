package modgres.sql.exec;

import java.util.List;

/**
 * A query level whose WHERE folded to constant FALSE or NULL (PostgreSQL's dummy relation): no rows, and
 * nothing below it runs. EXPLAIN shows PostgreSQL's "Result" with "One-Time Filter: false" and hides the
 * plan it replaces, which was built only to check the query (names, types, privileges).
 */
final class OneTimeFalse extends Plan {
    private final Plan replaced;

    OneTimeFalse(Plan replaced) {
        super(replaced.columns);
        this.replaced = replaced;
        this.startupCost = 0;
        this.totalCost = 0;
        this.rows = 0;
        this.width = 0;
    }

    @Override
    protected void doOpen(ExecState ex) {
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        return null;
    }

    @Override
    public void close() {
        PlanReset.closeTree(replaced);
    }

    @Override
    public String label() {
        return "Result";
    }

    @Override
    public List<String> details(boolean analyze) {
        return List.of("One-Time Filter: false");
    }
}
