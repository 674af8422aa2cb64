package modgres.sql.exec;

import java.util.function.IntFunction;

/**
 * What one EXPLAIN prints: its options (COSTS, ANALYZE, TIMING, VERBOSE), the numbering of the statement's
 * sub-plans, and, for VERBOSE, the schema names relations are qualified with.
 */
public final class ExplainContext {
    final boolean costs;
    final boolean analyze;
    final boolean timing;
    final boolean verbose;
    final SubPlans.Numbering numbering;
    final IntFunction<String> schemaName;
    /**
     * VERBOSE's Output lines name columns with their table when the statement reads more than one relation
     * (PostgreSQL: more than one range-table entry), set by Plan.explain before printing.
     */
    boolean qualify;

    public ExplainContext(boolean costs, boolean analyze, boolean timing, boolean verbose, SubPlans subPlans,
            IntFunction<String> schemaName) {
        this.costs = costs;
        this.analyze = analyze;
        this.timing = timing;
        this.verbose = verbose;
        this.numbering = subPlans == null ? null : subPlans.numbering();
        this.schemaName = schemaName;
    }

    /** A text with its sub-plan markers replaced by their EXPLAIN names. */
    String render(String text) {
        return numbering == null ? SubPlans.render(text) : numbering.render(text);
    }
}
