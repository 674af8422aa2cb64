package modgres.backend;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import modgres.api.backend.BackendHandle;
import modgres.api.backend.BackendRegistry;
import modgres.api.backend.Peer;
import modgres.api.error.PgException;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.settings.Settings;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlEngine;
import modgres.api.sql.SqlSession;
import modgres.api.sql.StatementDescription;
import modgres.backend.protocol.Messages;
import modgres.backend.protocol.PgReader;
import modgres.backend.protocol.PgWriter;
import modgres.backend.protocol.StartupPacket;

/*
 * Design notes
 * ------------
 * One Backend per connection, one thread ("backend <pid>") that owns the
 * channel, the reader, the writer and the session; other threads touch only
 * the volatile fields behind activity(), cancel() and terminate().
 *
 *   STARTUP ──▶ AUTHENTICATION ──▶ (session opened) ──▶ IDLE ⇄ ACTIVE ──▶ end
 *
 * The phase word is also the handshake with the authentication timer: the
 * timer moves STARTUP/AUTHENTICATION to TIMED_OUT and closes the channel; the
 * backend moves AUTHENTICATION to IDLE; whoever changes it first wins.
 *
 * Output is flushed only where the protocol needs it: before waiting for
 * the client after ReadyForQuery or an authentication request, on Flush, on
 * CopyInResponse, before closing; otherwise PgWriter sends when 8 KiB are
 * queued. The message loop follows PostgreSQL's PostgresMain: an error in
 * an extended-query message sends ErrorResponse and skips every message
 * until Sync (Terminate stops the skipping too); an error in a simple Query
 * sends ErrorResponse and then ReadyForQuery.
 *
 * terminate() from another thread: sets a flag, cancels a running statement
 * and shuts the socket's input down, which wakes a blocked read with end of
 * stream; the backend then sends FATAL 57P01 and closes. If the backend is
 * stuck writing to a client that does not read, a timer closes the channel
 * after a grace period.
 *
 * Idle timeouts (idle_in_transaction_session_timeout after ReadyForQuery
 * 'T'/'E', idle_session_timeout after 'I'; the session's current values from
 * SqlSession.setting) are armed only while waiting for the message after a
 * ReadyForQuery, as PostgreSQL's PostgresMain does. The idle word is the
 * handshake: the timer moves IDLE_ARMED to IDLE_FIRED and shuts the input
 * down (waking the read); the backend moves IDLE_ARMED back to IDLE_OFF when
 * a message arrives; whoever is first wins. A fired timeout ends the session
 * with FATAL 25P03 or 57P05. statement_timeout belongs to the engine, which
 * runs the statement. A client that vanishes is seen at the next write
 * (ClientGone) or read (end of stream); either way run()'s finally closes
 * the session and reports exited() to the registry.
 */

/** A backend: the protocol state machine of one client connection. */
final class Backend implements BackendHandle, Runnable {
    static final int STARTUP = 0;
    static final int AUTHENTICATION = 1;
    static final int IDLE = 2;
    static final int ACTIVE = 3;
    static final int TIMED_OUT = 4;
    static final int ENDED = 5;

    /** After terminate(), how long a backend may take to say goodbye before its channel is closed. */
    static final long TERMINATE_GRACE_MILLIS = 5000;

    private final Environment env;
    private final SocketChannel channel;
    private final Peer peer;
    private final BackendRegistry registry;
    private final long pid;
    private final int cancelKey;
    private final long startMillis;
    private final String sessionId;
    private final Thread thread;

    private final AtomicInteger phase = new AtomicInteger(STARTUP);
    private volatile String user;
    private volatile String database;
    private volatile char transactionStatus = 'I';
    // pg_stat_activity (epoch millis; 0 = not set)
    private volatile String lastQuery;
    private volatile long queryStart;
    private volatile long stateChange;
    private volatile long xactStart;
    private volatile String lastState;
    private volatile SqlSession session;
    private volatile boolean terminatePending;

    private volatile ServerLog log;
    private PgReader in;
    private PgWriter out;
    private WireSink sink;
    private String application;
    private ScheduledFuture<?> timeout;

    static final int IDLE_OFF = 0;
    static final int IDLE_ARMED = 1;
    static final int IDLE_FIRED = 2;
    private final AtomicInteger idle = new AtomicInteger(IDLE_OFF);
    private ScheduledFuture<?> idleTimer;
    private FatalException idleFatal;

    Backend(Environment env, SocketChannel channel, Peer peer, BackendRegistry registry, long pid, int cancelKey) {
        this.env = env;
        this.channel = channel;
        this.peer = peer;
        this.registry = registry;
        this.pid = pid;
        this.cancelKey = cancelKey;
        this.startMillis = System.currentTimeMillis();
        this.sessionId = Long.toHexString(startMillis / 1000) + "." + Long.toHexString(pid);
        this.log = ServerLog.of(env.logger(), context());
        this.thread = new Thread(this, "backend " + pid);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private LogContext context() {
        return new LogContext(pid, "client backend", user, database, application, sessionId,
                peer.unixSocket() ? "[local]" : peer.address());
    }

    ServerLog log() {
        return log;
    }

    // ---------------------------------------------------------------- BackendHandle

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public int cancelKey() {
        return cancelKey;
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public modgres.api.backend.BackendStatus status() {
        String state = switch (phase.get()) {
            case STARTUP, AUTHENTICATION, TIMED_OUT -> null;
            case ACTIVE -> "active";
            case ENDED -> null;
            default -> switch (transactionStatus) {
                case 'T' -> "idle in transaction";
                case 'E' -> "idle in transaction (aborted)";
                default -> "idle";
            };
        };
        return new modgres.api.backend.BackendStatus(pid, database, user, application == null ? "" : application,
                peer.unixSocket() ? null : peer.address(), peer.unixSocket() ? -1 : peer.port(), startMillis,
                transactionStatus == 'I' && !"active".equals(state) ? 0 : xactStart, queryStart, stateChange, state,
                lastQuery == null ? "" : lastQuery, memory());
    }

    /** The session's accounted memory (modgres:memory), null before the session is open or after it ended. */
    private modgres.api.backend.BackendMemory memory() {
        SqlSession s = session;
        return s == null ? null : s.memory();
    }

    /** Notes a state change for pg_stat_activity's state_change. */
    private void stateNow(String state) {
        if (!state.equals(lastState)) {
            lastState = state;
            stateChange = System.currentTimeMillis();
        }
    }

    @Override
    public String activity() {
        String u = user;
        String who = u == null ? "[unknown]" : u + " " + database;
        String state = switch (phase.get()) {
            case STARTUP, AUTHENTICATION, TIMED_OUT -> "authentication";
            case ACTIVE -> "active";
            case ENDED -> "exiting";
            default -> switch (transactionStatus) {
                case 'T' -> "idle in transaction";
                case 'E' -> "idle in transaction (aborted)";
                default -> "idle";
            };
        };
        return who + " " + peer.display() + " " + state;
    }

    @Override
    public void cancel(int key) {
        if (key != cancelKey) {
            log.log("wrong key in cancel request for process " + pid);
            return;
        }
        SqlSession s = session;
        if (s != null && phase.get() == ACTIVE) {
            s.cancel();
        }
    }

    @Override
    public void terminate() {
        terminatePending = true;
        int p = phase.get();
        if (p == STARTUP || p == AUTHENTICATION) {
            closeChannel(); // PostgreSQL dies at once during authentication
            return;
        }
        SqlSession s = session;
        if (s != null && p == ACTIVE) {
            s.cancel();
        }
        try {
            channel.shutdownInput();
        } catch (IOException | RuntimeException e) {
            // already closed
        }
        try {
            env.timer().schedule(() -> {
                if (thread.isAlive()) {
                    closeChannel();
                }
            }, TERMINATE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            closeChannel(); // the timer is gone: the component is stopping
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }

    // ---------------------------------------------------------------- the thread

    @Override
    public void run() {
        boolean started = false;
        Settings settings = env.settings();
        try {
            in = new PgReader(channel);
            out = new PgWriter(channel);
            sink = new WireSink(out, in, this);
            if (bool(settings, "log_connections")) {
                log.log(peer.unixSocket() ? "connection received: host=[local]"
                        : "connection received: host=" + peer.address() + " port=" + peer.port());
            }
            timeout = armAuthenticationTimeout(settings);
            StartupPacket sp = readStartupPacket();
            if (sp == null) {
                return;
            }
            if (!phase.compareAndSet(STARTUP, AUTHENTICATION)) {
                throw new IOException("timed out");
            }
            Optional<SqlEngine.Role> role = new ClientAuth(env, in, out, peer, user, database).authenticate();
            if (!phase.compareAndSet(AUTHENTICATION, IDLE)) {
                throw new IOException("timed out");
            }
            if (timeout != null) {
                timeout.cancel(false);
            }
            Messages.authentication(out, Messages.AUTH_OK);
            if (bool(settings, "log_connections")) {
                log.log("connection authorized: user=" + user + " database=" + database
                        + (application != null ? " application_name=" + application : ""));
            }
            openSession(sp, role);
            started = true;
            messageLoop();
        } catch (FatalException e) {
            fatal(e);
        } catch (PgWriter.ClientGone e) {
            if (!terminatePending) {
                log.report(Severity.LOG, "08006", "could not send data to client: " + e.getMessage(), null, null);
                log.report(Severity.FATAL, "08006", "connection to client lost", null, null);
            }
        } catch (ClientAuth.ClientEof e) {
            // psql hangs up to ask its user for a password: not worth a line
        } catch (PgReader.BadLength e) {
            log.report(Severity.LOG, "08P01", "invalid message length", null, null);
        } catch (IOException e) {
            ioFailure(e);
        } catch (PgException e) {
            fatal(FatalException.of(e));
        } catch (RuntimeException | Error e) {
            log.report(Severity.FATAL, "XX000", "backend failed: " + e, null, null, e);
            tryFatalToClient(new FatalException("XX000", "internal error: " + e));
        } finally {
            phase.set(ENDED);
            if (timeout != null) {
                timeout.cancel(false);
            }
            SqlSession s = session;
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    log.report(Severity.WARNING, "XX000", "closing the session failed: " + e, null, null, e);
                }
            }
            if (started && logDisconnections(settings)) {
                logDisconnection();
            }
            closeChannel();
            env.ended(this);
            registry.exited(this);
        }
    }

    private ScheduledFuture<?> armAuthenticationTimeout(Settings settings) {
        int seconds;
        try {
            seconds = settings.getInt("authentication_timeout");
        } catch (RuntimeException e) {
            seconds = 60;
        }
        try {
            return env.timer().schedule(() -> {
                if (phase.compareAndSet(STARTUP, TIMED_OUT)) {
                    closeChannel(); // PostgreSQL exits silently while waiting for the startup packet
                } else if (phase.compareAndSet(AUTHENTICATION, TIMED_OUT)) {
                    log.report(Severity.FATAL, "57014", "canceling authentication due to timeout", null, null);
                    closeChannel();
                }
            }, seconds, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void ioFailure(IOException e) {
        int p = phase.get();
        if (p == TIMED_OUT || terminatePending && (p == STARTUP || p == AUTHENTICATION)) {
            return; // already logged by the timer, or terminated while authenticating
        }
        if (terminatePending) {
            return;
        }
        log.report(Severity.LOG, "08006", "could not receive data from client: " + e.getMessage(), null, null);
    }

    private static boolean bool(Settings s, String name) {
        try {
            return s.getBool(name);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean logDisconnections(Settings s) {
        return bool(s, "log_disconnections");
    }

    private void logDisconnection() {
        long ms = System.currentTimeMillis() - startMillis;
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        long sec = ms / 1000 % 60;
        long milli = ms % 1000;
        String host = peer.unixSocket() ? "[local]" : peer.address() + " port=" + peer.port();
        log.log(String.format("disconnection: session time: %d:%02d:%02d.%03d user=%s database=%s host=%s", h, m,
                sec, milli, user, database, host));
    }

    /** Sends FATAL to the client (if it can still be reached), logs it; the caller closes. */
    private void fatal(FatalException e) {
        log.report(Severity.FATAL, e.sqlState(), e.getMessage(), e.logDetail(), e.hint());
        tryFatalToClient(e);
    }

    private void tryFatalToClient(PgException e) {
        if (out == null || phase.get() == TIMED_OUT) {
            return;
        }
        try {
            Messages.errorOrNotice(out, 'E', "FATAL", e.sqlState(), e.getMessage(), e.detail(), e.hint(),
                    e.position());
            out.flush();
        } catch (RuntimeException ex) {
            // the client is gone
        }
    }

    // ---------------------------------------------------------------- start-up

    /** Reads SSLRequest/GSSENCRequest/CancelRequest/StartupMessage; null when the connection is to end quietly. */
    private StartupPacket readStartupPacket() throws IOException {
        boolean sslDone = false;
        boolean gssDone = false;
        while (true) {
            int len = in.readStartupLength();
            if (len == -1) {
                return null; // connect and disconnect: PostgreSQL logs nothing
            }
            if (len == -2) {
                log.report(Severity.LOG, "08P01", "incomplete startup packet", null, null);
                return null;
            }
            if (len < 8 || len > 10000 + 4) {
                log.report(Severity.LOG, "08P01", "invalid length of startup packet", null, null);
                return null;
            }
            if (!in.readBody(len - 4)) {
                log.report(Severity.LOG, "08P01", "incomplete startup packet", null, null);
                return null;
            }
            int code = in.getInt();
            if (code == Messages.CANCEL_REQUEST_CODE) {
                if (in.remaining() >= 8) {
                    long target = Integer.toUnsignedLong(in.getInt());
                    int key = in.getInt();
                    registry.cancel(target, key);
                }
                return null; // no reply, as PostgreSQL
            }
            if (code == Messages.SSL_REQUEST_CODE && !sslDone) {
                out.raw('N');
                out.flush();
                sslDone = true;
                continue;
            }
            if (code == Messages.GSSENC_REQUEST_CODE && !gssDone) {
                out.raw('N');
                out.flush();
                gssDone = true;
                continue;
            }
            int major = code >>> 16;
            int minor = code & 0xffff;
            if (major != 3) {
                throw new FatalException("0A000", "unsupported frontend protocol " + major + "." + minor
                        + ": server supports 3.0 to 3.0");
            }
            StartupPacket sp = StartupPacket.parse(code, in.array(), in.position(), len - 4);
            if (sp.minor() > 0 || !sp.unrecognized().isEmpty()) {
                // PostgreSQL sends its newest version (3.0, so the newest minor is 0).
                Messages.negotiateProtocolVersion(out, Messages.PROTOCOL_3_0, sp.unrecognized());
            }
            if (sp.user() == null || sp.user().isEmpty()) {
                throw new FatalException("28000", "no PostgreSQL user name specified in startup packet");
            }
            user = sp.user();
            database = sp.database();
            application = sp.parameters().get("application_name");
            log = log.withContext(context());
            if (sp.replicationMode() != null) {
                throw new FatalException("0A000", "replication connections are not supported by this server");
            }
            // What PostgreSQL's canAcceptConnections refuses before authentication.
            PgException refusal = registry.admissionProblem(true);
            if (refusal != null) {
                throw FatalException.of(refusal);
            }
            return sp;
        }
    }

    private void openSession(StartupPacket sp, Optional<SqlEngine.Role> role) {
        Map<String, String> settings = sp.sessionSettings();
        SqlEngine engine = env.engine();
        if (engine == null) {
            // PostgreSQL has no state without an executor; the nearest is "not accepting connections",
            // with a detail that says why (no SQL engine bundle is active: being installed or swapped).
            throw new FatalException("57P03", "the database system is not accepting connections",
                    "No SQL engine is active: the modgres.sql bundle is not installed or is being replaced.",
                    null, null);
        }
        session = engine.open(new SessionInfo(pid, user, database, peer, settings));
        boolean superuser = role.map(SqlEngine.Role::superuser).orElse(false);
        PgException refusal = registry.admissionProblem(superuser);
        if (refusal != null) {
            throw FatalException.of(refusal);
        }
        for (Map.Entry<String, String> e : session.reportedParameters().entrySet()) {
            Messages.parameterStatus(out, e.getKey(), e.getValue());
        }
        Messages.backendKeyData(out, (int) pid, cancelKey);
    }

    // ---------------------------------------------------------------- the message loop

    private void messageLoop() throws IOException {
        SqlSession s = session;
        boolean sendReady = true;
        boolean ignoreTillSync = false;
        while (true) {
            if (sendReady) {
                char status = s.transactionStatus();
                transactionStatus = status;
                stateNow(status == 'T' ? "idle in transaction" : status == 'E' ? "idle in transaction (aborted)"
                        : "idle");
                for (Map.Entry<String, String> e : s.takeChangedParameters().entrySet()) {
                    Messages.parameterStatus(out, e.getKey(), e.getValue());
                    if (e.getKey().equals("application_name")) {
                        application = e.getValue(); // %a follows SET application_name
                        log = log.withContext(context());
                    }
                }
                Messages.readyForQuery(out, status);
                out.flush();
                sendReady = false;
                justReady = true;
            }
            if (terminatePending) {
                throw adminTermination();
            }
            boolean armed = sendReadyWasJustSent(s);
            int type;
            try {
                type = in.readType();
            } catch (IOException | RuntimeException e) {
                if (armed) {
                    disarmIdleTimeout(); // a fired idle timeout explains the failed read
                }
                throw e;
            }
            if (armed) {
                disarmIdleTimeout();
            }
            if (type < 0) {
                endOfInput(s);
                return;
            }
            boolean extended;
            int max;
            switch (type) {
                case 'Q', 'F' -> {
                    extended = false;
                    max = PgReader.LARGE_MESSAGE_LIMIT;
                }
                case 'P', 'B' -> {
                    extended = true;
                    max = PgReader.LARGE_MESSAGE_LIMIT;
                }
                case 'C', 'D', 'E', 'H' -> {
                    extended = true;
                    max = PgReader.SMALL_MESSAGE_LIMIT;
                }
                case 'S', 'X' -> {
                    extended = false;
                    max = PgReader.SMALL_MESSAGE_LIMIT;
                    ignoreTillSync = false;
                }
                case 'd', 'c', 'f' -> {
                    extended = false;
                    max = PgReader.LARGE_MESSAGE_LIMIT;
                }
                default -> throw new FatalException("08P01", "invalid frontend message type " + type);
            }
            if (!in.readMessageBody(max)) {
                log.report(Severity.LOG, "08P01", "incomplete message from client", null, null);
                return;
            }
            if (terminatePending) {
                throw adminTermination();
            }
            if (ignoreTillSync) {
                continue;
            }
            try {
                switch (type) {
                    case 'Q' -> {
                        String query = in.getCString();
                        in.end();
                        simpleQuery(s, query);
                        sendReady = true;
                    }
                    case 'P' -> parse(s);
                    case 'B' -> bind(s);
                    case 'D' -> describe(s);
                    case 'E' -> execute(s);
                    case 'C' -> close(s);
                    case 'H' -> out.flush();
                    case 'S' -> {
                        in.end();
                        s.sync();
                        sendReady = true;
                    }
                    case 'X' -> {
                        return;
                    }
                    case 'F' -> throw new PgException("0A000", "function call messages are not supported");
                    default -> {
                        // CopyData, CopyDone, CopyFail outside COPY: a failed COPY's leftovers; ignored.
                    }
                }
            } catch (PgException e) {
                if (e instanceof FatalException f) {
                    throw f;
                }
                if (terminatePending) {
                    throw adminTermination();
                }
                error(e);
                if (extended) {
                    ignoreTillSync = true;
                } else {
                    sendReady = true;
                }
            } finally {
                if (phase.get() == ACTIVE) {
                    phase.compareAndSet(ACTIVE, IDLE);
                }
            }
        }
    }

    /** Set when ReadyForQuery was just sent: the next read is the idle wait. */
    private boolean justReady;

    /** Arms the idle timeout for the wait ahead if ReadyForQuery was just sent; true when armed. */
    private boolean sendReadyWasJustSent(SqlSession s) {
        if (!justReady) {
            return false;
        }
        justReady = false;
        boolean inXact = transactionStatus != 'I';
        String name = inXact ? "idle_in_transaction_session_timeout" : "idle_session_timeout";
        long ms = millis(s, name);
        if (ms <= 0) {
            return false;
        }
        FatalException f = inXact
                ? new FatalException("25P03", "terminating connection due to idle-in-transaction timeout")
                : new FatalException("57P05", "terminating connection due to idle-session timeout");
        idleFatal = f;
        idle.set(IDLE_ARMED);
        try {
            idleTimer = env.timer().schedule(() -> {
                if (idle.compareAndSet(IDLE_ARMED, IDLE_FIRED)) {
                    try {
                        channel.shutdownInput(); // wakes the blocked read with end of stream
                    } catch (IOException | RuntimeException e) {
                        // already closed
                    }
                }
            }, ms, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            idle.set(IDLE_OFF); // the timer is gone: the component is stopping
            return false;
        }
        return true;
    }

    /** A message arrived (or the read ended): stops the idle timer, or ends the session if it fired first. */
    private void disarmIdleTimeout() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        if (!idle.compareAndSet(IDLE_ARMED, IDLE_OFF)) {
            idle.set(IDLE_OFF);
            if (terminatePending) {
                throw adminTermination();
            }
            throw idleFatal;
        }
    }

    /** A millisecond setting of the session (0 when unknown or malformed). */
    private static long millis(SqlSession s, String name) {
        try {
            String v = s.setting(name);
            return v == null ? 0 : Long.parseLong(v.strip());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static FatalException adminTermination() {
        return new FatalException("57P01", "terminating connection due to administrator command");
    }

    private void endOfInput(SqlSession s) {
        if (terminatePending) {
            throw adminTermination();
        }
        char status;
        try {
            status = s.transactionStatus();
        } catch (RuntimeException e) {
            status = 'I';
        }
        if (status != 'I') {
            log.report(Severity.LOG, "08P01", "unexpected EOF on client connection with an open transaction", null,
                    null);
        } else {
            log.report(Severity.DEBUG1, "08003", "unexpected EOF on client connection", null, null);
        }
    }

    /** ErrorResponse to the client and the server log. */
    private void error(PgException e) {
        Messages.errorOrNotice(out, 'E', "ERROR", e.sqlState(), e.getMessage(), e.detail(), e.hint(),
                e.position(), e.context());
        log.report(Severity.ERROR, e.sqlState(), e.getMessage(), e.detail(), e.hint());
    }

    private void active() {
        phase.set(ACTIVE);
        long now = System.currentTimeMillis();
        queryStart = now;
        if (transactionStatus == 'I') {
            xactStart = now;
        }
        stateNow("active");
    }

    private void simpleQuery(SqlSession s, String query) {
        lastQuery = query;
        sink.extended = false;
        active();
        try {
            s.simpleQuery(query, sink);
        } catch (PgException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        }
    }

    private PgException internal(RuntimeException e) {
        if (e instanceof PgWriter.ClientGone gone) {
            throw gone;
        }
        log.report(Severity.ERROR, "XX000", "internal error: " + e, null, null, e);
        return new PgException("XX000", "internal error: " + e);
    }

    private void parse(SqlSession s) {
        String name = in.getCString();
        String query = in.getCString();
        lastQuery = query;
        int n = in.getShort() & 0xffff;
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = in.getInt();
        }
        in.end();
        try {
            s.parse(name, query, types);
        } catch (PgException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        }
        Messages.empty(out, '1');
    }

    private void bind(SqlSession s) {
        String portal = in.getCString();
        String statement = in.getCString();
        int nf = in.getShort() & 0xffff;
        short[] formats = new short[nf];
        for (int i = 0; i < nf; i++) {
            formats[i] = in.getShort();
        }
        int np = in.getShort() & 0xffff;
        byte[][] params = new byte[np][];
        for (int i = 0; i < np; i++) {
            int len = in.getInt();
            params[i] = len < 0 ? null : in.getBytes(len);
        }
        int nr = in.getShort() & 0xffff;
        short[] results = new short[nr];
        for (int i = 0; i < nr; i++) {
            results[i] = in.getShort();
        }
        in.end();
        if (nf > 1 && nf != np) {
            throw new PgException("08P01", "bind message has " + nf + " parameter formats but " + np
                    + " parameters");
        }
        try {
            s.bind(portal, statement, params, formats, results);
        } catch (PgException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        }
        Messages.empty(out, '2');
    }

    private void describe(SqlSession s) {
        int kind = in.getByte();
        String name = in.getCString();
        in.end();
        try {
            if (kind == 'S') {
                StatementDescription d = s.describeStatement(name);
                Messages.parameterDescription(out, d.parameterTypes());
                rowDescriptionOrNoData(d.columns());
            } else if (kind == 'P') {
                rowDescriptionOrNoData(s.describePortal(name));
            } else {
                throw new PgException("08P01", "invalid DESCRIBE message subtype " + kind);
            }
        } catch (PgException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        }
    }

    private void rowDescriptionOrNoData(List<ColumnDescriptor> columns) {
        if (columns == null) {
            Messages.empty(out, 'n');
        } else {
            Messages.rowDescription(out, columns);
        }
    }

    private void execute(SqlSession s) {
        String portal = in.getCString();
        int maxRows = in.getInt();
        in.end();
        sink.extended = true;
        active();
        SqlSession.ExecuteResult r;
        try {
            r = s.execute(portal, Math.max(maxRows, 0), sink);
        } catch (PgException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        }
        if (r == SqlSession.ExecuteResult.SUSPENDED) {
            Messages.empty(out, 's');
        }
    }

    private void close(SqlSession s) {
        int kind = in.getByte();
        String name = in.getCString();
        in.end();
        try {
            if (kind == 'S') {
                s.closeStatement(name);
            } else if (kind == 'P') {
                s.closePortal(name);
            } else {
                throw new PgException("08P01", "invalid CLOSE message subtype " + kind);
            }
        } catch (PgException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        }
        Messages.empty(out, '3');
    }
}
