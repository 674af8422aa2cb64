package modgres.sql.exec;

import java.util.List;

import modgres.sql.ast.Expr;

/*
 * Design notes: compiling a domain's CHECK constraint.
 *
 * A domain's CHECK expression names the value being checked VALUE (an
 * ordinary column reference to PostgreSQL's grammar, which its domain code
 * turns into a CoerceToDomainValue). Here the expression is compiled over a
 * one-column scope whose only column is named "value" and has the domain's
 * base type, so the compiled condition reads the value from row[0]. The
 * engine compiles each constraint once per catalog view and evaluates it on
 * every value cast or assigned to the domain.
 *
 * As PostgreSQL's, the condition must be boolean (42804 "argument of CHECK
 * must be type boolean"); aggregates and window functions are refused (42803,
 * 42P20), and so are table references: there is nothing but VALUE in scope.
 */
/** Compiles the CHECK constraints of domains; see the design notes. */
public final class DomainChecks {
    private DomainChecks() {
    }

    /** The condition of a CHECK constraint over VALUE of type {@code valueType}: true, false or null (passes). */
    public static Ev compile(Planner planner, Expr check, int valueType, int valueTypmod) {
        Scope sc = new Scope(null);
        sc.add(null, List.of(new OutCol("value", valueType, valueTypmod, 0, 0, false, null)));
        Compiler c = planner.compiler(sc);
        c.forbidAggregates("check constraints");
        c.forbidWindows("check constraints");
        return c.condition(check, "CHECK").ev();
    }

    /**
     * A domain's DEFAULT expression, compiled as an assignment to {@code type} (PostgreSQL's cookDefault): no
     * column references (42P10 "cannot use column reference in DEFAULT expression" from an empty scope's 42703).
     */
    public static Ev compileValue(Planner planner, Expr value, int type, int typmod) {
        Compiler c = planner.compiler(new Scope(null));
        c.forbidAggregates("DEFAULT expressions");
        c.forbidWindows("DEFAULT expressions");
        Compiler.C v = c.compile(value);
        return c.coerce(v, type, typmod, TypeSystem.CastContext.ASSIGNMENT, "column \"\" is of type "
                + planner.ts.format(type, typmod) + " but default expression is of type "
                + planner.ts.format(v.type(), v.typmod())).ev();
    }
}
