package modgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The options an accepted client connection gets before its backend starts. */
class ClientSocketTest {

    @Test
    void tcpConnectionsGetNoDelayAndBlock() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    SocketChannel accepted = server.accept()) {
                assertEquals(false, accepted.getOption(StandardSocketOptions.TCP_NODELAY));
                Postmaster.configureClientSocket(accepted);
                assertTrue(accepted.getOption(StandardSocketOptions.TCP_NODELAY));
                assertTrue(accepted.isBlocking());
            }
        }
    }

    @Test
    void unixSocketConnectionsAreLeftWithoutTcpOptions() throws Exception {
        Path dir = Files.createTempDirectory("modgres-sock");
        Path path = dir.resolve(".s.PGSQL.1");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                    SocketChannel accepted = server.accept()) {
                Postmaster.configureClientSocket(accepted);
                assertTrue(accepted.isBlocking());
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }
}
