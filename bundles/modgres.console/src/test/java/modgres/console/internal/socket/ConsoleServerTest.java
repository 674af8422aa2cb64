package modgres.console.internal.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConsoleServerTest {

    @TempDir
    Path dir;

    private final List<ConsoleServer> servers = new ArrayList<>();
    private final FakeShells shells = new FakeShells();

    @AfterEach
    void stopServers() {
        servers.forEach(ConsoleServer::close);
    }

    /** Shells that answer "echo X" with X, "null" with nothing and "fail" with an exception. */
    static final class FakeShells implements ConsoleShellFactory {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile boolean unavailable;

        @Override
        public ConsoleShell open(InputStream in, PrintStream out, PrintStream err) {
            if (unavailable) {
                return null;
            }
            opened.incrementAndGet();
            return new ConsoleShell() {
                @Override
                public Object execute(String line) throws Exception {
                    lines.add(line);
                    threads.add(Thread.currentThread().getName());
                    if (line.startsWith("echo ")) {
                        return line.substring(5);
                    }
                    if (line.equals("print")) {
                        out.println("printed by the command");
                        return null;
                    }
                    if (line.equals("fail")) {
                        throw new IllegalArgumentException("bad\n  argument");
                    }
                    if (line.equals("npe")) {
                        throw new NullPointerException();
                    }
                    if (line.equals("error")) {
                        throw new NoClassDefFoundError("org/example/Gone");
                    }
                    return null;
                }

                @Override
                public CharSequence format(Object result) {
                    return "[" + result + "]";
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    private ConsoleServer start(PeerIdentity peers, int max) throws IOException {
        ConsoleServer s = new ConsoleServer(dir, shells, peers, max, ConsoleLog.NONE);
        servers.add(s);
        s.start();
        return s;
    }

    private ConsoleServer start() throws IOException {
        return start(PeerIdentity.SO_PEERCRED, ConsoleServer.DEFAULT_MAX_SESSIONS);
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    private static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    /** Everything the server sends until it closes the connection. */
    private static String readAll(SocketChannel ch) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer bb = ByteBuffer.allocate(4096);
        while (ch.read(bb) >= 0) {
            all.write(bb.array(), 0, bb.position());
            bb.clear();
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** What the server sends until its output ends with the given text. */
    private static String readUntil(SocketChannel ch, String end) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer bb = ByteBuffer.allocate(1);
        while (!all.toString(StandardCharsets.UTF_8).endsWith(end)) {
            if (ch.read(bb) < 0) {
                throw new IOException("closed after " + all.toString(StandardCharsets.UTF_8));
            }
            all.write(bb.array(), 0, 1);
            bb.clear();
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** The whole conversation: input sent, then end of input, then all output. */
    private static String converse(Path socket, String input) throws IOException {
        try (SocketChannel ch = connect(socket)) {
            send(ch, input);
            ch.shutdownOutput();
            return readAll(ch);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }

    @Test
    void socketIsOwnerOnlyAndNamedInTheDataDirectory() throws Exception {
        ConsoleServer s = start();
        Path socket = dir.resolve(".s.modgres.console");
        assertEquals(socket, s.socketPath());
        assertTrue(s.isListening());
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(0140000, mode & 0170000, "a socket file");
        assertEquals(0600, mode & 07777, "owner-only permissions");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals(Files.getOwner(dir), Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(dir.resolve(ConsoleServer.TEMP_NAME), LinkOption.NOFOLLOW_LINKS),
                "the temporary name is gone");
    }

    @Test
    void runsEachLineAndPrintsResultsAndErrorsOnOneLine() throws Exception {
        start();
        String out = converse(dir.resolve(ConsoleServer.SOCKET_NAME),
                "echo hello\n\n   \nnothing\nprint\nfail\nnpe\nerror\necho ├─ ü\r\n");
        assertEquals("g! [hello]\n"
                + "g! g! g! "
                + "g! printed by the command\n"
                + "g! gogo: IllegalArgumentException: bad argument\n"
                + "g! gogo: NullPointerException\n"
                + "g! gogo: NoClassDefFoundError: org/example/Gone\n"
                + "g! [├─ ü]\n"
                + "g! \n", out);
        assertEquals(List.of("echo hello", "nothing", "print", "fail", "npe", "error", "echo ├─ ü"), shells.lines);
        await(() -> shells.closed.get() == 1);
    }

    @Test
    void exitAndQuitEndTheSessionNotTheServer() throws Exception {
        ConsoleServer s = start();
        Path socket = s.socketPath();
        assertEquals("g! [a]\ng! ", converse(socket, "echo a\nexit\necho never\n"));
        assertEquals("g! ", converse(socket, "quit\n"));
        assertEquals("g! ", converse(socket, "  exit 0\n"));
        assertEquals(List.of("echo a"), shells.lines);
        assertTrue(s.isListening());
        assertEquals("g! [still here]\ng! \n", converse(socket, "echo still here\n"));
        await(() -> shells.closed.get() == 4 && s.sessionCount() == 0);
    }

    @Test
    void threadsAreNamed() throws Exception {
        ConsoleServer s = start();
        converse(s.socketPath(), "echo 1\n");
        converse(s.socketPath(), "echo 2\n");
        assertEquals(List.of("console session 1", "console session 2"), shells.threads);
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("console listener")));
    }

    @Test
    void theServersOwnUserIsAdmittedByPeerCredentials() throws Exception {
        ConsoleServer s = start();
        UserPrincipal[] seen = new UserPrincipal[1];
        try (SocketChannel ch = connect(s.socketPath())) {
            seen[0] = PeerIdentity.SO_PEERCRED.userOf(ch);
            assertEquals("g! ", readUntil(ch, "g! "));
        }
        assertTrue(ConsoleServer.sameUser(Files.getOwner(s.socketPath()), seen[0]));
    }

    @Test
    void anotherUserIsRefusedWithOneLine() throws Exception {
        UserPrincipal mallory = () -> "mallory";
        ConsoleServer s = start(ch -> mallory, 8);
        assertEquals("modgres: console connection refused: OS user \"mallory\" is not the server's user\n",
                converse(s.socketPath(), "echo secret\n"));
        assertEquals(0, shells.opened.get());
        assertEquals(List.of(), shells.lines);
        assertFalse(ConsoleServer.sameUser(Files.getOwner(s.socketPath()), mallory));
        assertFalse(ConsoleServer.sameUser(null, mallory));
        assertFalse(ConsoleServer.sameUser(mallory, null));
    }

    @Test
    void sessionsAreLimited() throws Exception {
        ConsoleServer s = start(PeerIdentity.SO_PEERCRED, 2);
        try (SocketChannel a = connect(s.socketPath()); SocketChannel b = connect(s.socketPath())) {
            readUntil(a, "g! ");
            readUntil(b, "g! ");
            assertEquals(2, s.sessionCount());
            assertEquals("modgres: too many console sessions (at most 2)\n", converse(s.socketPath(), "echo x\n"));
        }
        await(() -> s.sessionCount() == 0);
        assertEquals("g! [x]\ng! \n", converse(s.socketPath(), "echo x\n"));
    }

    @Test
    void withoutCommandProcessorTheConnectionIsToldAndClosed() throws Exception {
        shells.unavailable = true;
        ConsoleServer s = start();
        assertEquals("modgres: no command processor is available (is the Gogo runtime active?)\n",
                converse(s.socketPath(), "echo x\n"));
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path socket = dir.resolve(ConsoleServer.SOCKET_NAME);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // closing leaves the file behind, as a crash does
        }
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        start();
        assertEquals("g! [fresh]\ng! \n", converse(socket, "echo fresh\n"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void aStaleRegularFileIsReplacedToo() throws Exception {
        Path socket = dir.resolve(ConsoleServer.SOCKET_NAME);
        Files.writeString(socket, "junk");
        Files.writeString(dir.resolve(ConsoleServer.TEMP_NAME), "junk");
        start();
        assertEquals("g! [ok]\ng! \n", converse(socket, "echo ok\n"));
    }

    @Test
    void closeEndsSessionsAndRemovesTheSocketFile() throws Exception {
        ConsoleServer s = start();
        try (SocketChannel ch = connect(s.socketPath())) {
            readUntil(ch, "g! ");
            s.close();
            assertEquals("", readAll(ch));
        }
        assertFalse(Files.exists(s.socketPath(), LinkOption.NOFOLLOW_LINKS));
        assertFalse(s.isListening());
        assertEquals(0, s.sessionCount());
        assertEquals(1, shells.closed.get());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("console ") && t.isAlive()));
        assertThrows(IOException.class, () -> connect(s.socketPath()));
        s.close(); // twice is harmless
    }

    @Test
    void closeLeavesASuccessorsSocketFileAlone() throws Exception {
        ConsoleServer first = start();
        ConsoleServer second = start();
        first.close();
        assertTrue(Files.exists(second.socketPath(), LinkOption.NOFOLLOW_LINKS));
        assertEquals("g! [second]\ng! \n", converse(second.socketPath(), "echo second\n"));
    }

    @Test
    void waitsForTheDataDirectory() throws Exception {
        Path later = dir.resolve("later");
        ConsoleServer s = new ConsoleServer(later, shells, PeerIdentity.SO_PEERCRED, 8, ConsoleLog.NONE);
        servers.add(s);
        s.start();
        assertFalse(s.isListening());
        Files.createDirectory(later, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        await(s::isListening);
        assertEquals("g! [late]\ng! \n", converse(s.socketPath(), "echo late\n"));
    }

    @Test
    void closeBeforeTheDataDirectoryAppearsStopsWaiting() throws Exception {
        Path never = dir.resolve("never");
        ConsoleServer s = new ConsoleServer(never, shells, PeerIdentity.SO_PEERCRED, 8, ConsoleLog.NONE);
        s.start();
        s.close();
        Files.createDirectory(never);
        Thread.sleep(700);
        assertFalse(s.isListening());
        assertFalse(Files.exists(s.socketPath(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void startTwiceIsRefusedAndArgumentsAreChecked() throws Exception {
        ConsoleServer s = start();
        assertThrows(IllegalStateException.class, s::start);
        assertThrows(IllegalArgumentException.class,
                () -> new ConsoleServer(dir, shells, PeerIdentity.SO_PEERCRED, 0, ConsoleLog.NONE));
    }

    @Test
    void exitWords() {
        assertTrue(ConsoleServer.isExit("exit"));
        assertTrue(ConsoleServer.isExit("quit"));
        assertTrue(ConsoleServer.isExit("exit 1"));
        assertFalse(ConsoleServer.isExit("exiting"));
        assertFalse(ConsoleServer.isExit("echo exit"));
    }

    @Test
    void failuresAreDescribedOnOneLine() {
        assertEquals("gogo: IllegalStateException: a b c",
                ConsoleServer.describe(new IllegalStateException(" a\r\n b\n\tc ")));
        assertEquals("gogo: IOException", ConsoleServer.describe(new IOException("")));
    }
}
