package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * A nested loop whose inner side is a LATERAL subquery in FROM: for each
 * outer row the subquery runs again with that row visible to it as its
 * enclosing row (as a correlated subquery sees its query's row), and each of
 * its rows is joined to it; LEFT keeps an outer row the subquery gives nothing
 * for, with NULLs. PostgreSQL plans the same as a Nested Loop over a
 * parameterised Subquery Scan.
 */
final class LateralJoin extends Plan {
    private final Plan outer;
    private final Plan inner;
    private final boolean left;
    private final int innerWidth;
    private Object[] current;
    private boolean matched;

    LateralJoin(Plan outer, Plan inner, boolean left) {
        super(concat(outer.columns, inner.columns));
        this.outer = outer;
        this.inner = inner;
        this.left = left;
        this.innerWidth = inner.columns.size();
        estimate(outer.startupCost + inner.startupCost, outer.totalCost + outer.rows * inner.totalCost,
                outer.rows * Math.max(1, inner.rows));
    }

    private static List<OutCol> concat(List<OutCol> a, List<OutCol> b) {
        List<OutCol> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    protected void doOpen(ExecState ex) {
        outer.open(ex);
        current = null;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        while (true) {
            if (current == null) {
                current = outer.next(ex);
                if (current == null) {
                    return null;
                }
                matched = false;
                ex.pushOuter(current);
                try {
                    inner.open(ex);
                } finally {
                    ex.popOuter();
                }
            }
            Object[] r;
            ex.pushOuter(current);
            try {
                r = inner.next(ex);
            } finally {
                ex.popOuter();
            }
            if (r != null) {
                matched = true;
                Object[] out = new Object[current.length + innerWidth];
                System.arraycopy(current, 0, out, 0, current.length);
                System.arraycopy(r, 0, out, current.length, innerWidth);
                return out;
            }
            Object[] done = current;
            current = null;
            if (left && !matched) {
                Object[] out = new Object[done.length + innerWidth];
                System.arraycopy(done, 0, out, 0, done.length);
                return out;
            }
        }
    }

    @Override
    public List<Plan> children() {
        return List.of(outer, inner);
    }

    @Override
    public String label() {
        return left ? "Nested Loop Left Join" : "Nested Loop";
    }
}
