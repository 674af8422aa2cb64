package modgres.console.internal.socket;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Design notes
 * ------------
 * The console socket gives a headless server's OS user the Gogo shell, so it
 * must give it to nobody else. Three fences:
 *
 *   1. the data directory is 0700 (the postmaster insists, as PostgreSQL does),
 *      so no other user can even reach the socket's path;
 *   2. the socket file is 0600: connect(2) needs write permission on it. It is
 *      bound under a temporary name of the same length (so the same sun_path
 *      limit applies), chmod'ed, then renamed into place, so it never exists
 *      under its real name with the umask's looser bits. rename(2) also
 *      replaces a stale socket file left by a server that died;
 *   3. each accepted connection's peer credentials (SO_PEERCRED, from the
 *      kernel) must name the user that owns the socket file, i.e. the server's
 *      user. This also turns away root, which the file permissions would not.
 *
 * One thread accepts ("console listener"); each admitted connection gets its
 * own thread ("console session N") and shell, line in, output out. Ending a
 * session (exit, quit, end of input, or the client going away) closes its
 * connection only. If the data directory does not exist yet the listener
 * waits for it.
 */

/**
 * Serves console sessions on the Unix-domain socket
 * {@value #SOCKET_NAME} in a data directory to the socket owner's OS user
 * only.
 */
public final class ConsoleServer implements Closeable {

    /** The socket's file name in the data directory. */
    public static final String SOCKET_NAME = ".s.modgres.console";
    /** Where the socket is bound before it is renamed to {@link #SOCKET_NAME}; same length on purpose. */
    static final String TEMP_NAME = ".t.modgres.console";
    /** Sessions allowed at once, by default. */
    public static final int DEFAULT_MAX_SESSIONS = 8;
    /** Printed before each command line is read. */
    public static final String PROMPT = "g! ";

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final long DIRECTORY_POLL_MILLIS = 500;
    private static final long JOIN_MILLIS = 2000;
    private static final long HANG_UP_NANOS = 1_000_000_000L;

    private final Path dataDir;
    private final Path socket;
    private final ConsoleShellFactory shells;
    private final PeerIdentity peers;
    private final int maxSessions;
    private final ConsoleLog log;
    private final AtomicInteger sessionNumbers = new AtomicInteger();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    private volatile ServerSocketChannel listener;
    private volatile UserPrincipal owner;
    private volatile Object fileKey;
    private volatile boolean closed;
    private Thread listenerThread;

    public ConsoleServer(Path dataDir, ConsoleShellFactory shells, PeerIdentity peers, int maxSessions,
            ConsoleLog log) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.socket = dataDir.resolve(SOCKET_NAME);
        this.shells = Objects.requireNonNull(shells, "shells");
        this.peers = Objects.requireNonNull(peers, "peers");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1");
        }
        this.maxSessions = maxSessions;
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The socket's path, whether or not it is listening yet. */
    public Path socketPath() {
        return socket;
    }

    /** True once the socket is bound. */
    public boolean isListening() {
        return listener != null && !closed;
    }

    /** Sessions running now. */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Binds the socket (at once when the data directory exists, else as soon
     * as it appears) and starts accepting.
     *
     * @throws IOException when the socket cannot be created in an existing data directory
     */
    public synchronized void start() throws IOException {
        if (listenerThread != null) {
            throw new IllegalStateException("already started");
        }
        if (Files.isDirectory(dataDir)) {
            bind();
        } else {
            log.info("console: waiting for data directory \"" + dataDir + "\" to exist");
        }
        listenerThread = new Thread(this::listen, "console listener");
        listenerThread.setDaemon(true);
        listenerThread.start();
    }

    private void bind() throws IOException {
        Path temp = dataDir.resolve(TEMP_NAME);
        Files.deleteIfExists(temp);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(temp), maxSessions);
            Files.setPosixFilePermissions(temp, OWNER_ONLY);
            owner = Files.getOwner(temp, LinkOption.NOFOLLOW_LINKS);
            boolean stale = Files.exists(socket, LinkOption.NOFOLLOW_LINKS);
            Files.move(temp, socket, StandardCopyOption.ATOMIC_MOVE);
            if (stale) {
                log.info("console: replaced stale socket file \"" + socket + "\"");
            }
            fileKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(temp);
            throw e;
        }
        listener = ch;
        log.info("console: listening on Unix socket \"" + socket + "\"");
    }

    private void listen() {
        try {
            while (listener == null) {
                if (closed) {
                    return;
                }
                if (Files.isDirectory(dataDir)) {
                    synchronized (this) {
                        if (closed) {
                            return;
                        }
                        bind();
                    }
                } else {
                    Thread.sleep(DIRECTORY_POLL_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            return;
        } catch (IOException e) {
            log.warning("console: could not create Unix socket \"" + socket + "\": " + e.getMessage());
            return;
        }
        ServerSocketChannel l = listener;
        while (!closed) {
            try {
                admit(l.accept());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                log.warning("console: could not accept a connection: " + e.getMessage());
                try {
                    Thread.sleep(100); // e.g. out of file descriptors: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void admit(SocketChannel ch) {
        try {
            UserPrincipal peer = peers.userOf(ch);
            if (!sameUser(owner, peer)) {
                log.warning("console: connection refused for OS user \"" + name(peer) + "\"");
                reply(ch, "modgres: console connection refused: OS user \"" + name(peer)
                        + "\" is not the server's user");
                hangUp(ch);
                return;
            }
            Session s;
            synchronized (sessions) {
                if (closed || sessions.size() >= maxSessions) {
                    s = null;
                } else {
                    s = new Session(ch, sessionNumbers.incrementAndGet());
                    sessions.add(s);
                }
            }
            if (s == null) {
                reply(ch, "modgres: too many console sessions (at most " + maxSessions + ")");
                hangUp(ch);
                return;
            }
            s.thread.start();
        } catch (IOException | RuntimeException e) {
            log.warning("console: could not start a session: " + e);
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static boolean sameUser(UserPrincipal owner, UserPrincipal peer) {
        return owner != null && peer != null && owner.equals(peer);
    }

    private static String name(UserPrincipal p) {
        return p == null ? "unknown" : p.getName();
    }

    private static void reply(SocketChannel ch, String line) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    /**
     * Closes a connection so that the client reads what was sent, then end of
     * input. Closing a Unix-domain socket with unread input makes the peer's
     * next read fail with "connection reset" instead, so input is read and
     * dropped until the client closes its end (it does on our end of input),
     * for a second at most.
     */
    static void hangUp(SocketChannel ch) {
        try {
            ch.shutdownOutput();
            ch.configureBlocking(false);
            ByteBuffer sink = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + HANG_UP_NANOS;
            while (System.nanoTime() < deadline) {
                int n = ch.read(sink);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    Thread.sleep(5);
                }
                sink.clear();
            }
        } catch (IOException ignored) {
            // the client is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * Stops listening, ends every session, waits briefly for their threads and
     * removes the socket file (if it is still the one this server created).
     */
    @Override
    public void close() {
        List<Session> running;
        Thread lt;
        synchronized (this) {
            closed = true;
            lt = listenerThread;
        }
        synchronized (sessions) {
            running = List.copyOf(sessions);
        }
        ServerSocketChannel l = listener;
        if (l != null) {
            try {
                l.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (lt != null) {
            lt.interrupt();
        }
        for (Session s : running) {
            s.end();
        }
        long deadline = System.currentTimeMillis() + JOIN_MILLIS;
        try {
            if (lt != null && lt != Thread.currentThread()) {
                lt.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
            for (Session s : running) {
                if (s.thread != Thread.currentThread()) {
                    s.thread.join(Math.max(1, deadline - System.currentTimeMillis()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (l != null) {
            removeSocketFile();
        }
    }

    private void removeSocketFile() {
        try {
            Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey == null || fileKey.equals(key)) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            // already gone
        }
    }

    /** The one-line report of a failed command: {@code gogo: ExceptionName: message}. */
    static String describe(Throwable t) {
        String type = t.getClass().getSimpleName().isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName();
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            return "gogo: " + type;
        }
        return "gogo: " + type + ": " + msg.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static boolean isExit(String command) {
        for (String word : new String[] {"exit", "quit"}) {
            if (command.equals(word) || command.startsWith(word + " ")) {
                return true;
            }
        }
        return false;
    }

    /** One connection: its thread reads lines and runs them until exit, quit or end of input. */
    private final class Session implements Runnable {
        final SocketChannel ch;
        final Thread thread;

        Session(SocketChannel ch, int number) {
            this.ch = ch;
            this.thread = new Thread(this, "console session " + number);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            ConsoleShell shell = null;
            try {
                PrintStream out = new PrintStream(new BufferedOutputStream(ChannelStreams.output(ch)), true,
                        StandardCharsets.UTF_8);
                shell = shells.open(InputStream.nullInputStream(), out, out);
                if (shell == null) {
                    out.println("modgres: no command processor is available (is the Gogo runtime active?)");
                    return;
                }
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(ChannelStreams.input(ch), StandardCharsets.UTF_8));
                while (!closed) {
                    out.print(PROMPT);
                    out.flush();
                    if (out.checkError()) {
                        return; // the client went away
                    }
                    String line = in.readLine();
                    if (line == null) {
                        out.println();
                        return;
                    }
                    String command = line.strip();
                    if (command.isEmpty()) {
                        continue;
                    }
                    if (isExit(command)) {
                        return;
                    }
                    run(shell, command, out);
                }
            } catch (IOException e) {
                // the connection was closed (by the client, or by close())
            } catch (RuntimeException e) {
                log.warning("console: session failed: " + e);
            } finally {
                if (shell != null) {
                    try {
                        shell.close();
                    } catch (RuntimeException e) {
                        log.warning("console: could not close a shell: " + e);
                    }
                }
                if (closed) {
                    end();
                } else {
                    hangUp(ch);
                }
                sessions.remove(this);
            }
        }

        private void run(ConsoleShell shell, String command, PrintStream out) {
            try {
                Object result = shell.execute(command);
                if (result != null) {
                    out.println(shell.format(result));
                }
            } catch (VirtualMachineError e) {
                if (!(e instanceof StackOverflowError)) {
                    throw e;
                }
                out.println(describe(e));
            } catch (Exception | Error e) {
                out.println(describe(e));
            }
            out.flush();
        }

        void end() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }
    }
}
