package modgres.sql.exec;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import modgres.sql.ast.Expr;

/*
 * Design notes: the subqueries of a statement's expressions, as EXPLAIN names them
 * (PostgreSQL's SubPlan and InitPlan nodes, subselect.c).
 *
 * A subquery inside an expression (EXISTS, IN / ANY / ALL, a scalar
 * subquery, ARRAY(...), an UPDATE's SET (a, b) = (SELECT ...)) is planned by
 * the Compiler as a Plan that its compiled expression runs. Two kinds:
 *
 *   correlated (reads a column of an enclosing query level): run again for
 *     every row of that level, a "SubPlan";
 *   uncorrelated scalar / EXISTS / ARRAY: its value cannot change during the
 *     statement, so it runs once per execution (the value is kept in the
 *     ExecState) and its users read a parameter: an "InitPlan ... (returns $0)".
 *     PostgreSQL does the same, volatile functions inside included.
 *
 * The planner compiles some expressions more than once (once to check them,
 * once per place they may be pushed to), so a subquery is registered by its
 * syntax node: every compilation of one SubLink is the same sub-plan, with
 * the same name in every text. The texts the Compiler builds carry a marker
 * (MARK, key, MARK) where the subquery's name goes; EXPLAIN numbers the
 * sub-plans it finds in the plan's texts in the order they were registered
 * and replaces the markers. Parameters are numbered as PostgreSQL numbers
 * them: per sub-plan, first one for each distinct column of an enclosing level
 * that it reads, then one per value an InitPlan or a multiple-column SET
 * returns.
 *
 * Outside EXPLAIN the markers never reach a client: every text that is shown
 * goes through render(), which without a numbering prints "(SubPlan)".
 */
/** The sub-plans of a statement and their EXPLAIN names; see the design notes. */
public final class SubPlans {
    /** Starts and ends a marker in an expression's text. */
    static final char MARK = '\uE000';

    public enum Kind { EXPR, EXISTS, ANY, ARRAY, MULTIEXPR }

    /** One subquery: its compiled plans (one per compilation), kind, correlation and result count. */
    public static final class Info {
        final int key;
        final Kind kind;
        final List<Plan> plans = new ArrayList<>();
        int outerRefs;
        int outputs;
        /** Probed through a hash table of its rows (EXPLAIN: "hashed SubPlan 1"). */
        boolean hashed;

        Info(int key, Kind kind) {
            this.key = key;
            this.kind = kind;
        }

        /** How many values it leaves in parameters: a multiple-column SET's columns, an InitPlan's one value. */
        int results() {
            return kind == Kind.MULTIEXPR ? outputs : initPlan() ? 1 : 0;
        }

        /** Runs once per execution: no column of an enclosing level is read. */
        public boolean initPlan() {
            return outerRefs == 0 && kind != Kind.ANY && kind != Kind.MULTIEXPR;
        }

        /** The plan to show: one that ran (EXPLAIN ANALYZE), else the last compiled. */
        Plan shown() {
            for (Plan p : plans) {
                if (p.loops > 0) {
                    return p;
                }
            }
            return plans.get(plans.size() - 1);
        }
    }

    private final Map<Expr, Info> bySyntax = new IdentityHashMap<>();
    private final List<Info> registered = new ArrayList<>();
    /** The subqueries being planned, innermost last, each with the scope it is correlated against. */
    private final List<Collecting> active = new ArrayList<>();

    private static final class Collecting {
        final Scope boundary;
        final List<Object> seen = new ArrayList<>();

        Collecting(Scope boundary) {
            this.boundary = boundary;
        }
    }

    /** The sub-plan of {@code syntax}, registered on its first compilation. */
    Info info(Expr syntax, Kind kind) {
        return bySyntax.computeIfAbsent(syntax, k -> {
            Info i = new Info(registered.size(), kind);
            registered.add(i);
            return i;
        });
    }

    /** Marks the start of planning a subquery that sits in an expression over {@code boundary}. */
    void begin(Scope boundary) {
        active.add(new Collecting(boundary));
    }

    /** Ends the planning begun last: the number of distinct enclosing-level columns it read. */
    int end() {
        return active.remove(active.size() - 1).seen.size();
    }

    /**
     * A column reference resolved {@code depth} levels up from {@code from}: counted for every subquery being
     * planned that it reaches out of (the level it names is the subquery's boundary or encloses it).
     */
    void outerReference(Scope from, int depth, int index) {
        if (active.isEmpty()) {
            return;
        }
        Scope level = from;
        for (int i = 0; i < depth && level != null; i++) {
            level = level.parent();
        }
        for (Collecting c : active) {
            if (encloses(level, c.boundary)) {
                Object id = new ColumnAt(level, index);
                if (!c.seen.contains(id)) {
                    c.seen.add(id);
                }
            }
        }
    }

    private record ColumnAt(Scope level, int index) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ColumnAt c && c.level == level && c.index == index;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(level) * 31 + index;
        }
    }

    private static boolean encloses(Scope outer, Scope inner) {
        for (Scope s = inner; s != null; s = s.parent()) {
            if (s == outer) {
                return true;
            }
        }
        return false;
    }

    /** The marker for the sub-plan's name ({@code (SubPlan 1)} or an InitPlan's {@code $0}). */
    static String nameMark(Info i) {
        return MARK + "S" + i.key + MARK;
    }

    /** The marker for the {@code n}th value a multiple-column SET's sub-plan returns ({@code $1}). */
    static String paramMark(Info i, int n) {
        return MARK + "P" + i.key + "." + n + MARK;
    }

    /** The marker for a multiple-column SET's sub-plan itself ({@code (SubPlan 1 (returns $1,$2))}). */
    static String junkMark(Info i) {
        return MARK + "J" + i.key + MARK;
    }

    /** Replaces the markers of {@code text} without a numbering (texts shown outside EXPLAIN). */
    public static String render(String text) {
        return render(text, null);
    }

    /** EXPLAIN's numbering of the sub-plans it shows: plan ids and parameter numbers, as PostgreSQL gives them. */
    public final class Numbering {
        private final Map<Info, Integer> ids = new IdentityHashMap<>();
        private final Map<Info, Integer> firstOutputParam = new IdentityHashMap<>();

        /** The sub-plans {@code text} names that have no number yet, numbered now in registration order. */
        List<Info> claim(String text) {
            List<Info> found = new ArrayList<>();
            for (Info i : mentioned(text)) {
                if (!ids.containsKey(i)) {
                    found.add(i);
                }
            }
            found.sort((a, b) -> Integer.compare(a.key, b.key));
            return found;
        }

        /** Gives {@code i} the next plan id and its parameters (correlation first, then results). */
        void number(Info i) {
            if (ids.containsKey(i)) {
                return;
            }
            ids.put(i, ids.size() + 1);
            nextParam += i.outerRefs;
            firstOutputParam.put(i, nextParam);
            nextParam += i.results();
        }

        private int nextParam;

        /** "SubPlan 1", "InitPlan 2 (returns $0)", "SubPlan 1 (returns $1,$2)". */
        String title(Info i) {
            StringBuilder b = new StringBuilder(i.initPlan() ? "InitPlan " : "SubPlan ").append(ids.get(i));
            if (i.results() > 0) {
                b.append(" (returns ");
                for (int k = 0; k < i.results(); k++) {
                    b.append(k == 0 ? "" : ",").append('$').append(firstOutputParam.get(i) + k);
                }
                b.append(')');
            }
            return b.toString();
        }

        String name(Info i) {
            number(i);
            return i.initPlan() ? "$" + firstOutputParam.get(i) : "(" + (i.hashed ? "hashed " : "") + title(i) + ")";
        }

        String param(Info i, int n) {
            number(i);
            return "$" + (firstOutputParam.get(i) + n);
        }

        public String render(String text) {
            return SubPlans.render(text, this);
        }

        SubPlans owner() {
            return SubPlans.this;
        }
    }

    /** Every sub-plan registered (EXPLAIN ANALYZE counts their runs too). */
    List<Info> all() {
        return registered;
    }

    /** Makes every compiled sub-plan count its runs (EXPLAIN ANALYZE). */
    public void setAnalyze() {
        for (Info i : registered) {
            for (Plan p : i.plans) {
                p.setAnalyze();
            }
        }
    }

    public Numbering numbering() {
        return new Numbering();
    }

    /** The sub-plans whose markers {@code text} holds, in order of appearance. */
    List<Info> mentioned(String text) {
        List<Info> out = new ArrayList<>();
        if (text == null || text.indexOf(MARK) < 0) {
            return out;
        }
        int i = text.indexOf(MARK);
        while (i >= 0) {
            int j = text.indexOf(MARK, i + 1);
            if (j < 0) {
                break;
            }
            Info info = byMarker(text.substring(i + 1, j));
            if (info != null && !out.contains(info)) {
                out.add(info);
            }
            i = text.indexOf(MARK, j + 1);
        }
        return out;
    }

    private Info byMarker(String m) {
        if (m.isEmpty()) {
            return null;
        }
        String digits = m.substring(1);
        int dot = digits.indexOf('.');
        int key = Integer.parseInt(dot < 0 ? digits : digits.substring(0, dot));
        return key < registered.size() ? registered.get(key) : null;
    }

    private static String render(String text, Numbering n) {
        if (text == null || text.indexOf(MARK) < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder();
        int pos = 0;
        int i = text.indexOf(MARK);
        while (i >= 0) {
            int j = text.indexOf(MARK, i + 1);
            if (j < 0) {
                break;
            }
            b.append(text, pos, i);
            String m = text.substring(i + 1, j);
            Info info = n == null ? null : n.owner().byMarker(m);
            if (info == null) {
                b.append(m.startsWith("P") ? "$?" : "(SubPlan)");
            } else if (m.startsWith("S")) {
                b.append(n.name(info));
            } else if (m.startsWith("P")) {
                b.append(n.param(info, Integer.parseInt(m.substring(m.indexOf('.') + 1))));
            } else {
                b.append('(').append(n.title(info)).append(')');
            }
            pos = j + 1;
            i = text.indexOf(MARK, pos);
        }
        return b.append(text, pos, text.length()).toString();
    }
}
