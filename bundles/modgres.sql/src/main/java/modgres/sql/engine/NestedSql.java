package modgres.sql.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import modgres.api.error.PgException;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.txn.LockMode;
import modgres.sql.ast.Statement;
import modgres.sql.catalog.CatalogView;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.Plan;
import modgres.sql.parser.ParsedStatement;
import modgres.sql.parser.SqlParser;
import modgres.sql.pl.PlRuntime;

/*
 * Design notes: statements run from inside a running statement (PostgreSQL's
 * SPI), for SQL and PL/pgSQL functions, DO and CALL.
 *
 * One NestedSql serves one function call. A statement text is parsed once
 * and planned once per (text, parameter types) while the session's catalog
 * view stays the same (a DDL of this transaction or a commit elsewhere
 * makes a new view, and the plans are made again), so a PL/pgSQL
 * expression in a loop is planned once.
 *
 * Snapshots (SessionTxn.beginNested): a VOLATILE function's statements each
 * advance the command counter and take a snapshot of their own; a STABLE or
 * IMMUTABLE function's statements use the calling statement's snapshot, and
 * may not write (0A000, as PostgreSQL). The caller's snapshot is restored
 * after each statement.
 *
 * Errors from a nested statement lose their position (it points into the
 * nested text, not the client's query; PostgreSQL reports it as an internal
 * query instead).
 */
/** Runs SQL statements inside a function call; see the design notes. */
final class NestedSql implements PlRuntime {
    /** Deepest nesting of function calls before "stack depth limit exceeded". */
    static final int MAX_DEPTH = 120;

    private final DataPath data;
    private final ExecState parent;
    private final boolean fresh;
    private final Map<String, Statement> parsed;
    private final Map<String, DataPath.Compiled> plans;
    private CatalogView plannedWith;

    NestedSql(DataPath data, ExecState parent, char volatility, Map<String, Statement> parsed,
            Map<String, DataPath.Compiled> plans) {
        this.data = data;
        this.parent = parent;
        this.fresh = volatility == 'v';
        this.parsed = parsed;
        this.plans = plans;
    }

    private static final int[] NO_TYPES = new int[0];

    /** A parsed single statement, cached by text. */
    Statement parse(String sql) {
        Statement st = parsed.get(sql);
        if (st == null) {
            List<ParsedStatement> list = SqlParser.parse(sql);
            if (list.size() != 1) {
                throw new PgException("42601", list.isEmpty() ? "empty query" : "cannot insert multiple commands"
                        + " into a prepared statement");
            }
            st = list.get(0).statement();
            parsed.put(sql, st);
        }
        return st;
    }

    @Override
    public Rows run(String sql, int[] paramTypes, Object[] params) {
        return run(sql, parse(sql), paramTypes, params);
    }

    Rows run(String key, Statement st, int[] paramTypes, Object[] params) {
        CatalogView view = data.catalog();
        if (view != plannedWith) {
            plans.clear();
            plannedWith = view;
        }
        String planKey = key + "\u0000" + java.util.Arrays.toString(paramTypes) + "\u0000"
                + data.triggers.transitionSignature();
        DataPath.Compiled c = plans.get(planKey);
        if (c == null) {
            if (!DataPath.handles(st)) {
                throw new PgException("0A000", EngineSession.kindOf(st, key) + " is not supported in a function"
                        + " yet");
            }
            try {
                c = data.compile(st, paramTypes.clone(), data.searchPath);
            } catch (PgException e) {
                throw withoutPosition(e);
            }
            plans.put(planKey, c);
        }
        if (!fresh && (c.dml != null || c.kind.equals("DDL"))) {
            String what = c.dml != null ? c.kind : EngineSession.kindOf(st, key);
            throw new PgException("0A000", what + " is not allowed in a non-volatile function");
        }
        Object[] args = params;
        if (c.paramTypes.length > params.length) {
            args = java.util.Arrays.copyOf(params, c.paramTypes.length);
        }
        SessionTxn txn = data.txn;
        SessionTxn.Nested n = txn.beginNested(fresh);
        try {
            if (c.kind.equals("DDL") || c.kind.equals("COPY")) {
                DataPath.Result r = data.run(c, args, new short[0], msg -> data.noticeSink.accept(
                        modgres.sql.exec.DdlExecutor.noticeOf(msg)), this::checkCancel,
                        parent == null ? null : parent.session);
                return new Rows(List.of(), NO_TYPES, null, 0);
            }
            return execute(c, args);
        } catch (PgException e) {
            throw withoutPosition(e);
        } finally {
            txn.endNested(n);
        }
    }

    private Rows execute(DataPath.Compiled c, Object[] params) {
        SessionTxn txn = data.txn;
        ExecState ex = new ExecState(data.heap(), data.btree(), txn, data.ts, params,
                parent == null ? null : parent.cancelCheck);
        ex.memory = data.memory;
        ex.stats = txn.activity;
        ex.statsStore = data.svc.statsStore();
        ex.statsCollector = data.svc.statsCollector();
        ex.io = data.svc.threadIo().get();
        ex.activity = data.svc.activity();
        ex.locks = data.svc.lm()::locks;
        ex.dataDirectory = data.svc.dataDir();
        ex.triggerSource = data.triggers::forStatement;
        ex.indexExpressions = (rel, idx) -> modgres.sql.exec.IndexExpressions.compile(
                data.planner(new int[0], java.util.List.of("pg_catalog")), rel, idx);
        if (parent != null) {
            ex.session = parent.session;
            ex.setting = parent.setting;
            ex.workMem = parent.workMem;
            ex.hashMemMultiplier = parent.hashMemMultiplier;
            ex.maintenanceWorkMem = parent.maintenanceWorkMem;
            ex.tempFileLimit = parent.tempFileLimit;
        }
        for (int rel : c.readRels) {
            txn.lockRelation(rel, rel == c.writeRel ? LockMode.ROW_EXCLUSIVE : LockMode.ACCESS_SHARE);
        }
        if (c.writeRel != 0) {
            txn.lockRelation(c.writeRel, LockMode.ROW_EXCLUSIVE);
        }
        data.withTargets(c);
        ex.ssi = txn.predicateLocks();
        txn.serializableAccess(c.ssiReads, c.writeRel, c.dml != null);
        if (c.dml != null) {
            c.dml.plan().triggers = data.triggers.forStatement(c.dml.rel(), c.kind);
        }
        Plan plan = c.query != null ? c.query.plan() : c.dml.plan();
        List<ColumnDescriptor> cols = c.columns;
        int width = cols == null ? 0 : cols.size();
        List<Object[]> rows = cols == null ? null : new ArrayList<>();
        plan.open(ex);
        try {
            for (Object[] r = plan.next(ex); r != null; r = plan.next(ex)) {
                if (rows != null) {
                    rows.add(r.length == width ? r.clone() : java.util.Arrays.copyOf(r, width));
                }
            }
        } finally {
            plan.close();
        }
        List<String> names = new ArrayList<>();
        int[] types = new int[width];
        for (int i = 0; i < width; i++) {
            names.add(cols.get(i).name());
            types[i] = cols.get(i).typeOid();
        }
        long processed = c.dml != null ? ex.processed : rows == null ? 0 : rows.size();
        return new Rows(names, types, rows, processed);
    }

    /** The same error without a position (it pointed into a statement the client did not send). */
    static PgException withoutPosition(PgException e) {
        if (e.position() == 0) {
            return e;
        }
        return new PlRuntime.InternalQueryError(e);
    }

    // ---------------------------------------------------------------- PlRuntime

    @Override
    public int[] type(String typeText) {
        modgres.sql.ast.TypeName tn = SqlParser.parseTypeName(typeText);
        int oid = UserFunctions.typeOid(data.ts, tn);
        List<Integer> mods = new ArrayList<>();
        for (modgres.sql.ast.Expr e : tn.typmods()) {
            if (e instanceof modgres.sql.ast.Expr.Constant k) {
                try {
                    mods.add(Integer.parseInt(String.valueOf(k.value())));
                } catch (NumberFormatException ex) {
                    // not a number: no typmod
                }
            }
        }
        int typmod = mods.isEmpty() || tn.arrayBounds().size() > 0 ? -1 : data.ts.typmod(oid, mods);
        return new int[] {oid, typmod};
    }

    @Override
    public Rows rowType(String table) {
        Rows r = run("SELECT * FROM " + table + " LIMIT 0", NO_TYPES, new Object[0]);
        return new Rows(r.names(), r.types(), List.of(), 0);
    }

    @Override
    public Object assign(Object v, int from, int to, int typmod) {
        modgres.sql.exec.TypeSystem.Cast domainCheck = from == to ? null : data.ts.domainCheck(to);
        if (domainCheck != null) {
            // to a domain: to its base type, then its constraints (NOT NULL included)
            return domainCheck.apply(assign(v, from, data.ts.baseType(to), data.ts.baseTypmod(to)), parent);
        }
        if (v == null) {
            return null;
        }
        if (from == to && typmod < 0) {
            return v;
        }
        if (from == 705) {
            return data.ts.input(to, typmod, (String) v, parent);
        }
        modgres.sql.exec.TypeSystem.Cast cast = data.ts.cast(from, to, typmod,
                modgres.sql.exec.TypeSystem.CastContext.ASSIGNMENT);
        if (cast == null) {
            // PL/pgSQL falls back to text I/O when there is no assignment cast
            return data.ts.input(to, typmod, data.ts.output(from, v), parent);
        }
        return cast.apply(v, parent);
    }

    @Override
    public String text(int type, Object v) {
        return data.ts.output(type == 705 ? 25 : type, v);
    }

    @Override
    public void notice(String level, String sqlState, String message, String detail, String hint) {
        data.noticeSink.accept(new modgres.api.sql.Notice(level, sqlState, message, detail, hint, 0));
    }

    @Override
    public Object subBegin() {
        SessionTxn txn = data.txn;
        int level = txn.depth() + 1;
        txn.savepoint();
        return level;
    }

    @Override
    public void subCommit(Object token) {
        data.txn.release((Integer) token);
    }

    @Override
    public void subRollback(Object token) {
        int level = (Integer) token;
        data.txn.rollbackTo(level);
        data.txn.release(level);
        data.invalidate();
    }

    @Override
    public void checkCancel() {
        if (parent != null && parent.cancelCheck != null) {
            parent.cancelCheck.run();
        }
    }
}
