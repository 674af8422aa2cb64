package modgres.backend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import modgres.api.backend.BackendHandle;
import modgres.api.backend.BackendRegistry;
import modgres.api.backend.Peer;
import modgres.api.error.PgException;

/**
 * A tiny postmaster for tests: a data directory with the given pg_hba.conf,
 * the backend component with fake settings, logs and engine, and an accept
 * loop on a free loopback port (and optionally a Unix socket) that hands
 * every connection to the launcher.
 */
final class TestServer implements AutoCloseable {
    final Path dataDir;
    final FakeSettings settings;
    final CapturedLogs logs = new CapturedLogs();
    final FakeEngine engine = new FakeEngine();
    final Registry registry = new Registry();
    final BackendComponent component;
    private final ServerSocketChannel tcp;
    private final ServerSocketChannel unix;
    private final Path socketDir;
    private final Thread tcpAcceptor;
    private final Thread unixAcceptor;
    final int port;

    /** The postmaster's table of backends, as a test double. */
    static final class Registry implements BackendRegistry {
        final Map<Long, BackendHandle> backends = new ConcurrentHashMap<>();
        final AtomicInteger launched = new AtomicInteger();
        final AtomicInteger exited = new AtomicInteger();
        final AtomicInteger cancelRequests = new AtomicInteger();
        volatile PgException refusal;
        volatile PgException refusalForNonSuperusers;

        void launched(BackendHandle h) {
            launched.incrementAndGet();
            backends.put(h.pid(), h);
        }

        @Override
        public void cancel(long pid, int key) {
            cancelRequests.incrementAndGet();
            BackendHandle h = backends.get(pid);
            if (h != null) {
                h.cancel(key);
            }
        }

        @Override
        public void exited(BackendHandle backend) {
            exited.incrementAndGet();
            backends.remove(backend.pid(), backend);
        }

        @Override
        public PgException admissionProblem(boolean superuser) {
            if (refusal != null) {
                return refusal;
            }
            return superuser ? null : refusalForNonSuperusers;
        }

        /** The handle of a backend (the accept loop records it just after launch returns: wait for it). */
        BackendHandle handle(long pid) throws InterruptedException {
            long until = System.nanoTime() + 5_000_000_000L;
            BackendHandle h;
            while ((h = backends.get(pid)) == null && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            return h;
        }

        /** Waits until every launched backend has exited. */
        void awaitQuiet() throws InterruptedException {
            long until = System.nanoTime() + 10_000_000_000L;
            while (exited.get() < launched.get() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            if (exited.get() < launched.get()) {
                throw new AssertionError(launched.get() - exited.get() + " backend(s) still running");
            }
        }
    }

    TestServer(Path dataDir, String hba) throws IOException {
        this(dataDir, hba, Map.of(), false);
    }

    TestServer(Path dataDir, String hba, Map<String, String> settingValues, boolean unixSocket) throws IOException {
        this.dataDir = dataDir;
        Files.createDirectories(dataDir.resolve("global"));
        Files.writeString(dataDir.resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8);
        settings = new FakeSettings(dataDir);
        settings.values.putAll(settingValues);
        component = new BackendComponent(settings.settings(), logs.factory());
        component.bindSqlEngine(engine);
        tcp = ServerSocketChannel.open();
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        port = ((InetSocketAddress) tcp.getLocalAddress()).getPort();
        tcpAcceptor = new Thread(() -> accept(tcp, false), "test postmaster tcp");
        tcpAcceptor.start();
        if (unixSocket) {
            socketDir = Files.createTempDirectory("modgres-sock");
            unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            unix.bind(UnixDomainSocketAddress.of(socketDir.resolve(".s.PGSQL." + port)));
            unixAcceptor = new Thread(() -> accept(unix, true), "test postmaster unix");
            unixAcceptor.start();
        } else {
            socketDir = null;
            unix = null;
            unixAcceptor = null;
        }
    }

    Path socketDir() {
        return socketDir;
    }

    private void accept(ServerSocketChannel server, boolean local) {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return;
            }
            Peer peer;
            if (local) {
                peer = new Peer(true, null, 0);
            } else {
                try {
                    InetSocketAddress a = (InetSocketAddress) ch.getRemoteAddress();
                    peer = new Peer(false, a.getAddress().getHostAddress(), a.getPort());
                } catch (IOException e) {
                    continue;
                }
            }
            registry.launched(component.launch(ch, peer, registry));
        }
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    static Properties props(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("sslmode", "disable");
        p.setProperty("gssEncMode", "disable");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "30");
        return p;
    }

    @Override
    public void close() throws Exception {
        tcp.close();
        tcpAcceptor.join(5000);
        if (unix != null) {
            unix.close();
            unixAcceptor.join(5000);
            Files.deleteIfExists(socketDir.resolve(".s.PGSQL." + port));
            Files.deleteIfExists(socketDir);
        }
        component.deactivate();
        registry.awaitQuiet();
    }
}
