package modgres.sql.exec;

/*
 * Design notes: set-returning functions in a SELECT list (PostgreSQL 10's
 * ProjectSet).
 *
 * The compiler of the SELECT list registers each set-returning call it meets
 * (Calls.add) and compiles it to a read of Calls.current[slot]. This node
 * sits directly under the query level's projection; for each input row it
 * runs every registered call once and then returns the input row as many
 * times as the longest result has rows, setting Calls.current to the k-th
 * value of each call (NULL for a call whose result is shorter) before each
 * return. The projection above evaluates its expressions at once on the
 * returned row, so it reads the values of this output row: nothing may
 * buffer rows between the two nodes. An input row for which every call
 * returns no rows produces no output row, as in PostgreSQL.
 *
 *   input row --> run calls --> n = max(rows) --> n x (set current, return row)
 *                     ^                                             |
 *                     +------------- next input row <---------------+
 */

import java.util.ArrayList;
import java.util.List;

/** Runs the set-returning functions of a SELECT list; see the design notes. */
final class ProjectSet extends Plan {

    /** The set-returning calls of one SELECT list and the values of the output row being produced. */
    static final class Calls {
        final List<TypeSystem.SetFn> functions = new ArrayList<>();
        final List<Ev[]> arguments = new ArrayList<>();
        Object[] current = new Object[0];

        int add(TypeSystem.SetFn fn, Ev[] args) {
            functions.add(fn);
            arguments.add(args);
            current = new Object[functions.size()];
            return functions.size() - 1;
        }

        int size() {
            return functions.size();
        }
    }

    private final Plan child;
    private final Calls calls;
    private Object[] input;
    private List<List<Object[]>> results;
    private int longest;
    private int next;

    ProjectSet(Plan child, Calls calls) {
        super(child.columns);
        this.child = child;
        this.calls = calls;
        estimate(child.startupCost, child.totalCost + child.rows * 10 * 0.0025 * calls.size(), child.rows * 10);
    }

    @Override
    protected void doOpen(ExecState ex) {
        child.open(ex);
        input = null;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        while (input == null || next >= longest) {
            input = child.next(ex);
            if (input == null) {
                return null;
            }
            run(input, ex);
        }
        for (int i = 0; i < results.size(); i++) {
            List<Object[]> r = results.get(i);
            calls.current[i] = next < r.size() ? r.get(next)[0] : null;
        }
        next++;
        return input;
    }

    private void run(Object[] row, ExecState ex) {
        results = new ArrayList<>(calls.size());
        longest = 0;
        next = 0;
        for (int i = 0; i < calls.size(); i++) {
            TypeSystem.SetFn fn = calls.functions.get(i);
            Ev[] args = calls.arguments.get(i);
            Object[] values = new Object[args.length];
            boolean empty = false;
            for (int a = 0; a < values.length; a++) {
                values[a] = args[a].eval(row, ex);
                empty |= values[a] == null && fn.strict();
            }
            List<Object[]> rows = empty ? List.of() : fn.impl().apply(values, ex);
            results.add(rows);
            longest = Math.max(longest, rows.size());
        }
    }

    @Override
    public String label() {
        return "ProjectSet";
    }

    @Override
    public List<Plan> children() {
        return List.of(child);
    }
}
