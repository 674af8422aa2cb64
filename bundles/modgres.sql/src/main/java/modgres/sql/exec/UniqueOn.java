package modgres.sql.exec;

import java.util.List;

/**
 * Unique for {@code SELECT DISTINCT ON (exprs)} (PostgreSQL's nodeUnique.c
 * over sorted input): the first row of each run of rows whose DISTINCT ON
 * values are equal (NULLs equal), which the Sort below has made adjacent in
 * the query's ORDER BY order.
 */
final class UniqueOn extends Plan {
    final Plan child;
    final int[] keys;
    private Object[] last;

    UniqueOn(Plan child, int[] keys) {
        super(child.columns);
        this.child = child;
        this.keys = keys;
        estimate(child.startupCost, child.totalCost + child.rows * 0.0025 * keys.length,
                Math.max(1, child.rows / 10));
    }

    @Override
    protected void doOpen(ExecState ex) {
        last = null;
        child.open(ex);
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
            ex.tick();
            if (last == null || !same(last, r, ex)) {
                last = r.clone();
                return r;
            }
        }
        return null;
    }

    private boolean same(Object[] a, Object[] b, ExecState ex) {
        for (int k : keys) {
            Object x = a[k];
            Object y = b[k];
            if (x == null || y == null) {
                if (x != y) {
                    return false;
                }
            } else if (ex.types.compare(columns.get(k).type(), x, y) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String label() {
        return "Unique";
    }

    @Override
    public List<Plan> children() {
        return List.of(child);
    }
}
