package modgres.postmaster;

/*
 * Design notes
 * ------------
 * The postmaster's listen sockets, as PostgreSQL's StreamServerPort makes
 * them: one TCP socket per address of listen_addresses ("localhost" is the
 * loopback addresses, "*" every address, "" none) on `port`, and one Unix
 * socket `.s.PGSQL.<port>` per directory of unix_socket_directories, each
 * with its lock file `.s.PGSQL.<port>.lock` (postmaster.pid's format) so
 * that two servers cannot share a socket path. Every socket is registered
 * with the postmaster's Selector; the postmaster thread accepts.
 *
 * A socket that cannot be bound is logged as PostgreSQL logs it and skipped;
 * no socket at all is FATAL (`could not create any TCP/IP sockets`,
 * `could not create any Unix-domain sockets` when directories were asked).
 */

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;

final class Listener implements AutoCloseable {

    /** One open listen socket; {@code unix} sockets carry their file and lock file. */
    record Socket(ServerSocketChannel channel, boolean unix, Path path, PidFile lock) {
    }

    private final List<Socket> sockets = new ArrayList<>();

    /** Opens every socket the settings ask for and registers them with {@code selector} for OP_ACCEPT. */
    static Listener open(String listenAddresses, String socketDirectories, int port, int socketPermissions,
            Path dataDir, long pid, long startTime, Selector selector, ServerLog log) {
        Listener l = new Listener();
        try {
            l.openTcp(listenAddresses, port, selector, log);
            l.openUnix(socketDirectories, port, socketPermissions, dataDir, pid, startTime, selector, log);
        } catch (PgException e) {
            l.close();
            throw e;
        }
        return l;
    }

    List<Socket> sockets() {
        return sockets;
    }

    /** The first Unix socket directory (postmaster.pid line 5), or "". */
    String firstSocketDirectory() {
        return sockets.stream().filter(Socket::unix).map(s -> s.path().getParent().toString()).findFirst().orElse("");
    }

    private void openTcp(String listenAddresses, int port, Selector selector, ServerLog log) {
        List<String> hosts = splitList(listenAddresses);
        if (hosts.isEmpty()) {
            return;
        }
        int opened = 0;
        for (String host : hosts) {
            List<InetAddress> addresses = new ArrayList<>();
            try {
                if (host.equals("*")) {
                    // One dual-stack IPv6 socket serves IPv4 too (Java cannot set IPV6_V6ONLY to split them).
                    addresses.add(InetAddress.getByName("::"));
                } else {
                    addresses.addAll(List.of(InetAddress.getAllByName(host)));
                }
            } catch (IOException e) {
                log.report(Severity.WARNING, null, "could not translate host name \"" + host
                        + "\", service \"" + port + "\" to address: Name or service not known", null, null);
                continue;
            }
            Set<InetAddress> unique = new LinkedHashSet<>(addresses);
            for (InetAddress a : unique) {
                String family = a instanceof Inet6Address ? "IPv6" : a instanceof Inet4Address ? "IPv4" : "IP";
                String shown = a.getHostAddress().replaceAll("%.*$", "");
                if (a instanceof Inet6Address && shown.equals("0:0:0:0:0:0:0:1")) {
                    shown = "::1";
                } else if (a instanceof Inet6Address && shown.equals("0:0:0:0:0:0:0:0")) {
                    shown = "::";
                }
                try {
                    ServerSocketChannel ch = ServerSocketChannel.open(
                            a instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                    try {
                        ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                        ch.bind(new InetSocketAddress(a, port), 1024);
                    } catch (IOException e) {
                        ch.close();
                        throw e;
                    }
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_ACCEPT);
                    sockets.add(new Socket(ch, false, null, null));
                    log.log("listening on " + family + " address \"" + shown + "\", port " + port);
                    opened++;
                } catch (IOException e) {
                    log.report(Severity.LOG, null, "could not bind " + family + " address \"" + shown + "\": "
                            + reason(e), null, "Is another postmaster already running on port " + port
                                    + "? If not, wait a few seconds and retry.");
                }
            }
        }
        if (opened == 0) {
            throw new PgException(SqlState.CONFIG_FILE_ERROR, "could not create any TCP/IP sockets");
        }
    }

    private void openUnix(String directories, int port, int permissions, Path dataDir, long pid, long startTime,
            Selector selector, ServerLog log) {
        List<String> dirs = splitList(directories);
        if (dirs.isEmpty()) {
            return;
        }
        int opened = 0;
        for (String d : dirs) {
            Path dir = Paths.get(d.startsWith("@") ? d.substring(1) : d);
            if (!dir.isAbsolute()) {
                dir = dataDir.resolve(dir);
            }
            Path path = dir.resolve(".s.PGSQL." + port);
            Path lockPath = dir.resolve(".s.PGSQL." + port + ".lock");
            PidFile lock = null;
            try {
                lock = PidFile.acquire(lockPath, lockPath.toString(), dataDir, pid, startTime, port,
                        other -> "Is another postmaster (PID " + other + ") using socket file \"" + path + "\"?");
                lock.set(PidFile.LINE_SOCKET_DIR, dir.toString());
                Files.deleteIfExists(path); // stale: its lock file was free
                ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                ch.bind(UnixDomainSocketAddress.of(path), 1024);
                Files.setPosixFilePermissions(path, permissions(permissions));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_ACCEPT);
                sockets.add(new Socket(ch, true, path, lock));
                log.log("listening on Unix socket \"" + path + "\"");
                opened++;
            } catch (PgException e) {
                log.report(Severity.LOG, e.sqlState(), e.getMessage(), e.detail(), e.hint());
            } catch (IOException | UnsupportedOperationException e) {
                if (lock != null) {
                    lock.remove();
                }
                log.report(Severity.LOG, null, "could not bind Unix address \"" + path + "\": " + reason(e), null,
                        null);
            }
        }
        if (opened == 0) {
            throw new PgException(SqlState.CONFIG_FILE_ERROR, "could not create any Unix-domain sockets");
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /** PostgreSQL's comma-separated list syntax (whitespace trimmed, double quotes allowed). */
    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                p = p.substring(1, p.length() - 1).replace("\"\"", "\"");
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Closes every socket, removes the Unix socket files and their lock files. */
    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (s.unix()) {
                try {
                    Files.deleteIfExists(s.path());
                } catch (IOException ignored) {
                    // a stale socket file is replaced at the next start
                }
                s.lock().remove();
            }
        }
        sockets.clear();
    }
}
