package modgres.sql.exec;

import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.Expr;
import modgres.sql.catalog.Relation;
import modgres.sql.parser.SqlParser;

/*
 * Design notes: expression and partial indexes (pg_index.indexprs/indpred).
 *
 * An index key of attnum 0 is an expression; its SQL text (over the table's
 * column names, canonical deparse) is the next line of indexprs; a partial
 * index keeps its WHERE as indpred's SQL text. Index maintenance needs them
 * compiled over a row of the table's attributes: the statement's executor
 * state carries a compiler hook (ExecState.indexExpressions, set by the
 * engine, which owns the planner), and each writer (ModifyTable) compiles an
 * index's expressions once per statement. A row whose predicate is not true
 * has no entry in the partial index (and takes no part in its uniqueness).
 *
 * The planner uses such an index only for what it can prove: a query whose
 * WHERE compares the same expression text (an expression key), and whose
 * conjuncts include the predicate's text (a partial index); otherwise the
 * index is skipped. Foreign keys, ON CONFLICT inference and LIKE INCLUDING
 * INDEXES never pick them (PostgreSQL also rejects partial or expression
 * indexes as foreign-key targets).
 */
/** Compiled key expressions and predicate of an index (see the design notes). */
public final class IndexExpressions {
    /** Per key: an evaluator (expression keys) or null (column keys); the key types; the predicate or null. */
    public record Compiled(Ev[] keyEvs, int[] keyTypes, Ev predicate) {
    }

    private IndexExpressions() {
    }

    /** Compiles {@code idx}'s expressions and predicate over a row of {@code rel}. */
    public static Compiled compile(Planner planner, Relation rel, Relation.Index idx) {
        Scope scope = planner.tableScope(rel, rel.name());
        int[] keys = idx.keys();
        Ev[] evs = new Ev[keys.length];
        int[] types = new int[keys.length];
        int next = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] > 0) {
                types[i] = rel.columns().get(keys[i] - 1).type();
                continue;
            }
            if (next >= idx.exprs().size()) {
                throw new PgException("XX000", "index \"" + idx.name() + "\" lacks the expression of key " + (i + 1));
            }
            Expr e = SqlParser.parseExpression(idx.exprs().get(next++));
            Compiler.C c = planner.compiler(scope).compile(e);
            evs[i] = c.ev();
            types[i] = c.type() == Compiler.UNKNOWN ? Compiler.TEXT : c.type();
        }
        Ev pred = null;
        if (idx.predicate() != null) {
            pred = planner.compiler(scope).condition(SqlParser.parseExpression(idx.predicate()), "WHERE").ev();
        }
        return new Compiled(evs, types, pred);
    }

    /** The key types of an expression index's keys as CREATE INDEX compiles them (pg_attribute rows). */
    static int[] keyTypes(Planner planner, Relation rel, int[] keys, List<String> exprs) {
        return compile(planner, rel, new Relation.Index(0, "", null, keys, false, false, false, null, exprs, null,
                new int[0]))
                .keyTypes();
    }
}
