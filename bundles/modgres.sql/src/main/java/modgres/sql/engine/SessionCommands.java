package modgres.sql.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import modgres.api.error.PgException;
import modgres.api.sql.ColumnDescriptor;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.Expr;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.Statement;
import modgres.sql.ast.TypeName;
import modgres.sql.ast.Utility;
import modgres.sql.exec.SessionViewScan;

/*
 * Design notes: the statements that work on the session's own objects --
 * SQL cursors (DECLARE, FETCH, MOVE, CLOSE; state in SqlCursors) and
 * SQL-level prepared statements (PREPARE, EXECUTE, DEALLOCATE, EXPLAIN
 * EXECUTE, CREATE TABLE AS EXECUTE).
 *
 * One namespace of prepared statements: PREPARE puts its compiled statement
 * into the same map the protocol's Parse uses, so EXECUTE runs the plan the
 * protocol would run (re-planned by the data path when the catalog changed),
 * pgjdbc's statements show in pg_prepared_statements (from_sql false), and
 * DEALLOCATE ALL drops both kinds, as PostgreSQL's one hash table of them.
 *
 * EXECUTE does not run a plan of its own: run() answers with the target
 * statement and the parameter values (each argument evaluated as a SELECT of
 * CAST(arg AS type)), and the session runs that as an inner portal -- so the
 * command tag, the read-only check ("cannot execute UPDATE in a read-only
 * transaction") and row sending are the target's. EXPLAIN EXECUTE and CREATE
 * TABLE AS EXECUTE are the target statement wrapped in the outer statement,
 * compiled with the target's parameter types and run with the values.
 */
/** Runs cursor and prepared-statement commands for one session; see the design notes. */
final class SessionCommands {
    /** pg_prepared_statements' facts of a named prepared statement. */
    record PreparedInfo(String statement, long prepareTime, boolean fromSql, long[] plans) {
    }

    /** What running such a command gives: rows and a tag, or a target statement to run with values. */
    record Outcome(List<byte[][]> rows, String tag, EngineSession.Prepared target, Object[] values) {
        static Outcome done(List<byte[][]> rows, String tag) {
            return new Outcome(rows, tag, null, null);
        }
    }

    private final EngineSession session;
    final SqlCursors cursors = new SqlCursors();
    private final Map<String, PreparedInfo> info = new HashMap<>();

    SessionCommands(EngineSession session) {
        this.session = session;
    }

    /** True for the statements this class compiles and runs. */
    static boolean handles(Statement st) {
        return st instanceof Utility.DeclareCursor || st instanceof Utility.Fetch || st instanceof Utility.Close
                || st instanceof Utility.Prepare || st instanceof Utility.Execute || st instanceof Utility.Deallocate
                || st instanceof Utility.Explain e && e.query() instanceof Utility.Execute
                || st instanceof Ddl.CreateTableAs c && c.query() instanceof Utility.Execute;
    }

    private static Utility.Execute executeOf(Statement st) {
        return st instanceof Utility.Execute e ? e
                : st instanceof Utility.Explain x ? (Utility.Execute) x.query()
                : (Utility.Execute) ((Ddl.CreateTableAs) st).query();
    }

    private static final List<ColumnDescriptor> QUERY_PLAN = List.of(new ColumnDescriptor("QUERY PLAN", 0,
            (short) 0, 25, (short) -1, -1, (short) 0));

    /** The statement's description (result columns, parameter types) as Parse and a simple Query need it. */
    EngineSession.Prepared compile(Statement st, int pos, int[] paramTypes) {
        if (st instanceof Utility.Fetch f) {
            List<ColumnDescriptor> cols = f.move() ? null : cursors.get(f.cursor()).columns;
            return new EngineSession.Prepared(st, pos, null, cols, new int[0]);
        }
        if (st instanceof Utility.DeclareCursor d) {
            EngineSession.Prepared q = session.compile(d.query(), "", pos, paramTypes);
            return new EngineSession.Prepared(st, pos, null, null, q.paramTypes());
        }
        if (st instanceof Utility.Execute || st instanceof Utility.Explain || st instanceof Ddl.CreateTableAs) {
            EngineSession.Prepared target = lookup(executeOf(st).name());
            List<ColumnDescriptor> cols = st instanceof Utility.Execute ? target.columns()
                    : st instanceof Utility.Explain ? QUERY_PLAN : null;
            return new EngineSession.Prepared(st, pos, null, cols, new int[0]);
        }
        return new EngineSession.Prepared(st, pos, null, null, new int[0]);
    }

    private EngineSession.Prepared lookup(String name) {
        EngineSession.Prepared p = session.preparedStatements().get(name);
        if (p == null) {
            throw new PgException("26000", "prepared statement \"" + name + "\" does not exist");
        }
        return p;
    }

    /**
     * Runs the command (the portal's parameters for a DECLARE's query); {@code boundFormats}: the result
     * formats of the protocol's Bind, null for a simple Query.
     */
    Outcome run(Statement st, Object[] params, String sourceText, short[] boundFormats) {
        DataPath data = session.dataPath();
        if (st instanceof Utility.DeclareCursor d) {
            return Outcome.done(null, declare(d, params, sourceText, data));
        }
        if (st instanceof Utility.Fetch f) {
            SqlCursors.Cursor c = cursors.get(f.cursor());
            List<byte[][]> rows = f.move() ? null : new ArrayList<>();
            short[] formats = boundFormats != null ? boundFormats : c.formats(); // Bind's formats win
            long n = cursors.fetch(f.cursor(), f.direction(), f.count(),
                    rows == null ? null : r -> rows.add(data.encode(r, c.columns, formats, c.execState())));
            return Outcome.done(rows, (f.move() ? "MOVE " : "FETCH ") + n);
        }
        if (st instanceof Utility.Close c) {
            cursors.close(c.name());
            return Outcome.done(null, c.name() == null ? "CLOSE CURSOR ALL" : "CLOSE CURSOR");
        }
        if (st instanceof Utility.Prepare p) {
            prepare(p, sourceText);
            return Outcome.done(null, "PREPARE");
        }
        if (st instanceof Utility.Deallocate d) {
            if (d.name() == null) {
                session.preparedStatements().keySet().removeIf(n -> !n.isEmpty());
                info.clear();
                return Outcome.done(null, "DEALLOCATE ALL");
            }
            lookup(d.name());
            session.preparedStatements().remove(d.name());
            info.remove(d.name());
            return Outcome.done(null, "DEALLOCATE");
        }
        Utility.Execute e = executeOf(st);
        EngineSession.Prepared target = lookup(e.name());
        Object[] values = parameters(e, target.paramTypes());
        PreparedInfo pi = info.get(e.name());
        if (pi != null) {
            pi.plans()[target.paramTypes().length == 0 ? 0 : 1]++;
        }
        if (st instanceof Utility.Execute) {
            return new Outcome(null, null, target, values);
        }
        Statement wrapped;
        if (st instanceof Utility.Explain x) {
            wrapped = new Utility.Explain(x.position(), target.stmt(), x.options());
        } else {
            Ddl.CreateTableAs c = (Ddl.CreateTableAs) st;
            if (!(target.stmt() instanceof SelectStmt)) {
                throw new PgException("42809", "prepared statement is not a SELECT");
            }
            wrapped = new Ddl.CreateTableAs(c.position(), c.into(), c.ifNotExists(), c.materialized(), target.stmt(),
                    c.withData());
        }
        return new Outcome(null, null, session.compile(wrapped, "", st.position(), target.paramTypes()), values);
    }

    // ---------------------------------------------------------------- cursors

    private String declare(Utility.DeclareCursor d, Object[] params, String sourceText, DataPath data) {
        boolean hold = d.options().contains(Utility.CursorOption.HOLD);
        if (!hold && !session.inTransactionBlock()) {
            throw new PgException("25P01", "DECLARE CURSOR can only be used in transaction blocks");
        }
        if (cursors.exists(d.name()) || session.hasPortal(d.name())) {
            throw new PgException("42P03", "cursor \"" + d.name() + "\" already exists");
        }
        if (data == null) {
            throw new PgException("0A000", "cursors need the storage services");
        }
        boolean locking = !d.query().locking().isEmpty();
        if (locking && hold) {
            throw new PgException("0A000", "DECLARE CURSOR WITH HOLD ... FOR UPDATE is not supported", "Holdable "
                    + "cursors must be READ ONLY.", null);
        }
        if (locking && d.options().contains(Utility.CursorOption.SCROLL)) {
            throw new PgException("0A000", "DECLARE SCROLL CURSOR ... FOR UPDATE is not supported", "Scrollable "
                    + "cursors must be READ ONLY.", null);
        }
        EngineSession.Prepared q = session.compile(d.query(), "", d.position(), null);
        DataPath.Compiled c = q.data();
        SessionTxn txn = session.sessionTxn();
        List<Runnable> cleanup = new ArrayList<>();
        DataPath.CursorStart start = data.startCursor(c, params, session::checkCancel, session,
                snap -> SqlCursors.frozen(txn, snap, cleanup));
        boolean scroll = d.options().contains(Utility.CursorOption.SCROLL)
                || !d.options().contains(Utility.CursorOption.NO_SCROLL) && !locking
                        && SqlCursors.supportsBackward(start.plan());
        cursors.add(new SqlCursors.Cursor(d.name(), sourceText, hold, d.options().contains(
                Utility.CursorOption.BINARY), scroll, c.columns, start.ex(), start.plan(), session.savepointDepth(),
                start.ex().txn.snapshot().xmin(), cleanup));
        return "DECLARE CURSOR";
    }

    // ---------------------------------------------------------------- prepared statements

    private void prepare(Utility.Prepare p, String sourceText) {
        if (session.preparedStatements().containsKey(p.name())) {
            throw new PgException("42P05", "prepared statement \"" + p.name() + "\" already exists");
        }
        DataPath data = session.dataPath();
        int[] types = new int[p.argTypes().size()];
        for (int i = 0; i < types.length; i++) {
            TypeName tn = p.argTypes().get(i);
            types[i] = data != null ? data.ts.typeOid(tn.names(), !tn.arrayBounds().isEmpty())
                    : ExprCompiler.typeOf(tn).oid;
        }
        EngineSession.Prepared compiled = session.compile(p.query(), "", p.position(), types);
        session.preparedStatements().put(p.name(), compiled);
        info.put(p.name(), new PreparedInfo(sourceText, now(), true, new long[2]));
    }

    /** A protocol-level Parse of a named statement (pg_prepared_statements, from_sql false). */
    void parsed(String name, String query) {
        if (!name.isEmpty()) {
            info.put(name, new PreparedInfo(query, now(), false, new long[2]));
        }
    }

    /** A protocol-level Close of a statement. */
    void closed(String name) {
        info.remove(name);
    }

    private static long now() {
        Instant n = Instant.now();
        return (n.getEpochSecond() - 946_684_800L) * 1_000_000L + n.getNano() / 1000;
    }

    /** EXECUTE's arguments, each evaluated and cast to its parameter's type. */
    private Object[] parameters(Utility.Execute e, int[] types) {
        if (e.params().size() != types.length) {
            throw new PgException("42601", "wrong number of parameters for prepared statement \"" + e.name() + "\"",
                    "Expected " + types.length + " parameters but got " + e.params().size() + ".", null);
        }
        if (types.length == 0) {
            return new Object[0];
        }
        DataPath data = session.dataPath();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < types.length; i++) {
            Expr arg = e.params().get(i);
            sql.append(i == 0 ? "" : ", ").append("CAST((").append(modgres.sql.ast.SqlDeparser.deparse(arg))
                    .append(") AS ").append(data.ts.format(types[i], -1)).append(')');
        }
        Statement select = modgres.sql.parser.SqlParser.parseStatement(sql.toString());
        EngineSession.Prepared p = session.compile(select, sql.toString(), e.position(), new int[0]);
        Object[] row = data.evaluateRow(p.data(), session::checkCancel, session);
        Object[] out = new Object[types.length];
        System.arraycopy(row, 0, out, 0, types.length);
        return out;
    }

    // ---------------------------------------------------------------- views

    List<Object[]> viewRows(SessionViewScan.Kind kind) {
        if (kind == SessionViewScan.Kind.CURSORS) {
            return cursors.viewRows();
        }
        List<Object[]> out = new ArrayList<>();
        for (Map.Entry<String, EngineSession.Prepared> e : session.preparedStatements().entrySet()) {
            PreparedInfo pi = info.get(e.getKey());
            if (e.getKey().isEmpty() || pi == null) {
                continue;
            }
            int[] types = e.getValue().paramTypes();
            Object[] regtypes = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                regtypes[i] = Integer.toUnsignedLong(types[i]);
            }
            out.add(new Object[] {e.getKey(), pi.statement(), pi.prepareTime(),
                modgres.sql.types.PgArray.of(modgres.sql.types.Types.REGTYPE, regtypes), pi.fromSql(), pi.plans()[0],
                pi.plans()[1]});
        }
        return out;
    }
}
