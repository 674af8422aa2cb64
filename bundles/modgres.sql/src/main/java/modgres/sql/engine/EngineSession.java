package modgres.sql.engine;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import modgres.api.error.PgException;
import modgres.api.settings.Settings;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.sql.Notice;
import modgres.sql.exec.DdlExecutor;
import modgres.api.sql.ResultSink;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlSession;
import modgres.api.sql.StatementDescription;
import modgres.sql.ast.Expr;
import modgres.sql.ast.ResTarget;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.Statement;
import modgres.sql.ast.Utility;
import modgres.sql.parser.ParsedStatement;
import modgres.sql.parser.SqlParser;

/** One session of {@link SqlEngineComponent}: see the design notes there. */
final class EngineSession implements SqlSession, EvalContext, modgres.sql.exec.SessionViewScan.Source {
    private final SessionInfo info;
    private final SessionSettings settings;

    private final Map<String, Prepared> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private Map<String, String> lastReported = new LinkedHashMap<>();
    /** {@link SessionSettings#version()} when {@link #lastReported} was taken. */
    private long lastReportedVersion = -1;

    // transaction state
    private boolean xactOpen;
    private boolean inBlock;
    private boolean failed;
    private boolean implicitBlock;
    private Instant xactStart = Instant.EPOCH;
    private Map<String, String>[] xactSnapshot;
    private final List<Savepoint> savepoints = new ArrayList<>();

    private volatile boolean running;
    /** Set by cancel() from another thread while a statement runs: the user's cancel request. */
    private volatile boolean cancelRequested;
    /** statement_timeout's deadline (System.nanoTime()) for the running statement; 0 = none. */
    private long deadline;
    private boolean closed;

    private record Savepoint(String name, Map<String, String>[] settings, boolean readOnly) {
    }

    /** Cursors and SQL-level prepared statements (SessionCommands). */
    private final SessionCommands commands = new SessionCommands(this);
    /** The transaction's DEFERRABLE characteristic (transaction_deferrable). */
    private boolean deferrable;

    /** A statement compiled for execution: a SELECT list, a utility, or empty (stmt null). */
    record Prepared(Statement stmt, int position, List<Typed> targets, List<ColumnDescriptor> columns,
            int[] paramTypes, DataPath.Compiled data) {
        Prepared(Statement stmt, int position, List<Typed> targets, List<ColumnDescriptor> columns,
                int[] paramTypes) {
            this(stmt, position, targets, columns, paramTypes, null);
        }
    }

    private static final class Portal {
        final Prepared prepared;
        final Object[] params;
        final short[] formats;
        List<byte[][]> rows;
        String tag;
        int next;
        boolean done;
        /** EXECUTE: the portal of the prepared statement it runs. */
        Portal delegate;
        /** Made by Bind: its result formats decide (a FETCH's too, over the cursor's BINARY). */
        boolean bound;

        Portal(Prepared prepared, Object[] params, short[] formats) {
            this.prepared = prepared;
            this.params = params;
            this.formats = formats;
        }
    }

    private Portal current;

    /** What pg_reload_conf() does: ask the postmaster to re-read the configuration files (SIGHUP). */
    private final java.util.function.BooleanSupplier reloader;
    private final boolean superuser;

    EngineSession(SessionInfo info, Settings server, boolean superuser) {
        this(info, server, superuser, () -> false);
    }

    EngineSession(SessionInfo info, Settings server, boolean superuser, java.util.function.BooleanSupplier reloader) {
        this(info, server, superuser, reloader, () -> null);
    }

    /** The WAL, when the WAL bundle is active (pg_current_wal_lsn, pg_switch_wal). */
    private final java.util.function.Supplier<modgres.api.wal.Wal> walService;

    /** The path to tables; null when the storage and transaction services are not there. */
    private final DataPath data;

    /** A planner over this session's catalog, for catalog functions that need partition trees; null without one. */
    modgres.sql.exec.Planner catalogPlanner() {
        return data == null ? null : data.planner(new int[0], data.searchPath);
    }
    private final SessionTxn txn;

    EngineSession(SessionInfo info, Settings server, boolean superuser, java.util.function.BooleanSupplier reloader,
            java.util.function.Supplier<modgres.api.wal.Wal> wal) {
        this(info, server, superuser, reloader, wal, null, 0);
    }

    EngineSession(SessionInfo info, Settings server, boolean superuser, java.util.function.BooleanSupplier reloader,
            java.util.function.Supplier<modgres.api.wal.Wal> wal, DataServices services, int databaseOid) {
        if (services != null) {
            this.txn = new SessionTxn(services.tm(), services.lm(), services.cache(), (int) info.pid(), databaseOid);
            this.txn.databaseName = info.database();
            this.data = new DataPath(services, txn, new TypeSystemImpl(this));
        } else {
            this.txn = null;
            this.data = null;
        }
        this.walService = wal;
        this.info = info;
        this.reloader = reloader;
        this.superuser = superuser;
        this.settings = new SessionSettings(server, info.user(), superuser);
        this.settings.currentSuperuser = this::currentSuperuser;
        this.settings.transactionValues = this::transactionSetting;
        if (data != null) {
            // temporary tables: the local pool's size is temp_buffers when first used, then fixed
            data.tempBuffers = this::tempBuffersSetting;
            settings.tempBuffersFixed = data.temp::tempBuffersFixed;
        }
        for (Map.Entry<String, String> e : info.startupParameters().entrySet()) {
            settings.setStartup(e.getKey(), e.getValue());
        }
        if (data != null) {
            data.memory.tempBuffers(0, tempBuffersSetting());
        }
    }

    /** The session's accounted memory, for the console (any thread; figures may be slightly stale). */
    @Override
    public modgres.api.backend.BackendMemory memory() {
        if (data == null) {
            return null;
        }
        modgres.sql.exec.spill.MemoryAccount m = data.memory;
        return new modgres.api.backend.BackendMemory(m.current(), m.queryPeak(), m.sessionPeak(),
                m.tempBuffersUsed(), m.tempBuffers(), m.tempFileCount(), m.tempFileBytes());
    }

    /** The session's user-defined functions (pg_get_function_result and friends), null without the data path. */
    UserFunctions userFunctions() {
        return data == null ? null : data.functions;
    }

    /** The session's memory account (tests, pg_backend_memory_contexts). */
    modgres.sql.exec.spill.MemoryAccount memoryAccount() {
        return data == null ? null : data.memory;
    }

    // ---------------------------------------------------------------- transactions

    private static boolean exitStatement(Statement s) {
        return s instanceof Utility.Transaction t && (t.kind() == Utility.TransactionKind.COMMIT
                || t.kind() == Utility.TransactionKind.ROLLBACK || t.kind() == Utility.TransactionKind.ROLLBACK_TO
                || t.kind() == Utility.TransactionKind.PREPARE);
    }

    private void checkAborted(Statement s) {
        if (failed && !exitStatement(s)) {
            throw new PgException("25P02",
                    "current transaction is aborted, commands ignored until end of transaction block");
        }
    }

    private void startXact() {
        if (!xactOpen) {
            xactOpen = true;
            Instant n = Instant.now();
            xactStart = Instant.ofEpochSecond(n.getEpochSecond(), n.getNano() / 1000 * 1000);
            xactSnapshot = settings.snapshot();
            deferrable = "on".equals(setting("default_transaction_deferrable"));
            if (txn != null) {
                txn.begin(defaultIsolation(), defaultReadOnly());
                txn.heldXmin = commands.cursors::oldestXmin;
                applyTxnSettings();
            }
        }
    }

    private modgres.api.txn.IsolationLevel defaultIsolation() {
        try {
            return modgres.api.txn.IsolationLevel.fromSqlName(settings.get("default_transaction_isolation"));
        } catch (RuntimeException e) {
            return modgres.api.txn.IsolationLevel.READ_COMMITTED;
        }
    }

    private boolean defaultReadOnly() {
        try {
            return "on".equals(settings.get("default_transaction_read_only"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void applyTxnSettings() {
        try {
            txn.lockTimeoutMillis = Long.parseLong(settings.get("lock_timeout"));
        } catch (RuntimeException e) {
            txn.lockTimeoutMillis = 0;
        }
        try {
            txn.syncCommit = !"off".equals(settings.get("synchronous_commit"));
        } catch (RuntimeException e) {
            txn.syncCommit = true;
        }
    }

    private void endXact(boolean commit) {
        if (txn != null && txn.active()) {
            boolean committed = false;
            boolean ddl = txn.changedCatalog();
            try {
                if (commit) {
                    try {
                        commands.cursors.preCommit(); // WITH HOLD cursors keep their rows
                        commands.cursors.transactionEnded(true); // the others' plans (and buffer pins) close
                        data.preCommit(); // ON COMMIT DELETE ROWS / DROP of temporary tables
                    } catch (RuntimeException e) {
                        commands.cursors.transactionEnded(false);
                        txn.abort();
                        throw e;
                    }
                    txn.commit();
                } else {
                    commands.cursors.transactionEnded(false); // before the abort drops the files it created
                    txn.abort();
                }
                committed = commit;
            } finally {
                if (ddl) {
                    data.invalidate();
                }
                data.flushStats();
                if (commit && !committed) {
                    // a commit that failed (serialization failure, ON COMMIT work) rolled back: the
                    // session is out of the transaction either way, as PostgreSQL's
                    closeXact(false);
                }
            }
        }
        closeXact(commit);
    }

    private void closeXact(boolean commit) {
        if (!commit && xactSnapshot != null) {
            settings.restore(xactSnapshot);
        }
        settings.endTransaction();
        commands.cursors.transactionEnded(commit);
        xactOpen = false;
        inBlock = false;
        failed = false;
        xactSnapshot = null;
        savepoints.clear();
        portals.values().removeIf(p -> p != current);
    }

    private void onError() {
        if (inBlock) {
            failed = true;
        } else if (xactOpen) {
            endXact(false);
        }
    }

    /**
     * Where a running statement may stop: the statement timeout (checked
     * first, as PostgreSQL's ProcessInterrupts does) or the user's cancel
     * request. Both are 57014 with their own message.
     */
    void checkCancel() {
        if (deadline != 0 && System.nanoTime() - deadline >= 0) {
            deadline = 0;
            cancelRequested = false;
            throw new PgException("57014", "canceling statement due to statement timeout");
        }
        if (cancelRequested) {
            cancelRequested = false;
            throw new PgException("57014", "canceling statement due to user request");
        }
    }

    /** A Query or Execute message begins: the cancel flag is cleared and statement_timeout starts. */
    private void begin() {
        cancelRequested = false;
        startStatementTimer(System.nanoTime());
        running = true;
    }

    /** Arms statement_timeout (the session's current value, ms; 0 = off) from {@code start}. */
    private void startStatementTimer(long start) {
        long ms = 0;
        try {
            ms = Long.parseLong(settings.get("statement_timeout"));
        } catch (RuntimeException e) {
            // unknown or malformed: no timeout
        }
        long d = ms > 0 ? start + ms * 1_000_000L : 0;
        deadline = ms > 0 && d == 0 ? 1 : d;
    }

    private void end() {
        if (txn != null) {
            txn.tempWriteInReadOnly = false;
        }
        running = false;
        deadline = 0;
        current = null;
    }

    // ---------------------------------------------------------------- simple query

    /** The text of the query being run (PostgreSQL's debug_query_string): the STATEMENT of log lines. */
    private String debugQueryString;

    String debugQueryString() {
        return debugQueryString;
    }

    /** The log context of this session's backend (without %c, which the backend makes). */
    modgres.api.log.LogContext logContext() {
        String app = info.startupParameters().get("application_name");
        try {
            app = settings.get("application_name");
        } catch (RuntimeException e) {
            // the startup parameter
        }
        return new modgres.api.log.LogContext(info.pid(), "client backend", info.user(), info.database(), app, null,
                info.peer() == null ? null : info.peer().unixSocket() ? "[local]" : info.peer().address());
    }

    @Override
    public void simpleQuery(String query, ResultSink sink) {
        debugQueryString = query;
        begin();
        try {
            statements.remove("");
            portals.remove("");
            List<ParsedStatement> list;
            try {
                SqlParser.Result parsed = SqlParser.parseWithNotices(query);
                for (modgres.sql.parser.ParserNotice n : parsed.notices()) {
                    String severity = n.sqlState().equals("42622") ? "NOTICE" : "WARNING";
                    notice(sink, new Notice(severity, n.sqlState(), n.message(), null, null, n.position()));
                }
                list = parsed.statements();
            } catch (PgException e) {
                onError();
                throw e;
            }
            if (list.isEmpty()) {
                sink.emptyQuery();
                return;
            }
            implicitBlock = list.size() > 1;
            try {
                boolean first = true;
                for (ParsedStatement ps : list) {
                    if (!first) {
                        // PostgreSQL 13+: each statement of a multi-statement Query has its own timeout
                        startStatementTimer(System.nanoTime());
                    }
                    first = false;
                    checkCancel();
                    Statement st = ps.statement();
                    checkAborted(st);
                    startXact();
                    Prepared p = compile(st, ps.text(), ps.position(), null);
                    Portal portal = new Portal(p, new Object[0], new short[0]);
                    run(portal, 0, sink, true);
                    if (!inBlock && !implicitBlock && xactOpen) {
                        endXact(true);
                    }
                }
                if (!inBlock && xactOpen) {
                    endXact(true);
                }
            } catch (RuntimeException e) {
                onError();
                throw e;
            } finally {
                implicitBlock = false;
            }
        } finally {
            end();
        }
    }

    // ---------------------------------------------------------------- compilation

    /** The statement kind for "... is not supported yet": its leading key words. */
    static String kindOf(Statement st, String text) {
        if (st instanceof Utility.Unsupported u) {
            return u.kind();
        }
        String[] w = text.strip().split("[\\s(;]+");
        String first = w.length > 0 ? w[0].toUpperCase(Locale.ROOT) : "";
        if (first.equals("CREATE") || first.equals("ALTER") || first.equals("DROP") || first.equals("COMMENT")) {
            StringBuilder sb = new StringBuilder(first);
            for (int i = 1; i < w.length; i++) {
                String x = w[i].toUpperCase(Locale.ROOT);
                sb.append(' ').append(x);
                if (!List.of("OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "GLOBAL", "LOCAL",
                        "MATERIALIZED", "FOREIGN", "DEFAULT", "ON").contains(x)) {
                    break;
                }
            }
            return sb.toString();
        }
        return first;
    }

    private static ColumnDescriptor column(String name, PgType t) {
        PgType o = t.output();
        return new ColumnDescriptor(name, 0, (short) 0, o.oid, o.size, -1, (short) 0);
    }

    Prepared compile(Statement st, String text, int position, int[] paramTypes) {
        int pos = position > 0 ? position : 1;
        if (data != null && st instanceof Utility.Vacuum v && v.vacuum() && (inBlock || implicitBlock)) {
            throw new PgException("25001", "VACUUM cannot run inside a transaction block");
        }
        if (data != null && (st instanceof modgres.sql.ast.Ddl.CreateDatabase
                || st instanceof modgres.sql.ast.Ddl.DropDatabase) && (inBlock || implicitBlock)) {
            throw new PgException("25001", (st instanceof modgres.sql.ast.Ddl.CreateDatabase ? "CREATE" : "DROP")
                    + " DATABASE cannot run inside a transaction block");
        }
        if (data != null && st instanceof Utility.Checkpoint && !currentSuperuser()) {
            throw new PgException("42501", "must be superuser to do CHECKPOINT");
        }
        if (SessionCommands.handles(st)) {
            return commands.compile(st, pos, paramTypes); // cursors, PREPARE / EXECUTE / DEALLOCATE
        }
        if (data != null && DataPath.handles(st)) {
            // every statement runs on the data path when it is there: its type system is PostgreSQL's
            data.searchPath = searchPath();
            data.ts.ctx = typesContext().withRelations(this::regclassIn, this::regclassOut, this::regnamespaceOut)
                    .withTypes(data.ts);
            String enc;
            try {
                enc = settings.get("password_encryption");
            } catch (RuntimeException e) {
                enc = "scram-sha-256";
            }
            data.roleContext = roleContext(enc);
            DataPath.Compiled c = data.compile(st, paramTypes, data.searchPath);
            return new Prepared(st, pos, null, c.columns, c.paramTypes, c);
        }
        return compileOld(st, text, position, paramTypes);
    }

    private TypesContext typesTemplate;
    private long typesTemplateVersion = -1;

    /** The type system's view of the settings for this statement (parsed again only after a setting changed). */
    private TypesContext typesContext() {
        long v = settings.version();
        if (typesTemplate == null || v != typesTemplateVersion) {
            typesTemplate = new TypesContext(settings, xactStart);
            typesTemplateVersion = v;
            return typesTemplate;
        }
        return typesTemplate.forStatement(xactStart);
    }

    /** The schemas of search_path that exist ($user only when a schema of the user's name exists). */
    private List<String> searchPath() {
        List<String> out = new ArrayList<>();
        String sp;
        try {
            sp = settings.get("search_path");
        } catch (RuntimeException e) {
            sp = "\"$user\", public";
        }
        for (String part : sp.split(",")) {
            String n = part.trim();
            if (n.startsWith("\"") && n.endsWith("\"") && n.length() >= 2) {
                n = n.substring(1, n.length() - 1);
            } else {
                n = n.toLowerCase(Locale.ROOT);
            }
            if (n.equals("$user")) {
                n = settings.currentUser();
            }
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    Prepared compileOld(Statement st, String text, int position, int[] paramTypes) {
        int pos = position > 0 ? position : 1;
        if (st instanceof SelectStmt s) {
            if (!(s.body() instanceof SelectStmt.Simple simple)) {
                throw ExprCompiler.notSupported(s.body() instanceof SelectStmt.Values ? "VALUES"
                        : "set operations (UNION, INTERSECT, EXCEPT)", pos);
            }
            if (!simple.from().isEmpty() || simple.where() != null || !simple.groupBy().isEmpty()
                    || simple.having() != null || simple.distinct() || simple.into() != null
                    || !simple.windows().isEmpty() || !s.bare()) {
                throw ExprCompiler.notSupported("SELECT with FROM, WHERE, GROUP BY, DISTINCT, ORDER BY or LIMIT",
                        pos);
            }
            ExprCompiler c = new ExprCompiler(paramTypes);
            List<Typed> targets = new ArrayList<>();
            List<ColumnDescriptor> cols = new ArrayList<>();
            for (ResTarget t : simple.targets()) {
                Typed e = c.compile(t.value());
                if (e.type() == PgType.UNKNOWN) {
                    e = c.coerce(e, PgType.TEXT);
                }
                targets.add(e);
                String label = t.alias() != null ? t.alias() : e.strength() > 0 ? e.label() : "?column?";
                cols.add(column(label, e.type()));
            }
            return new Prepared(st, pos, targets, cols, c.parameterTypes());
        }
        if (st instanceof Utility.Show sh) {
            List<ColumnDescriptor> cols = sh.name().equals("all")
                    ? List.of(column("name", PgType.TEXT), column("setting", PgType.TEXT),
                            column("description", PgType.TEXT))
                    : List.of(column(settings.known(sh.name()) ? SessionSettings.displayName(sh.name()) : sh.name(),
                            PgType.TEXT));
            return new Prepared(st, pos, null, cols, new int[0]);
        }
        if (st instanceof Utility.SetTransaction) {
            return new Prepared(st, pos, null, null, new int[0]);
        }
        if (st instanceof Utility.VariableSet || st instanceof Utility.Transaction) {
            return new Prepared(st, pos, null, null, new int[0]);
        }
        throw ExprCompiler.notSupported(kindOf(st, text), pos);
    }

    // ---------------------------------------------------------------- execution

    private static short format(short[] formats, int i) {
        return formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
    }

    private ZoneId zoneOf(String tz) {
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private byte[] encode(Object v, PgType t, short format) {
        if (v == null) {
            return null;
        }
        if (format == 1) {
            return t.binary(v);
        }
        return t.output(v, zone()).getBytes(StandardCharsets.UTF_8);
    }

    /** Runs a portal (or resumes it); returns true when it stopped at maxRows. */
    private boolean run(Portal p, int maxRows, ResultSink sink, boolean describe) {
        current = p;
        Prepared pr = p.prepared;
        if (pr.stmt() == null) {
            sink.emptyQuery();
            p.done = true;
            return false;
        }
        Statement st = pr.stmt();
        if (SessionCommands.handles(st)) {
            return runSessionCommand(p, maxRows, sink, describe);
        }
        if (pr.data() != null) {
            return runData(p, maxRows, sink, describe);
        }
        if (p.done && p.tag != null && p.rows == null) {
            sink.commandComplete(p.tag);
            return false;
        }
        if (p.rows == null && pr.columns() != null) {
            p.rows = rows(p);
            if (describe) {
                sink.rowDescription(pr.columns());
            }
        }
        if (p.rows != null) {
            int sent = sendBuffered(p, maxRows, sink);
            if (sent < 0) {
                return true;
            }
            p.done = true;
            sink.commandComplete(st instanceof Utility.Show ? "SHOW" : "SELECT " + sent);
            return false;
        }
        p.tag = utility(st, sink);
        p.done = true;
        sink.commandComplete(p.tag);
        return false;
    }

    /** Runs a portal of the data path: the whole statement at the first Execute, rows sent as asked. */
    private boolean runData(Portal p, int maxRows, ResultSink sink, boolean describe) {
        Prepared pr = p.prepared;
        if (p.tag == null) {
            data.ts.ctx = typesContext().withRelations(this::regclassIn, this::regclassOut, this::regnamespaceOut)
                    .withTypes(data.ts);
            // the privilege checks of a statement prepared before a SET ROLE are the current role's
            data.roleContext = roleContext(data.roleContext.passwordEncryption());
            // as PostgreSQL's, writing the session's temporary tables is allowed in a read-only transaction
            boolean tempWrite = pr.data() != null && pr.data().dml != null && pr.data().dml.rel().node() != null
                    && pr.data().dml.rel().node().isTemp();
            if (txn != null) {
                txn.tempWriteInReadOnly = tempWrite;
            }
            if (txn != null && txn.readOnly() && !(pr.stmt() instanceof SelectStmt)
                    && !(pr.stmt() instanceof Utility.Explain) && !tempWrite) {
                String what = pr.data() != null && !pr.data().kind.equals("DDL") && !pr.data().kind.equals("COPY")
                        ? pr.data().kind
                        : pr.stmt() instanceof modgres.sql.ast.Ddl.CreateTableAs ctas
                                ? ctas.materialized() ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS"
                        : kindOf(pr.stmt(), modgres.sql.ast.SqlDeparser.deparse(pr.stmt()));
                throw new PgException("25006", "cannot execute " + what + " in a read-only transaction");
            }
            DataPath.Compiled c = pr.data();
            if (pr.stmt() instanceof Utility.Copy cp) {
                data.noticeSink = n -> notice(sink, n); // RAISE NOTICE from triggers COPY FROM fires
                p.tag = data.copy(cp, sink, p.params, this::checkCancel, this, searchPath());
                p.done = true;
                sink.commandComplete(p.tag);
                return false;
            }
            if (c.version != data.svc.cache().version(txn.database()) || txn.changedCatalog()
                    || !data.roleContext.user().equals(c.plannedAs)) { // row-level security depends on the role
                DataPath.Compiled again = data.compile(pr.stmt(), c.paramTypes, searchPath());
                if (!java.util.Objects.equals(again.columns, c.columns)) {
                    throw new PgException("0A000", "cached plan must not change result type");
                }
                c = again;
            }
            data.noticeSink = n -> notice(sink, n); // RAISE NOTICE and the like from functions
            DataPath.Result r = data.run(c, p.params, p.formats,
                    msg -> notice(sink, msg.startsWith(DdlExecutor.INFO)
                            ? new Notice("INFO", "00000", msg.substring(DdlExecutor.INFO.length()), null, null, 0)
                            : msg.startsWith(Privileges.WARNING)
                                    ? new Notice("WARNING", msg.substring(Privileges.WARNING.length(),
                                            Privileges.WARNING.length() + 5), msg.substring(
                                                    Privileges.WARNING.length() + 5), null, null, 0)
                            : msg.contains(DdlExecutor.DETAIL)
                                    ? new Notice("NOTICE", "00000", msg.substring(0, msg.indexOf(DdlExecutor.DETAIL)),
                                            msg.substring(msg.indexOf(DdlExecutor.DETAIL)
                                                    + DdlExecutor.DETAIL.length()), null, 0)
                            : new Notice("NOTICE", "00000", msg, null, null, 0)), this::checkCancel, this);
            p.tag = r.tag();
            p.rows = r.rows();
            if (describe && p.rows != null) {
                sink.rowDescription(pr.columns());
            }
        }
        if (p.rows != null) {
            int sent = sendBuffered(p, maxRows, sink);
            if (sent < 0) {
                return true;
            }
            p.done = true;
            sink.commandComplete(p.tag.startsWith("SELECT") ? "SELECT " + sent : p.tag);
            return false;
        }
        p.done = true;
        sink.commandComplete(p.tag);
        return false;
    }

    /**
     * Sends a portal's remaining buffered rows, at most {@code maxRows} (0: all): the number sent, or -1 when
     * it stopped at the limit (the portal is suspended).
     */
    private int sendBuffered(Portal p, int maxRows, ResultSink sink) {
        int sent = 0;
        while (p.next < p.rows.size()) {
            checkCancel();
            if (maxRows > 0 && sent == maxRows) {
                return -1;
            }
            sink.dataRow(p.rows.get(p.next++));
            sent++;
        }
        return sent;
    }

    /** Runs a cursor or prepared-statement command (SessionCommands); EXECUTE runs its target as an inner portal. */
    private boolean runSessionCommand(Portal p, int maxRows, ResultSink sink, boolean describe) {
        if (p.delegate == null && p.tag == null) {
            SessionCommands.Outcome o = commands.run(p.prepared.stmt(), p.params, debugQueryString,
                    p.bound ? p.formats : null);
            if (o.target() != null) {
                p.delegate = new Portal(o.target(), o.values(), p.formats);
            } else {
                p.rows = o.rows();
                p.tag = o.tag();
                if (describe && p.rows != null) {
                    sink.rowDescription(p.prepared.columns());
                }
            }
        }
        if (p.delegate != null) {
            boolean suspended = run(p.delegate, maxRows, sink, describe);
            current = p;
            return suspended;
        }
        if (p.rows != null && sendBuffered(p, maxRows, sink) < 0) {
            return true;
        }
        p.done = true;
        sink.commandComplete(p.tag);
        return false;
    }

    private List<byte[][]> rows(Portal p) {
        Prepared pr = p.prepared;
        List<byte[][]> out = new ArrayList<>();
        if (pr.stmt() instanceof Utility.Show sh) {
            if (sh.name().equals("all")) {
                for (String[] r : settings.all()) {
                    byte[][] row = new byte[3][];
                    for (int i = 0; i < 3; i++) {
                        row[i] = encode(r[i], PgType.TEXT, format(p.formats, i));
                    }
                    out.add(row);
                }
            } else {
                if (!settings.known(sh.name())) {
                    throw SessionSettings.unknown(sh.name());
                }
                out.add(new byte[][] {encode(settings.show(sh.name()), PgType.TEXT, format(p.formats, 0))});
            }
            return out;
        }
        Object[] saved = params;
        params = p.params;
        try {
            byte[][] row = new byte[pr.targets().size()][];
            for (int i = 0; i < row.length; i++) {
                Typed t = pr.targets().get(i);
                row[i] = encode(t.ev().eval(this), t.type().output(), format(p.formats, i));
            }
            out.add(row);
        } finally {
            params = saved;
        }
        return out;
    }

    private Object[] params = new Object[0];

    private static final List<String> LEVELS = List.of("debug5", "debug4", "debug3", "debug2", "debug1", "log",
            "notice", "warning", "error");

    /** Sends a notice when its severity passes client_min_messages. */
    private void notice(ResultSink sink, Notice n) {
        String min = "notice";
        if (settings.known("client_min_messages")) {
            min = settings.get("client_min_messages").toLowerCase(Locale.ROOT);
        }
        String sev = n.severity().toLowerCase(Locale.ROOT);
        int level = sev.equals("info") ? Integer.MAX_VALUE : LEVELS.indexOf(sev);
        if (level >= LEVELS.indexOf(min) || LEVELS.indexOf(min) < 0) {
            sink.notice(n);
        }
    }

    private static Notice warning(String state, String message) {
        return new Notice("WARNING", state, message, null, null, 0);
    }

    private String setValue(Utility.VariableSet vs) {
        StringBuilder sb = new StringBuilder();
        for (Expr e : vs.values()) {
            if (!(e instanceof Expr.Constant c) || c.value() == null) {
                throw ExprCompiler.notSupported("this SET value", e.position());
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(c.value());
        }
        return sb.toString();
    }

    private String utility(Statement st, ResultSink sink) {
        if (st instanceof Utility.VariableSet vs) {
            try {
                return variableSet(vs, sink);
            } finally {
                if (txn != null && txn.active()) {
                    applyTxnSettings(); // lock_timeout, synchronous_commit: in force from the next statement on
                }
            }
        }
        return otherUtility(st, sink);
    }

    private String variableSet(Utility.VariableSet vs, ResultSink sink) {
        if (vs.local() && !inBlock && !implicitBlock) {
            notice(sink, warning("25P01", "SET LOCAL can only be used in transaction blocks"));
        }
        if (vs.name() != null && (vs.name().equals("session_authorization") || vs.name().equals("role"))) {
            return setIdentity(vs);
        }
        switch (vs.kind()) {
            case VALUE -> settings.set(vs.name(), setValue(vs), vs.local());
            case DEFAULT -> settings.set(vs.name(), null, vs.local());
            case RESET -> {
                settings.reset(vs.name());
                return "RESET";
            }
            case RESET_ALL -> {
                settings.resetAll();
                return "RESET";
            }
            default -> throw ExprCompiler.notSupported("SET FROM CURRENT", vs.position());
        }
        return "SET";
    }

    private String otherUtility(Statement st, ResultSink sink) {
        if (st instanceof Utility.SetTransaction stx) {
            if (stx.snapshot() != null) {
                throw ExprCompiler.notSupported("SET TRANSACTION SNAPSHOT", stx.position());
            }
            if (stx.sessionCharacteristics()) {
                for (modgres.sql.ast.TransactionMode m : stx.modes()) {
                    switch (m.kind()) {
                        case ISOLATION_LEVEL -> settings.set("default_transaction_isolation", m.level().setting, false);
                        case READ_ONLY -> settings.set("default_transaction_read_only", "on", false);
                        case READ_WRITE -> settings.set("default_transaction_read_only", "off", false);
                        case DEFERRABLE -> settings.set("default_transaction_deferrable", "on", false);
                        case NOT_DEFERRABLE -> settings.set("default_transaction_deferrable", "off", false);
                        default -> {
                        }
                    }
                }
                return "SET";
            }
            if (!inBlock && !implicitBlock) {
                notice(sink, warning("25P01", "SET TRANSACTION can only be used in transaction blocks"));
                return "SET";
            }
            for (modgres.sql.ast.TransactionMode m : stx.modes()) {
                if (m.kind() == modgres.sql.ast.TransactionMode.Kind.ISOLATION_LEVEL && txn != null
                        && !txn.isolation().sqlName().equals(m.level().setting)) {
                    if (txn.snapshotTaken()) {
                        throw new PgException("25001",
                                "SET TRANSACTION ISOLATION LEVEL must be called before any query");
                    }
                    if (!savepoints.isEmpty()) {
                        throw new PgException("25001",
                                "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction");
                    }
                }
                if ((m.kind() == modgres.sql.ast.TransactionMode.Kind.DEFERRABLE
                        || m.kind() == modgres.sql.ast.TransactionMode.Kind.NOT_DEFERRABLE) && txn != null) {
                    if (!savepoints.isEmpty()) {
                        throw new PgException("25001",
                                "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction");
                    }
                    if (txn.snapshotTaken()) {
                        throw new PgException("25001", "SET TRANSACTION [NOT] DEFERRABLE must be called before any query");
                    }
                }
                if (m.kind() == modgres.sql.ast.TransactionMode.Kind.READ_WRITE && txn != null && txn.readOnly()) {
                    if (!savepoints.isEmpty()) {
                        throw new PgException("25006",
                                "cannot set transaction read-write mode inside a read-only transaction");
                    }
                    if (txn.snapshotTaken()) {
                        throw new PgException("25001", "transaction read-write mode must be set before any query");
                    }
                }
            }
            transactionModes(stx.modes());
            return "SET";
        }
        Utility.Transaction t = (Utility.Transaction) st;
        switch (t.kind()) {
            case BEGIN, START -> {
                if (inBlock) {
                    notice(sink, warning("25001", "there is already a transaction in progress"));
                }
                startXact();
                inBlock = true;
                transactionModes(t.modes());
                return t.kind() == Utility.TransactionKind.BEGIN ? "BEGIN" : "START TRANSACTION";
            }
            case COMMIT, ROLLBACK -> {
                boolean rollback = t.kind() == Utility.TransactionKind.ROLLBACK || failed;
                if (!inBlock) {
                    if (t.chain()) {
                        throw new PgException("25P01", (t.kind() == Utility.TransactionKind.ROLLBACK ? "ROLLBACK"
                                : "COMMIT") + " AND CHAIN can only be used in transaction blocks");
                    }
                    notice(sink, warning("25P01", "there is no transaction in progress"));
                }
                // AND CHAIN: the new transaction has the ended one's characteristics
                modgres.api.txn.IsolationLevel chainIsolation = txn != null && txn.active() ? txn.isolation() : null;
                boolean chainReadOnly = txn != null && txn.readOnly();
                boolean chainDeferrable = deferrable;
                endXact(!rollback);
                if (t.chain()) {
                    startXact();
                    inBlock = true;
                    if (txn != null && chainIsolation != null) {
                        txn.setIsolation(chainIsolation);
                        txn.setReadOnly(chainReadOnly);
                    }
                    deferrable = chainDeferrable;
                }
                return rollback ? "ROLLBACK" : "COMMIT";
            }
            case SAVEPOINT -> {
                requireBlock("SAVEPOINT");
                savepoints.add(new Savepoint(t.name(), settings.snapshot(), txn != null && txn.readOnly()));
                if (txn != null) {
                    txn.savepoint();
                }
                return "SAVEPOINT";
            }
            case RELEASE -> {
                requireBlock("RELEASE SAVEPOINT");
                int i = findSavepoint(t.name());
                boolean readOnly = savepoints.get(i).readOnly();
                savepoints.subList(i, savepoints.size()).clear();
                commands.cursors.released(i + 1);
                if (txn != null) {
                    txn.release(i + 1);
                    txn.setReadOnly(readOnly); // SET TRANSACTION in a subtransaction ends with it
                }
                return "RELEASE";
            }
            case ROLLBACK_TO -> {
                requireBlock("ROLLBACK TO SAVEPOINT");
                int i = findSavepoint(t.name());
                savepoints.subList(i + 1, savepoints.size()).clear();
                settings.restore(savepoints.get(i).settings());
                commands.cursors.rolledBackTo(i + 1); // cursors declared since the savepoint close
                if (txn != null) {
                    txn.rollbackTo(i + 1);
                    txn.setReadOnly(savepoints.get(i).readOnly());
                    data.invalidate();
                }
                failed = false;
                return "ROLLBACK";
            }
            case PREPARE -> {
                return prepareTransaction(sink);
            }
            case COMMIT_PREPARED, ROLLBACK_PREPARED -> {
                String what = t.kind() == Utility.TransactionKind.COMMIT_PREPARED ? "COMMIT PREPARED"
                        : "ROLLBACK PREPARED";
                if (inBlock) {
                    throw new PgException("25001", what + " cannot run inside a transaction block");
                }
                // no transaction is ever prepared here (max_prepared_transactions = 0)
                throw new PgException("42704", "prepared transaction with identifier \"" + t.name()
                        + "\" does not exist");
            }
            default -> throw ExprCompiler.notSupported(t.kind().name(), t.position());
        }
    }

    /**
     * PREPARE TRANSACTION (PostgreSQL's PrepareTransactionBlock and
     * PrepareTransaction). Outside a block: WARNING, tag ROLLBACK. In a
     * failed block: the transaction rolls back, tag ROLLBACK. Otherwise the
     * transaction cannot be prepared: 0A000 when it used temporary objects,
     * else 55000 (max_prepared_transactions is 0; two-phase commit is not
     * built). Either error ends the transaction, rolled back, and leaves the
     * session outside any block, as PostgreSQL's failed PREPARE does.
     */
    private String prepareTransaction(ResultSink sink) {
        if (!inBlock) {
            notice(sink, warning("25P01", "there is no transaction in progress"));
            endXact(false);
            return "ROLLBACK";
        }
        if (failed) {
            endXact(false);
            return "ROLLBACK";
        }
        boolean temp = txn != null && txn.accessedTempObjects();
        endXact(false);
        if (temp) {
            throw new PgException("0A000", "cannot PREPARE a transaction that has operated on temporary objects");
        }
        String max = setting("max_prepared_transactions");
        if (max == null || max.equals("0")) {
            throw new PgException("55000", "prepared transactions are disabled", null,
                    "Set max_prepared_transactions to a nonzero value.");
        }
        throw new PgException("0A000", "PREPARE TRANSACTION is not supported yet");
    }

    private void transactionModes(List<modgres.sql.ast.TransactionMode> modes) {
        for (modgres.sql.ast.TransactionMode m : modes) {
            switch (m.kind()) {
                case ISOLATION_LEVEL -> {
                    if (txn != null) {
                        txn.setIsolation(modgres.api.txn.IsolationLevel.fromSqlName(m.level().setting));
                    }
                    try {
                        settings.set("transaction_isolation", m.level().setting, true);
                    } catch (RuntimeException e) {
                        // the setting is informational here; the transaction has the level
                    }
                }
                case READ_ONLY -> {
                    if (txn != null) {
                        txn.setReadOnly(true);
                    }
                }
                case READ_WRITE -> {
                    if (txn != null) {
                        txn.setReadOnly(false);
                    }
                }
                case DEFERRABLE -> deferrable = true;
                case NOT_DEFERRABLE -> deferrable = false;
                default -> {
                }
            }
        }
    }

    private void requireBlock(String what) {
        if (!inBlock) {
            throw new PgException("25P01", what + " can only be used in transaction blocks");
        }
    }

    private int findSavepoint(String name) {
        for (int i = savepoints.size() - 1; i >= 0; i--) {
            if (savepoints.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new PgException("3B001", "savepoint \"" + name + "\" does not exist");
    }

    // ---------------------------------------------------------------- extended protocol

    @Override
    public StatementDescription parse(String name, String query, int[] parameterTypes) {
        debugQueryString = query;
        try {
            if (!name.isEmpty() && statements.containsKey(name)) {
                throw new PgException("42P05", "prepared statement \"" + name + "\" already exists");
            }
            List<ParsedStatement> list = SqlParser.parse(query);
            if (list.size() > 1) {
                throw new PgException("42601", "cannot insert multiple commands into a prepared statement");
            }
            Prepared p;
            if (list.isEmpty()) {
                p = new Prepared(null, 0, null, null, new int[0]);
            } else {
                ParsedStatement ps = list.get(0);
                checkAborted(ps.statement());
                p = compile(ps.statement(), ps.text(), ps.position(), parameterTypes);
            }
            statements.put(name, p);
            commands.parsed(name, query);
            return new StatementDescription(p.paramTypes().clone(), p.columns());
        } catch (RuntimeException e) {
            onError();
            throw e;
        }
    }

    @Override
    public void bind(String portal, String statement, byte[][] parameters, short[] parameterFormats,
            short[] resultFormats) {
        try {
            Prepared p = statements.get(statement);
            if (p == null) {
                throw new PgException("26000", "prepared statement \"" + statement + "\" does not exist");
            }
            if (p.stmt() != null) {
                checkAborted(p.stmt());
            }
            int[] types = p.paramTypes();
            if (parameters.length != types.length) {
                throw new PgException("08P01", "bind message supplies " + parameters.length
                        + " parameters, but prepared statement \"" + statement + "\" requires " + types.length);
            }
            int ncols = p.columns() == null ? 0 : p.columns().size();
            if (resultFormats.length > 1 && resultFormats.length != ncols) {
                throw new PgException("08P01", "bind message has " + resultFormats.length
                        + " result formats but query has " + ncols + " columns");
            }
            for (int i = 0; i < ncols && p.data() == null && !SessionCommands.handles(p.stmt()); i++) {
                short f = format(resultFormats, i);
                PgType t = PgType.byOid(p.columns().get(i).typeOid());
                if (f == 1 && (t == null || !t.binaryOutput())) {
                    throw new PgException("0A000", "binary output of type " + (t == null ? "?" : t.sqlName)
                            + " is not supported yet");
                } else if (f != 0 && f != 1) {
                    throw new PgException("22023", "unsupported format code: " + f);
                }
            }
            Object[] values = new Object[parameters.length];
            for (int i = 0; i < values.length; i++) {
                if (parameters[i] == null) {
                    continue;
                }
                short f = format(parameterFormats, i);
                if (p.data() != null) {
                    values[i] = f == 1 ? data.ts.receive(types[i], parameters[i], this)
                            : data.ts.inputText(types[i], new String(parameters[i], StandardCharsets.UTF_8), this);
                    continue;
                }
                PgType t = PgType.forParameter(types[i]);
                values[i] = f == 1 ? t.binaryInput(parameters[i])
                        : t.input(new String(parameters[i], StandardCharsets.UTF_8));
            }
            if (!portal.isEmpty() && (portals.containsKey(portal) || commands.cursors.exists(portal))) {
                throw new PgException("42P03", "cursor \"" + portal + "\" already exists");
            }
            startXact();
            Portal bound = new Portal(p, values, resultFormats.clone());
            bound.bound = true;
            portals.put(portal, bound);
        } catch (RuntimeException e) {
            onError();
            throw e;
        }
    }

    @Override
    public StatementDescription describeStatement(String name) {
        Prepared p = statements.get(name);
        if (p == null) {
            onError();
            throw new PgException("26000", "prepared statement \"" + name + "\" does not exist");
        }
        return new StatementDescription(p.paramTypes().clone(), p.columns());
    }

    @Override
    public List<ColumnDescriptor> describePortal(String portal) {
        Portal p = portals.get(portal);
        if (p == null) {
            onError();
            throw new PgException("34000", "portal \"" + portal + "\" does not exist");
        }
        List<ColumnDescriptor> cols = p.prepared.columns();
        if (cols == null) {
            return null;
        }
        List<ColumnDescriptor> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            ColumnDescriptor c = cols.get(i);
            out.add(new ColumnDescriptor(c.name(), c.tableOid(), c.columnNumber(), c.typeOid(), c.typeSize(),
                    c.typeModifier(), format(p.formats, i)));
        }
        return out;
    }

    @Override
    public ExecuteResult execute(String portal, int maxRows, ResultSink sink) {
        begin();
        try {
            Portal p = portals.get(portal);
            if (p == null) {
                throw new PgException("34000", "portal \"" + portal + "\" does not exist");
            }
            if (p.prepared.stmt() != null) {
                checkAborted(p.prepared.stmt());
            }
            checkCancel();
            startXact();
            return run(p, maxRows, sink, false) ? ExecuteResult.SUSPENDED : ExecuteResult.COMPLETED;
        } catch (RuntimeException e) {
            onError();
            throw e;
        } finally {
            end();
        }
    }

    @Override
    public void closeStatement(String name) {
        statements.remove(name);
        commands.closed(name);
    }

    @Override
    public void closePortal(String portal) {
        portals.remove(portal);
    }

    @Override
    public void sync() {
        if (!inBlock && xactOpen) {
            endXact(true);
        }
    }

    @Override
    public char transactionStatus() {
        return failed ? 'E' : inBlock ? 'T' : 'I';
    }

    @Override
    public Map<String, String> reportedParameters() {
        Map<String, String> m = settings.reported();
        lastReported = m;
        lastReportedVersion = settings.version();
        return new LinkedHashMap<>(m);
    }

    @Override
    public Map<String, String> takeChangedParameters() {
        long version = settings.version();
        if (version == lastReportedVersion) {
            return Map.of(); // no SET, RESET, transaction end with SET LOCAL values or reload since the last report
        }
        lastReportedVersion = version;
        Map<String, String> now = settings.reported();
        Map<String, String> changed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!e.getValue().equals(lastReported.get(e.getKey()))) {
                changed.put(e.getKey(), e.getValue());
            }
        }
        lastReported = now;
        return changed;
    }

    @Override
    public String setting(String name) {
        try {
            return settings.getIfKnown(name);
        } catch (PgException e) {
            return null;
        }
    }

    @Override
    public void cancel() {
        if (running) {
            cancelRequested = true;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (xactOpen) {
                endXact(false);
            }
            if (data != null) {
                try {
                    data.dropTempTables(() -> { });
                } catch (RuntimeException e) {
                    // the server keeps serving; the schema stays until the name is reused
                }
                data.sessionEnded(!maintenance);
            }
            statements.clear();
            portals.clear();
            commands.cursors.closeAll();
        }
    }

    // ---------------------------------------------------------------- autovacuum

    /** Local buffers of the session's temporary tables holding a page now (tests). */
    int tempBuffersInUseForTests() {
        return data == null ? 0 : data.temp.buffersInUse();
    }

    /** temp_buffers in pages (its base unit), PostgreSQL's default when it cannot be read. */
    private int tempBuffersSetting() {
        try {
            return Integer.parseInt(settings.get(SessionSettings.TEMP_BUFFERS));
        } catch (RuntimeException e) {
            return DataPath.DEFAULT_TEMP_BUFFERS;
        }
    }

    /** The first session of a database since the engine started: drops temporary schemas a crash left. */
    void dropOrphanTempSchemas(java.util.function.IntPredicate alive) {
        if (data != null) {
            data.dropOrphanTempSchemas(alive);
        }
    }

    /** A memory setting (kB, as settings.get gives it in its base unit) in bytes; -1 stays -1. */
    long settingBytes(String name) {
        try {
            long kb = Long.parseLong(settings.get(name));
            return kb < 0 ? -1 : kb * 1024;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** A real setting's value (hash_mem_multiplier); -1 when it is unknown or not a number. */
    double settingReal(String name) {
        try {
            return Double.parseDouble(settings.get(name));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** An autovacuum worker's session: not a client session, so pg_stat_database.sessions does not count it. */
    boolean maintenance;

    /** The database's tables for autovacuum (a maintenance session only). */
    java.util.List<modgres.api.autovacuum.TableInfo> maintenanceTables() {
        return data.maintenanceTables(info.database());
    }

    /** An autovacuum worker's run on one table (a maintenance session only). */
    modgres.api.autovacuum.Maintenance.Result maintain(int relOid, boolean vacuum, boolean analyze, boolean freeze,
            java.util.function.IntConsumer pageDone) {
        long mem = settingBytes("autovacuum_work_mem");
        return data.maintain(relOid, vacuum, analyze, freeze, pageDone,
                mem >= 0 ? mem : settingBytes("maintenance_work_mem"), this::setting);
    }

    // ---------------------------------------------------------------- EvalContext

    /** current_schema(): the first schema of search_path that exists. */
    String firstSchema() {
        if (data == null) {
            return "public";
        }
        var cat = data.catalog();
        for (String s : searchPath()) {
            if (s.equals("pg_temp")) {
                // the temporary schema first on the path: PostgreSQL's fetch_search_path creates it now
                return txn != null && txn.active() ? data.ensureTempSchema() : null;
            }
            if (cat.namespace(s) != null) {
                return s;
            }
        }
        return null;
    }

    /**
     * current_schemas(implicit): the schemas of search_path that exist, in
     * order; with {@code implicit}, pg_catalog first unless search_path names
     * it, and this session's temporary schema before it when there is one (as
     * PostgreSQL's fetch_search_path).
     */
    modgres.sql.types.PgArray currentSchemas(boolean implicit) {
        List<String> out = new ArrayList<>();
        var cat = data == null ? null : data.catalog();
        List<String> path = searchPath();
        if (implicit) {
            String temp = modgres.sql.exec.DdlExecutor.tempSchemaName((int) info.pid());
            if (cat != null && cat.namespace(temp) != null && !path.contains("pg_temp")) {
                out.add(temp);
            }
            if (!path.contains("pg_catalog")) {
                out.add("pg_catalog");
            }
        }
        for (String s : path) {
            if (s.equals("pg_temp")) {
                continue;
            }
            if (cat == null ? s.equals("public") || s.equals("pg_catalog") : cat.namespace(s) != null) {
                out.add(s);
            }
        }
        return modgres.sql.types.PgArray.of(modgres.sql.types.Types.NAME, out.toArray());
    }

    /** pg_get_userbyid(): the role's name, or "unknown (OID=n)" as PostgreSQL prints a missing one. */
    String roleName(long oid) {
        if (data != null) {
            var store = new modgres.sql.catalog.CatalogStore(data.svc.heap(), 0);
            var t = modgres.sql.catalog.SysTable.PG_AUTHID;
            for (var r : store.scan(t, txn.catalogSnapshot())) {
                if (Integer.toUnsignedLong((Integer) r.get(t, "oid")) == oid) {
                    return (String) r.get(t, "rolname");
                }
            }
        }
        return "unknown (OID=" + oid + ")";
    }

    /** currval's memory: the last value nextval gave this session, per sequence OID. */
    private final Map<Integer, Long> currvals = new HashMap<>();

    private modgres.sql.catalog.Relation sequence(String name) {
        var r = relationNamed(name);
        if (r.kind() != 'S') {
            throw new PgException("42809", "\"" + r.name() + "\" is not a sequence");
        }
        return r;
    }

    /**
     * pg_get_serial_sequence(table, column): the schema-qualified name of the sequence a serial or identity
     * column owns, null when it owns none.
     */
    String serialSequence(String table, String column) {
        var r = relationNamed(table);
        var col = r.column(column.startsWith("\"") && column.endsWith("\"")
                ? column.substring(1, column.length() - 1).replace("\"\"", "\"") : column.toLowerCase(Locale.ROOT));
        if (col == null) {
            throw new PgException("42703", "column \"" + column + "\" of relation \"" + r.name()
                    + "\" does not exist");
        }
        String owned = "owned_by=" + Integer.toUnsignedString(r.oid()) + "." + col.attnum();
        var cat = catalogView();
        for (modgres.sql.catalog.Relation seq : cat.relations()) {
            if (seq.kind() == 'S' && owned.equals(seq.options())) {
                return modgres.sql.ast.Keywords.quoteIdentifier(cat.namespace(seq.namespace()).name()) + "."
                        + modgres.sql.ast.Keywords.quoteIdentifier(seq.name());
            }
        }
        return null;
    }

    /** A relation by a (perhaps schema-qualified, perhaps quoted) name in text, as regclass input reads it. */
    private modgres.sql.catalog.Relation relationNamed(String name) {
        if (data == null) {
            throw new PgException("0A000", "sequences need the storage services");
        }
        String schema = null;
        String rel = name;
        int dot = name.indexOf('.');
        if (dot > 0 && !name.startsWith("\"")) {
            schema = name.substring(0, dot);
            rel = name.substring(dot + 1);
        }
        rel = rel.startsWith("\"") && rel.endsWith("\"") ? rel.substring(1, rel.length() - 1).replace("\"\"", "\"")
                : rel.toLowerCase(Locale.ROOT);
        var planner = data.planner(new int[0], searchPath());
        var r = planner.lookup(schema, rel);
        if (r == null) {
            throw new PgException("42P01", "relation \"" + name + "\" does not exist");
        }
        return r;
    }

    private modgres.sql.exec.Sequences.Def sequenceDef(modgres.sql.catalog.Relation r) {
        var t = modgres.sql.catalog.SysTable.PG_SEQUENCE;
        var row = data.catalog().row(t, "seqrelid", r.oid());
        return new modgres.sql.exec.Sequences.Def((Long) row.get(t, "seqstart"), (Long) row.get(t, "seqincrement"),
                (Long) row.get(t, "seqmin"), (Long) row.get(t, "seqmax"), (Long) row.get(t, "seqcache"),
                (Boolean) row.get(t, "seqcycle"));
    }

    long nextval(String name) {
        var r = sequence(name);
        if (txn != null && txn.readOnly()) {
            throw new PgException("25006", "cannot execute nextval() in a read-only transaction");
        }
        long v = data.svc.sequences().nextval(r.ref(), sequenceDef(r));
        currvals.put(r.oid(), v);
        return v;
    }

    long currval(String name) {
        var r = sequence(name);
        Long v = currvals.get(r.oid());
        if (v == null) {
            throw new PgException("55000", "currval of sequence \"" + r.name() + "\" is not yet defined in this "
                    + "session");
        }
        return v;
    }

    long setval(String name, long value, boolean isCalled) {
        var r = sequence(name);
        data.svc.sequences().setval(r.ref(), sequenceDef(r), value, isCalled);
        if (isCalled) {
            currvals.put(r.oid(), value);
        }
        return value;
    }

    /** regclass input: a (possibly qualified, quoted) relation name along search_path; -1 when not found. */
    long regclassIn(String name) {
        if (data == null) {
            return -1;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < name.length() && name.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(quoted ? c : Character.toLowerCase(c));
            }
        }
        parts.add(cur.toString());
        if (parts.size() > 2) {
            return -1;
        }
        var planner = data.planner(new int[0], searchPath());
        var r = parts.size() == 2 ? planner.lookup(parts.get(0), parts.get(1)) : planner.lookup(null, parts.get(0));
        return r == null ? -1 : Integer.toUnsignedLong(r.oid());
    }

    /** regnamespace output: the schema's name (quoted as needed); null for an unknown OID. */
    String regnamespaceOut(long oid) {
        var cat = catalogView();
        var ns = cat == null ? null : cat.namespace((int) oid);
        return ns == null ? null : modgres.sql.ast.Keywords.quoteIdentifier(ns.name());
    }

    /** regclass output: the name, schema-qualified when search_path does not find it; null for an unknown OID. */
    String regclassOut(long oid) {
        var cat = catalogView();
        var rel = cat == null ? null : cat.relation((int) oid);
        return rel == null ? null : CatalogFunctions.relationName(this, cat, rel);
    }

    /**
     * Bytes in the files of a relation's fork ({@code fork} "main", "fsm", "vm", "init"; null: all of them),
     * every 1 GiB segment counted, as pg_relation_size and pg_table_size measure; null for an unknown oid.
     */
    Long relationBytes(int relOid, String fork) {
        var cat = catalogView();
        modgres.sql.catalog.Relation r = cat == null ? null : cat.relation(relOid);
        if (r == null || r.node() == null) {
            return null;
        }
        java.nio.file.Path dir = data.svc.dataDir().resolve(r.shared() ? "global"
                : "base/" + Integer.toUnsignedString(r.node().database()));
        String file = (r.node().isTemp() ? "t" + r.node().backend() + "_" : "")
                + Integer.toUnsignedString(r.node().relfilenode());
        long bytes = 0;
        for (String f : fork == null ? List.of("main", "fsm", "vm", "init") : List.of(fork)) {
            String base = f.equals("main") ? file : file + "_" + f;
            for (int seg = 0;; seg++) {
                java.nio.file.Path p = dir.resolve(seg == 0 ? base : base + "." + seg);
                try {
                    bytes += java.nio.file.Files.size(p);
                } catch (java.io.IOException e) {
                    break; // no such fork, or the last segment passed
                }
            }
        }
        return bytes;
    }

    /** pg_indexes_size: the bytes of all indexes of a table (0 for an unknown oid or none). */
    long indexesBytes(int relOid) {
        var cat = catalogView();
        modgres.sql.catalog.Relation r = cat == null ? null : cat.relation(relOid);
        long bytes = 0;
        if (r != null) {
            for (modgres.sql.catalog.Relation.Index ix : r.indexes()) {
                Long b = relationBytes(ix.oid(), null);
                bytes += b == null ? 0 : b;
            }
        }
        return bytes;
    }

    /** pg_database_size by oid (name null) or by name: the bytes of its directory; 3D000 when none. */
    Long databaseBytes(int oid, String name) {
        var cat = catalogView();
        if (cat == null) {
            return null;
        }
        modgres.sql.catalog.SysTable d = modgres.sql.catalog.SysTable.PG_DATABASE;
        modgres.sql.catalog.CatalogStore.Row row = name != null ? cat.row(d, "datname", name)
                : cat.row(d, "oid", oid);
        if (row == null) {
            if (name != null) {
                throw new PgException("3D000", "database \"" + name + "\" does not exist");
            }
            return null;
        }
        java.nio.file.Path dir = data.svc.dataDir().resolve("base/"
                + Integer.toUnsignedString(((Number) row.get(d, "oid")).intValue()));
        try (var files = java.nio.file.Files.walk(dir)) {
            return files.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> {
                try {
                    return java.nio.file.Files.size(p);
                } catch (java.io.IOException e) {
                    return 0; // removed while counted (a temporary file)
                }
            }).sum();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0L;
        }
    }

    /** The catalog as the current statement's transaction sees it (catalog functions), null without tables. */
    modgres.sql.catalog.CatalogView catalogView() {
        return data == null ? null : data.catalog();
    }

    /** pg_table_is_visible(): found first by its name along search_path. */
    boolean tableVisible(int oid) {
        if (data == null) {
            return false;
        }
        var cat = data.catalog();
        var rel = cat.relation(oid);
        if (rel == null) {
            return false;
        }
        List<String> path = new ArrayList<>(List.of("pg_catalog"));
        path.addAll(searchPath());
        for (String s : path) {
            var ns = cat.namespace(s);
            if (ns != null && cat.relation(ns.oid(), rel.name()) != null) {
                return cat.relation(ns.oid(), rel.name()).oid() == oid;
            }
        }
        return false;
    }

    @Override
    public Object param(int index) {
        return index < params.length ? params[index] : null;
    }

    @Override
    public String currentUser() {
        return settings.currentUser();
    }

    @Override
    public String sessionUser() {
        return settings.sessionUser();
    }

    // ---------------------------------------------------------------- identity
    /*
     * One notion of "who": SessionSettings keeps the session user (SET SESSION AUTHORIZATION) and the role
     * (SET ROLE) with the settings' transactional behaviour; the current role is the role, else the session
     * user. Its pg_authid attributes (superuser, createrole, bypassrls) are looked up per statement (cached per
     * shared-catalog version) and handed to the data path as its RoleContext, which every privilege check,
     * relation ownership on CREATE and row-level security use. The login role's superuser flag (what the
     * backend authenticated) decides only SET SESSION AUTHORIZATION, as PostgreSQL's "authenticated user".
     *
     *   SET ROLE r      allowed for a superuser session user, r = the session user, or a role the session
     *                   user is a member of (GRANT r TO ...); 42501 permission denied to set role "r"
     *   SET ROLE NONE / RESET ROLE        back to the session user
     *   SET SESSION AUTHORIZATION r      only when the login role is a superuser (42501 otherwise);
     *                   also resets the role to NONE
     *   SET SESSION AUTHORIZATION DEFAULT / RESET SESSION AUTHORIZATION   back to the login role
     */

    /** True when the current role is a superuser (the login flag when there is no catalog to ask). */
    boolean currentSuperuser() {
        String me = settings.currentUser();
        return me.equals(info.user()) ? superuser : attributes(me).superuser();
    }

    /** pg_authid's attributes of a role; the login role's flag when the catalog has no such role (tests). */
    private DataPath.RoleAttributes attributes(String role) {
        if (data == null || txn == null || !txn.active()) {
            boolean me = role.equals(info.user()); // no catalog to ask: only the login role is known
            return new DataPath.RoleAttributes(me, me && superuser, me && superuser, me && superuser);
        }
        DataPath.RoleAttributes a = data.roleAttributes(role);
        if (!a.exists() && role.equals(info.user())) {
            return new DataPath.RoleAttributes(true, superuser, superuser, superuser);
        }
        return a;
    }

    private DataPath.RoleContext roleContext(String passwordEncryption) {
        String me = settings.currentUser();
        DataPath.RoleAttributes a = attributes(me);
        boolean su = a.superuser() || me.equals(info.user()) && superuser;
        return new DataPath.RoleContext(me, su, su || a.createRole(), passwordEncryption, su || a.bypassRls());
    }

    /**
     * has_table_privilege / has_column_privilege: whether {@code user} (null: the current role) holds any of
     * the comma-separated privileges (each perhaps WITH GRANT OPTION, not told apart here) on the table (an OID
     * or a name) or, with {@code column}, on the table or that column.
     */
    boolean hasPrivilege(String user, Object table, String column, String privileges) {
        String who = user != null ? user : settings.currentUser();
        DataPath.RoleAttributes a = attributes(who);
        if (user != null && !a.exists()) {
            throw new PgException("42704", "role \"" + user + "\" does not exist");
        }
        long oid = table instanceof Number num ? num.longValue() : regclassIn((String) table);
        boolean su = a.superuser() || who.equals(info.user()) && superuser;
        Privileges pv = data.privilegesOf(new DataPath.RoleContext(who, su, su, "scram-sha-256", su || a.bypassRls()));
        modgres.sql.catalog.Relation rel = data.catalog().relation((int) oid);
        if (rel == null) {
            return false; // PostgreSQL: NULL for an OID that is no relation
        }
        int attnum = 0;
        if (column != null) {
            modgres.sql.catalog.Relation.Column c = rel.column(column);
            if (c == null) {
                throw new PgException("42703", "column \"" + column + "\" of relation \"" + rel.name()
                        + "\" does not exist");
            }
            attnum = c.attnum();
        }
        for (String part : privileges.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+with\\s+grant\\s+option$", "");
            char letter;
            try {
                letter = Privileges.letter(p);
            } catch (PgException e) {
                throw new PgException("22023", "unrecognized privilege type: \"" + part.trim() + "\"");
            }
            if (su || pv.holds(rel.oid(), letter, attnum)) {
                return true;
            }
        }
        return false;
    }

    /**
     * pg_has_role: {@code user} (null: the current role) is {@code role}, a superuser, or a member of it
     * (MEMBER: through any roles; USAGE: through inheriting ones, i.e. it has the role's privileges).
     */
    boolean hasRole(String user, String role, String privilege) {
        String who = user != null ? user : settings.currentUser();
        String p = privilege.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+WITH\\s+(ADMIN|GRANT)\\s+OPTION$", "");
        if (!p.equals("MEMBER") && !p.equals("USAGE")) {
            throw new PgException("22023", "unrecognized privilege type: \"" + privilege + "\"");
        }
        if (!attributes(role).exists()) {
            throw new PgException("42704", "role \"" + role + "\" does not exist");
        }
        DataPath.RoleAttributes a = attributes(who);
        return who.equals(role) || a.superuser() || who.equals(info.user()) && superuser
                || data.membership().rolesOf(who, p.equals("USAGE")).contains(role);
    }

    /** SET [LOCAL] ROLE, RESET ROLE, SET [LOCAL] SESSION AUTHORIZATION, RESET SESSION AUTHORIZATION. */
    private String setIdentity(Utility.VariableSet vs) {
        boolean role = vs.name().equals("role");
        String target = null;
        if (vs.kind() == Utility.SetKind.VALUE) {
            target = setValue(vs);
            if (role && target.equalsIgnoreCase("none")) {
                target = null;
            }
        } else if (vs.kind() != Utility.SetKind.DEFAULT && vs.kind() != Utility.SetKind.RESET) {
            throw ExprCompiler.notSupported("SET FROM CURRENT", vs.position());
        }
        if (role) {
            if (target != null) {
                DataPath.RoleAttributes a = attributes(target);
                if (!a.exists()) {
                    throw new PgException("22023", "role \"" + target + "\" does not exist");
                }
                String sessionUser = settings.sessionUser();
                boolean sessionSuper = sessionUser.equals(info.user()) ? superuser || attributes(sessionUser)
                        .superuser() : attributes(sessionUser).superuser();
                if (!sessionSuper && !target.equals(sessionUser)
                        && !data.membership().rolesOf(sessionUser, false).contains(target)) {
                    throw new PgException("42501", "permission denied to set role \"" + target + "\"");
                }
            }
            settings.setRole(target, vs.local());
        } else {
            if (target != null) {
                if (!attributes(target).exists()) {
                    throw new PgException("42704", "role \"" + target + "\" does not exist");
                }
                if (!superuser && !target.equals(info.user())) {
                    throw new PgException("42501", "permission denied to set session authorization");
                }
            }
            settings.setSessionAuthorization(target, vs.local());
        }
        return vs.kind() == Utility.SetKind.RESET ? "RESET" : "SET";
    }

    @Override
    public String database() {
        return info.database();
    }

    @Override
    public String setting(String name, boolean missingOk) {
        if (!settings.known(name)) {
            if (missingOk) {
                return null;
            }
            throw SessionSettings.unknown(name);
        }
        return settings.show(name);
    }

    @Override
    public String setConfig(String name, String value, boolean local) {
        settings.set(name, value, local);
        return settings.show(name);
    }

    @Override
    public modgres.api.wal.Wal wal(String function, boolean superuserOnly) {
        if (superuserOnly && !currentSuperuser()) {
            throw new PgException("42501", "permission denied for function " + function);
        }
        modgres.api.wal.Wal w = walService.get();
        if (w == null) {
            throw new PgException("55000", "WAL control functions cannot be executed now",
                    "No WAL service is active.", null);
        }
        return w;
    }

    @Override
    public boolean reloadConf() {
        if (!currentSuperuser()) {
            throw new PgException("42501", "permission denied for function pg_reload_conf");
        }
        return reloader.getAsBoolean();
    }

    @Override
    public long pid() {
        return info.pid();
    }

    /** Step of pg_sleep between looks at the cancel flag and the statement timeout. */
    private static final long SLEEP_STEP_NANOS = 10_000_000L;

    @Override
    public void sleep(double seconds) {
        checkCancel();
        if (!(seconds > 0)) {
            return; // 0, negative and NaN: no sleep, as PostgreSQL
        }
        long total = seconds >= 9.2e9 ? Long.MAX_VALUE : (long) (seconds * 1e9);
        long start = System.nanoTime();
        while (true) {
            long left = total - (System.nanoTime() - start);
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(left, SLEEP_STEP_NANOS) / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            }
            checkCancel();
        }
    }

    @Override
    public Instant transactionStart() {
        return xactStart;
    }

    @Override
    public ZoneId zone() {
        String tz;
        try {
            tz = settings.get("timezone");
        } catch (PgException e) {
            tz = "UTC";
        }
        return zoneOf(tz);
    }

    // ---------------------------------------------------------------- for SessionCommands

    /** The named prepared statements (protocol Parse and SQL PREPARE share them). */
    Map<String, Prepared> preparedStatements() {
        return statements;
    }

    boolean hasPortal(String name) {
        return portals.containsKey(name);
    }

    /** In a transaction block, explicit or implicit (several statements in one Query). */
    boolean inTransactionBlock() {
        return inBlock || implicitBlock;
    }

    int savepointDepth() {
        return savepoints.size();
    }

    DataPath dataPath() {
        return data;
    }

    SessionTxn sessionTxn() {
        return txn;
    }

    @Override
    public List<Object[]> sessionViewRows(modgres.sql.exec.SessionViewScan.Kind kind) {
        return commands.viewRows(kind);
    }

    /** transaction_isolation, transaction_read_only, transaction_deferrable: the current transaction's. */
    String transactionSetting(String name) {
        if (txn == null || !txn.active()) {
            return null;
        }
        return switch (name) {
            case "transaction_isolation" -> txn.isolation().sqlName();
            case "transaction_read_only" -> txn.readOnly() ? "on" : "off";
            case "transaction_deferrable" -> deferrable ? "on" : "off";
            default -> null;
        };
    }
}
