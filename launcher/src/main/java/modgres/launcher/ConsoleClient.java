package modgres.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar modgres.jar --console -D DATADIR}: a terminal on the Felix
 * console of a running (possibly headless) server. The server listens on the
 * Unix-domain socket {@code DATADIR/.s.modgres.console}, which only the
 * server's OS user can reach (see the console bundle's README). Lines typed
 * here go to the server; its output comes back until either side closes.
 */
final class ConsoleClient {
    static final String SOCKET = ".s.modgres.console";

    private ConsoleClient() {
    }

    static int connect(Path dataDir, InputStream in, PrintStream out, PrintStream err) {
        Path socket = dataDir.resolve(SOCKET);
        if (!Files.exists(socket)) {
            err.println("modgres: no server console at \"" + socket + "\": is the server running?");
            return 1;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Thread pump = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    OutputStream toServer = Channels.newOutputStream(ch);
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        toServer.write(buf, 0, n);
                        toServer.flush();
                    }
                    ch.shutdownOutput();
                } catch (IOException ignored) {
                    // the server closed the session
                }
            }, "console input");
            pump.setDaemon(true);
            pump.start();
            ByteBuffer bb = ByteBuffer.allocate(8192);
            while (ch.read(bb) >= 0) {
                bb.flip();
                out.write(bb.array(), 0, bb.limit());
                out.flush();
                bb.clear();
            }
            return 0;
        } catch (IOException e) {
            err.println("modgres: could not connect to server console \"" + socket + "\": " + e.getMessage());
            return 1;
        }
    }
}
