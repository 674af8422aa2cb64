package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/*
 * Design notes: PostgreSQL's Named Tuplestore Scan (an ephemeral named
 * relation), here the transition tables of a trigger (REFERENCING OLD TABLE
 * AS o NEW TABLE AS n) as the trigger function's SQL reads them.
 *
 * The name is resolved like a WITH query of the statement (it is put in the
 * planner's scope of WITH queries, so a real WITH query of the same name
 * hides it, and views never see it). A plan is cached across firings of the
 * trigger, so the node does not hold rows: it asks its supplier for the rows
 * of the firing now running each time it is opened. Rows are the captured
 * row versions in the layout of the table the statement named (its live
 * columns).
 */
/** A scan of a named tuplestore (a trigger's transition table); see the design notes. */
public final class NamedTuplestoreScan extends Plan {
    private final Supplier<List<Object[]>> rows;
    private List<Object[]> current;
    private int pos;

    private NamedTuplestoreScan(List<OutCol> columns, Supplier<List<Object[]>> rows) {
        super(columns);
        this.rows = rows;
        estimate(0, 10, 100);
    }

    /**
     * Makes {@code name} readable in what {@code planner} plans: columns {@code names} of {@code types}, rows
     * from {@code rows} at each execution.
     */
    public static void register(Planner planner, String name, List<String> names, int[] types,
            Supplier<List<Object[]>> rows) {
        List<OutCol> cols = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            cols.add(OutCol.of(names.get(i), types[i]));
        }
        planner.ctes.put(name, new CteScan.Shared(new NamedTuplestoreScan(cols, rows), name, false));
    }

    @Override
    protected void doOpen(ExecState ex) {
        current = rows.get();
        pos = 0;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        if (current == null || pos >= current.size()) {
            return null;
        }
        ex.tick();
        return current.get(pos++).clone();
    }

    @Override
    public String label() {
        return "Named Tuplestore Scan";
    }
}
