package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Throws random and mutated protocol messages at a running server, many
 * connections, then checks that the server still serves a well-behaved client
 * and logged no PANIC. The seed is printed so a failure can be replayed.
 */
class ProtocolFuzzIT {

    static byte[] startupPacket(String user, String database) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        d.writeInt(196608); // protocol 3.0
        for (String s : new String[] {"user", user, "database", database, "application_name", "fuzz"}) {
            d.write(s.getBytes(StandardCharsets.UTF_8));
            d.write(0);
        }
        d.write(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DataOutputStream(out).writeInt(body.size() + 4);
        out.write(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] message(char type, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(type);
        d.writeInt(payload.length + 4);
        d.write(payload);
        return out.toByteArray();
    }

    /** One hostile conversation: a broken startup, or a good startup followed by broken messages. */
    static byte[] hostileBytes(Random r) throws IOException {
        byte[] good = startupPacket("postgres", "postgres");
        switch (r.nextInt(6)) {
            case 0: { // random garbage before any startup
                byte[] b = new byte[1 + r.nextInt(200)];
                r.nextBytes(b);
                return b;
            }
            case 1: { // mutated startup packet
                byte[] b = good.clone();
                for (int i = 0; i < 1 + r.nextInt(4); i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 2: { // truncated startup packet
                return java.util.Arrays.copyOf(good, r.nextInt(good.length));
            }
            case 3: { // huge or negative length
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                new DataOutputStream(out).writeInt(r.nextBoolean() ? Integer.MAX_VALUE : -r.nextInt(1000));
                return out.toByteArray();
            }
            default: { // good startup, then messages of random type, length and content
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(good);
                for (int i = 0; i < 1 + r.nextInt(5); i++) {
                    byte[] payload = new byte[r.nextInt(64)];
                    r.nextBytes(payload);
                    char type = "QPBEDSCHFXdcfpx?\u0000".charAt(r.nextInt(17));
                    byte[] m = message(type, payload);
                    if (r.nextInt(4) == 0) { // lie about the length
                        int lie = r.nextInt();
                        m[1] = (byte) (lie >>> 24);
                        m[2] = (byte) (lie >>> 16);
                        m[3] = (byte) (lie >>> 8);
                        m[4] = (byte) lie;
                    }
                    out.write(m);
                }
                return out.toByteArray();
            }
        }
    }

    @Test
    void hostileMessagesCloseOnlyTheirOwnConnection() throws Exception {
        long seed = Long.getLong("modgres.fuzz.seed", System.nanoTime());
        System.out.println("protocol fuzz seed: " + seed + " (-Dmodgres.fuzz.seed to replay)");
        Random r = new Random(seed);
        Path tmp = ServerRunner.tempDir("modgres-fuzz-", false);
        try (ServerRunner s = ServerRunner.start(tmp.resolve("data"), false)) {
            s.awaitReady();
            for (int i = 0; i < 400; i++) {
                try (Socket sock = new Socket()) {
                    sock.connect(new InetSocketAddress("127.0.0.1", s.port), 5_000);
                    sock.setSoTimeout(2_000);
                    OutputStream out = sock.getOutputStream();
                    try {
                        out.write(hostileBytes(r));
                        out.flush();
                        sock.shutdownOutput();
                        InputStream in = sock.getInputStream();
                        byte[] sink = new byte[4096];
                        while (in.read(sink) >= 0) {
                            // drain until the server closes (it must: input ended)
                        }
                    } catch (IOException expected) {
                        // reset or timeout on a connection the server gave up on is fine
                    }
                }
            }
            assertTrue(s.process.isAlive(), "the server survived the fuzzing");
            // A well-behaved client still gets a complete protocol conversation.
            try (Socket sock = new Socket("127.0.0.1", s.port)) {
                sock.setSoTimeout(10_000);
                sock.getOutputStream().write(startupPacket("postgres", "postgres"));
                sock.getOutputStream().flush();
                int first = sock.getInputStream().read();
                assertTrue(first == 'R' || first == 'E', "an authentication or error message, got " + first);
            }
            String log = s.output();
            assertFalse(log.contains("PANIC"), log);
            // Every hostile connection ends in a PostgreSQL-style message, never an unhandled Java exception.
            assertFalse(log.contains("Exception"), log);
            System.out.println("server log lines by message: ");
            log.lines().map(l -> l.replaceAll("^.*?(LOG|FATAL|ERROR|WARNING|DEBUG\\d?):  ", "$1: ")
                    .replaceAll("\\d+", "N")).collect(java.util.stream.Collectors.groupingBy(x -> x,
                            java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                    .forEach((k, v) -> System.out.println(String.format("%6d  %s", v, k)));
        } finally {
            ServerRunner.deleteTree(tmp);
        }
    }
}
