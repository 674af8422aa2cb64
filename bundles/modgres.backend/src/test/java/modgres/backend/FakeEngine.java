package modgres.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import modgres.api.error.PgException;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.sql.Notice;
import modgres.api.sql.ResultSink;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlEngine;
import modgres.api.sql.SqlSession;
import modgres.api.sql.StatementDescription;

/**
 * An SQL engine that knows a handful of fixed statements, enough to drive
 * every message path of the protocol:
 *
 * <pre>
 * SELECT 1                          one int4 row
 * SELECT 'x'                        one text row
 * SELECT $1                         the parameter back (int4 when typed 23, else text)
 * SELECT generate_series(1, N)      N int4 rows
 * SELECT pg_sleep(N)                sleeps up to N seconds; cancel() or statement_timeout (ms) stops it with 57014
 * SELECT 1/0                        RowDescription, then 22012 division by zero
 * SHOW name / SET name = value      the session's settings (reported ones come back as ParameterStatus)
 * BEGIN / COMMIT / ROLLBACK         transaction status I/T/E
 * INSERT ...                        INSERT 0 1
 * DO notice                         a NoticeResponse, then DO
 * COPY t FROM STDIN / TO STDOUT     COPY through the sink's streams
 * anything else                     42601 syntax error at or near "first word", with its position
 * </pre>
 */
final class FakeEngine implements SqlEngine {
    static final int INT4 = 23;
    static final int TEXT = 25;

    final Map<String, Role> roles = new ConcurrentHashMap<>();
    final List<String> executed = new CopyOnWriteArrayList<>();
    final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
    final List<String> copiedIn = new CopyOnWriteArrayList<>();
    final List<PgException> copyErrors = new CopyOnWriteArrayList<>();
    volatile PgException openFailure;

    FakeEngine() {
        roles.put("postgres", new Role("postgres", true, true, null));
    }

    @Override
    public SqlSession open(SessionInfo info) {
        if (openFailure != null) {
            throw openFailure;
        }
        Role r = roles.get(info.user());
        if (r == null) {
            throw new PgException("28000", "role \"" + info.user() + "\" does not exist");
        }
        if (!r.canLogin()) {
            throw new PgException("28000", "role \"" + info.user() + "\" is not permitted to log in");
        }
        FakeSession s = new FakeSession(this, info);
        sessions.add(s);
        return s;
    }

    @Override
    public Optional<Role> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    FakeSession last() {
        return sessions.get(sessions.size() - 1);
    }

    /** A compiled statement. */
    record Stmt(String sql, Kind kind, List<ColumnDescriptor> columns, int params) {
    }

    enum Kind {
        ROWS, SLEEP, DIV0, SHOW, SET, BEGIN, COMMIT, ROLLBACK, INSERT, NOTICE, COPY_IN, COPY_OUT, EMPTY
    }

    static ColumnDescriptor col(String name, int type) {
        return new ColumnDescriptor(name, 0, (short) 0, type, (short) (type == INT4 ? 4 : -1), -1, (short) 0);
    }

    private static final Pattern SERIES = Pattern.compile("SELECT generate_series\\(1,\\s*(\\d+)\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SLEEP = Pattern.compile("SELECT pg_sleep\\((\\d+)\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SET = Pattern.compile("SET\\s+(\\w+)\\s*(?:=|TO)\\s*'?([^']*)'?",
            Pattern.CASE_INSENSITIVE);

    /** Compiles one statement; {@code offset} is its place in the whole query text (for error positions). */
    static Stmt compile(String sql, int offset, int[] paramTypes) {
        String s = sql.strip();
        String u = s.toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return new Stmt(s, Kind.EMPTY, null, 0);
        }
        if (u.equals("SELECT 1")) {
            return new Stmt(s, Kind.ROWS, List.of(col("?column?", INT4)), 0);
        }
        if (s.equals("SELECT 'x'")) {
            return new Stmt(s, Kind.ROWS, List.of(col("?column?", TEXT)), 0);
        }
        if (u.equals("SELECT $1")) {
            int t = paramTypes != null && paramTypes.length > 0 && paramTypes[0] == INT4 ? INT4 : TEXT;
            return new Stmt(s, Kind.ROWS, List.of(col("?column?", t)), 1);
        }
        if (SERIES.matcher(s).matches()) {
            return new Stmt(s, Kind.ROWS, List.of(col("generate_series", INT4)), 0);
        }
        if (SLEEP.matcher(s).matches()) {
            return new Stmt(s, Kind.SLEEP, List.of(col("pg_sleep", TEXT)), 0);
        }
        if (u.equals("SELECT 1/0")) {
            return new Stmt(s, Kind.DIV0, List.of(col("?column?", INT4)), 0);
        }
        if (u.startsWith("SHOW ")) {
            return new Stmt(s, Kind.SHOW, List.of(col(s.substring(5).strip().toLowerCase(Locale.ROOT), TEXT)), 0);
        }
        if (SET.matcher(s).matches()) {
            return new Stmt(s, Kind.SET, null, 0);
        }
        if (u.equals("BEGIN") || u.equals("START TRANSACTION")) {
            return new Stmt(s, Kind.BEGIN, null, 0);
        }
        if (u.equals("COMMIT") || u.equals("END")) {
            return new Stmt(s, Kind.COMMIT, null, 0);
        }
        if (u.equals("ROLLBACK")) {
            return new Stmt(s, Kind.ROLLBACK, null, 0);
        }
        if (u.startsWith("INSERT ")) {
            return new Stmt(s, Kind.INSERT, null, 0);
        }
        if (u.equals("DO NOTICE")) {
            return new Stmt(s, Kind.NOTICE, null, 0);
        }
        if (u.startsWith("COPY ") && u.endsWith(" FROM STDIN")) {
            return new Stmt(s, Kind.COPY_IN, null, 0);
        }
        if (u.startsWith("COPY ") && u.endsWith(" TO STDOUT")) {
            return new Stmt(s, Kind.COPY_OUT, null, 0);
        }
        int lead = sql.indexOf(s);
        String word = s.split("\\s+")[0];
        throw new PgException("42601", "syntax error at or near \"" + word + "\"", null, null, offset + lead + 1,
                null);
    }

    static byte[] encode(Object v, int type, short format) {
        if (v == null) {
            return null;
        }
        if (type == INT4 && format == 1) {
            int i = (Integer) v;
            return new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
        }
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One fake session. */
    static final class FakeSession implements SqlSession {
        private static final Set<String> REPORTED = Set.of("application_name", "client_encoding", "datestyle",
                "intervalstyle", "timezone", "standard_conforming_strings", "integer_datetimes", "server_version",
                "server_encoding", "is_superuser", "session_authorization");

        final FakeEngine engine;
        final SessionInfo info;
        final Map<String, String> settings = new ConcurrentHashMap<>();
        final Map<String, String> changed = new LinkedHashMap<>();
        final Map<String, Prepared> statements = new HashMap<>();
        final Map<String, Portal> portals = new HashMap<>();
        volatile char status = 'I';
        volatile boolean canceled;
        volatile boolean closed;
        volatile int syncs;
        volatile int executes;
        volatile boolean sawBinaryResult;
        volatile boolean sawBinaryParameter;

        record Prepared(Stmt stmt, int[] types) {
        }

        static final class Portal {
            final Stmt stmt;
            final Object param;
            final short[] formats;
            List<Object> rows;
            int next;
            boolean done;

            Portal(Stmt stmt, Object param, short[] formats) {
                this.stmt = stmt;
                this.param = param;
                this.formats = formats;
            }
        }

        FakeSession(FakeEngine engine, SessionInfo info) {
            this.engine = engine;
            this.info = info;
            settings.put("server_version", "15.0");
            settings.put("server_encoding", "UTF8");
            settings.put("client_encoding", "UTF8");
            settings.put("datestyle", "ISO, MDY");
            settings.put("intervalstyle", "postgres");
            settings.put("timezone", "UTC");
            settings.put("integer_datetimes", "on");
            settings.put("standard_conforming_strings", "on");
            settings.put("application_name", "");
            settings.put("is_superuser", "on");
            settings.put("session_authorization", info.user());
            for (Map.Entry<String, String> e : info.startupParameters().entrySet()) {
                settings.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
            }
        }

        private static String displayName(String n) {
            return switch (n) {
                case "datestyle" -> "DateStyle";
                case "intervalstyle" -> "IntervalStyle";
                case "timezone" -> "TimeZone";
                default -> n;
            };
        }

        @Override
        public Map<String, String> reportedParameters() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String n : new java.util.TreeSet<>(REPORTED)) {
                m.put(displayName(n), settings.get(n));
            }
            return m;
        }

        @Override
        public synchronized Map<String, String> takeChangedParameters() {
            Map<String, String> m = new LinkedHashMap<>(changed);
            changed.clear();
            return m;
        }

        private void checkAborted(Stmt st) {
            if (status == 'E' && st.kind != Kind.COMMIT && st.kind != Kind.ROLLBACK) {
                throw new PgException("25P02",
                        "current transaction is aborted, commands ignored until end of transaction block");
            }
        }

        private RuntimeException failed(RuntimeException e) {
            if (status == 'T') {
                status = 'E';
            }
            return e;
        }

        @Override
        public void simpleQuery(String query, ResultSink sink) {
            List<int[]> parts = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= query.length(); i++) {
                if (i == query.length() || query.charAt(i) == ';') {
                    if (!query.substring(start, i).isBlank()) {
                        parts.add(new int[] {start, i});
                    }
                    start = i + 1;
                }
            }
            if (parts.isEmpty()) {
                sink.emptyQuery();
                return;
            }
            for (int[] p : parts) {
                try {
                    Stmt st = compile(query.substring(p[0], p[1]), p[0], null);
                    checkAborted(st);
                    if (st.columns() != null) {
                        sink.rowDescription(st.columns());
                    }
                    Portal portal = new Portal(st, null, new short[0]);
                    run(portal, 0, sink);
                } catch (RuntimeException e) {
                    throw failed(e);
                }
            }
        }

        /** Runs (or resumes) a portal; returns true when it stopped at the row limit. */
        private boolean run(Portal p, int maxRows, ResultSink sink) {
            Stmt st = p.stmt;
            engine.executed.add(st.sql());
            switch (st.kind()) {
                case EMPTY -> sink.emptyQuery();
                case ROWS, SHOW -> {
                    if (p.rows == null) {
                        p.rows = rows(p);
                    }
                    int sent = 0;
                    while (p.next < p.rows.size()) {
                        if (maxRows > 0 && sent == maxRows) {
                            return true;
                        }
                        Object v = p.rows.get(p.next++);
                        sink.dataRow(new byte[][] {encode(v, st.columns().get(0).typeOid(), format(p, 0))});
                        sent++;
                    }
                    p.done = true;
                    sink.commandComplete(st.kind() == Kind.SHOW ? "SHOW" : "SELECT " + sent);
                }
                case SLEEP -> {
                    Matcher m = SLEEP.matcher(st.sql());
                    m.matches();
                    long start = System.nanoTime();
                    long until = start + Long.parseLong(m.group(1)) * 1_000_000_000L;
                    String st0 = settings.get("statement_timeout");
                    long timeoutMs = st0 == null ? 0 : Long.parseLong(st0);
                    canceled = false;
                    while (System.nanoTime() < until) {
                        if (timeoutMs > 0 && System.nanoTime() - start >= timeoutMs * 1_000_000L) {
                            throw new PgException("57014", "canceling statement due to statement timeout");
                        }
                        if (canceled) {
                            canceled = false;
                            throw new PgException("57014", "canceling statement due to user request");
                        }
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new PgException("57014", "canceling statement due to user request");
                        }
                    }
                    sink.dataRow(new byte[][] {new byte[0]});
                    sink.commandComplete("SELECT 1");
                }
                case DIV0 -> throw new PgException("22012", "division by zero");
                case SET -> {
                    Matcher m = SET.matcher(st.sql());
                    m.matches();
                    String name = m.group(1).toLowerCase(Locale.ROOT);
                    settings.put(name, m.group(2));
                    if (REPORTED.contains(name)) {
                        synchronized (this) {
                            changed.put(displayName(name), m.group(2));
                        }
                    }
                    sink.commandComplete("SET");
                }
                case BEGIN -> {
                    if (status != 'I') {
                        sink.notice(new Notice("WARNING", "25001", "there is already a transaction in progress",
                                null, null, 0));
                    }
                    status = 'T';
                    sink.commandComplete("BEGIN");
                }
                case COMMIT -> {
                    sink.commandComplete(status == 'E' ? "ROLLBACK" : "COMMIT");
                    endTransaction();
                }
                case ROLLBACK -> {
                    sink.commandComplete("ROLLBACK");
                    endTransaction();
                }
                case INSERT -> sink.commandComplete("INSERT 0 1");
                case NOTICE -> {
                    sink.notice(new Notice("NOTICE", "00000", "hello from the engine", "some detail", "some hint",
                            0));
                    sink.commandComplete("DO");
                }
                case COPY_IN -> {
                    try (InputStream in = sink.copyIn(false, new short[] {0, 0})) {
                        ByteArrayOutputStream all = new ByteArrayOutputStream();
                        in.transferTo(all);
                        String text = all.toString(StandardCharsets.UTF_8);
                        engine.copiedIn.add(text);
                        long lines = text.chars().filter(c -> c == '\n').count();
                        sink.commandComplete("COPY " + lines);
                    } catch (PgException e) {
                        engine.copyErrors.add(e);
                        throw e;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                case COPY_OUT -> {
                    try (OutputStream out = sink.copyOut(false, new short[] {0, 0})) {
                        for (String line : List.of("1\tone\n", "2\ttwo\n", "3\tthree\n")) {
                            out.write(line.getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    sink.commandComplete("COPY 3");
                }
                default -> throw new IllegalStateException();
            }
            p.done = true;
            return false;
        }

        private void endTransaction() {
            status = 'I';
            portals.clear();
        }

        private static short format(Portal p, int column) {
            if (p.formats.length == 0) {
                return 0;
            }
            return p.formats.length == 1 ? p.formats[0] : p.formats[column];
        }

        private List<Object> rows(Portal p) {
            Stmt st = p.stmt;
            if (st.kind() == Kind.SHOW) {
                String name = st.columns().get(0).name();
                String v = settings.get(name);
                if (v == null) {
                    throw new PgException("42704", "unrecognized configuration parameter \"" + name + "\"");
                }
                return List.of(v);
            }
            String u = st.sql().toUpperCase(Locale.ROOT);
            if (u.equals("SELECT 1")) {
                return List.of(1);
            }
            if (u.equals("SELECT $1")) {
                List<Object> l = new ArrayList<>();
                l.add(p.param);
                return l;
            }
            Matcher m = SERIES.matcher(st.sql());
            if (m.matches()) {
                int n = Integer.parseInt(m.group(1));
                List<Object> l = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    l.add(i);
                }
                return l;
            }
            return List.of("x");
        }

        private List<ColumnDescriptor> withFormats(List<ColumnDescriptor> cols, short[] formats) {
            if (cols == null) {
                return null;
            }
            List<ColumnDescriptor> out = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) {
                ColumnDescriptor c = cols.get(i);
                short f = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
                out.add(new ColumnDescriptor(c.name(), c.tableOid(), c.columnNumber(), c.typeOid(), c.typeSize(),
                        c.typeModifier(), f));
            }
            return out;
        }

        @Override
        public StatementDescription parse(String name, String query, int[] parameterTypes) {
            try {
                if (!name.isEmpty() && statements.containsKey(name)) {
                    throw new PgException("42P05", "prepared statement \"" + name + "\" already exists");
                }
                Stmt st = compile(query, 0, parameterTypes);
                checkAborted(st);
                int[] types = new int[st.params()];
                for (int i = 0; i < types.length; i++) {
                    types[i] = i < parameterTypes.length && parameterTypes[i] != 0 ? parameterTypes[i] : TEXT;
                }
                statements.put(name, new Prepared(st, types));
                return new StatementDescription(types, st.columns());
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public void bind(String portal, String statement, byte[][] parameters, short[] parameterFormats,
                short[] resultFormats) {
            for (short f : resultFormats) {
                sawBinaryResult |= f == 1;
            }
            for (short f : parameterFormats) {
                sawBinaryParameter |= f == 1;
            }
            try {
                Prepared p = statements.get(statement);
                if (p == null) {
                    throw new PgException("26000", "prepared statement \"" + statement + "\" does not exist");
                }
                checkAborted(p.stmt());
                if (parameters.length != p.types().length) {
                    throw new PgException("08P01", "bind message supplies " + parameters.length
                            + " parameters, but prepared statement \"" + statement + "\" requires "
                            + p.types().length);
                }
                Object param = null;
                if (parameters.length == 1 && parameters[0] != null) {
                    short f = parameterFormats.length == 0 ? 0 : parameterFormats[0];
                    byte[] b = parameters[0];
                    if (p.types()[0] == INT4) {
                        param = f == 1 ? (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff
                                : Integer.parseInt(new String(b, StandardCharsets.UTF_8));
                    } else {
                        param = new String(b, StandardCharsets.UTF_8);
                    }
                }
                if (!portal.isEmpty() && portals.containsKey(portal)) {
                    throw new PgException("42P03", "cursor \"" + portal + "\" already exists");
                }
                portals.put(portal, new Portal(p.stmt(), param, resultFormats));
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public StatementDescription describeStatement(String name) {
            Prepared p = statements.get(name);
            if (p == null) {
                throw failed(new PgException("26000", "prepared statement \"" + name + "\" does not exist"));
            }
            return new StatementDescription(p.types(), p.stmt().columns());
        }

        @Override
        public List<ColumnDescriptor> describePortal(String portal) {
            Portal p = portals.get(portal);
            if (p == null) {
                throw failed(new PgException("34000", "portal \"" + portal + "\" does not exist"));
            }
            return withFormats(p.stmt.columns(), p.formats);
        }

        @Override
        public ExecuteResult execute(String portal, int maxRows, ResultSink sink) {
            Portal p = portals.get(portal);
            executes++;
            try {
                if (p == null) {
                    throw new PgException("34000", "portal \"" + portal + "\" does not exist");
                }
                checkAborted(p.stmt);
                return run(p, maxRows, sink) ? ExecuteResult.SUSPENDED : ExecuteResult.COMPLETED;
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public void closeStatement(String name) {
            statements.remove(name);
        }

        @Override
        public void closePortal(String portal) {
            portals.remove(portal);
        }

        @Override
        public void sync() {
            syncs++;
            if (status == 'I') {
                portals.clear();
            }
        }

        @Override
        public char transactionStatus() {
            return status;
        }

        /** Values as SET stored them: tests SET the millisecond timeouts without units. */
        @Override
        public String setting(String name) {
            return settings.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public void cancel() {
            canceled = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
