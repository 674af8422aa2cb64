package modgres.backend;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A byte-level protocol client, for what a driver would never send. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;

    /** One backend message. */
    record Msg(char type, byte[] body) {
        ByteBuffer buf() {
            return ByteBuffer.wrap(body);
        }

        int int32(int at) {
            return ByteBuffer.wrap(body).getInt(at);
        }

        /** The fields of an ErrorResponse or NoticeResponse. */
        Map<Character, String> fields() {
            Map<Character, String> m = new LinkedHashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int end = i;
                while (body[end] != 0) {
                    end++;
                }
                m.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return m;
        }

        /** Null-terminated strings of the body from {@code at}. */
        List<String> strings(int at) {
            List<String> l = new ArrayList<>();
            int i = at;
            while (i < body.length) {
                int end = i;
                while (end < body.length && body[end] != 0) {
                    end++;
                }
                l.add(new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return l;
        }

        @Override
        public String toString() {
            return type + (type == 'E' || type == 'N' ? fields().toString() : "[" + body.length + "]");
        }
    }

    RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** A StartupMessage for the given version with name/value pairs. */
    static byte[] startup(int version, String... pairs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[4]);
        b.writeBytes(ByteBuffer.allocate(4).putInt(version).array());
        for (String s : pairs) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write(0);
        byte[] a = b.toByteArray();
        ByteBuffer.wrap(a).putInt(0, a.length);
        return a;
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** A message: type, length, body parts (String = C string, Integer = int32, Short = int16, byte[] = raw). */
    void message(char type, Object... parts) throws IOException {
        out.write(body(type, parts));
        out.flush();
    }

    /** The bytes of a message, for pipelining several in one write. */
    static byte[] body(char type, Object... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                b.write(0);
            } else if (p instanceof Integer i) {
                b.writeBytes(ByteBuffer.allocate(4).putInt(i).array());
            } else if (p instanceof Short s) {
                b.writeBytes(ByteBuffer.allocate(2).putShort(s).array());
            } else if (p instanceof Character c) {
                b.write(c);
            } else if (p instanceof byte[] a) {
                b.writeBytes(a);
            }
        }
        byte[] data = b.toByteArray();
        ByteBuffer m = ByteBuffer.allocate(5 + data.length);
        m.put((byte) type).putInt(4 + data.length).put(data);
        return m.array();
    }

    Msg read() throws IOException {
        char type = (char) in.readUnsignedByte();
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return new Msg(type, body);
    }

    /** Reads messages up to and including one of {@code type}. */
    List<Msg> readUntil(char type) throws IOException {
        List<Msg> l = new ArrayList<>();
        while (true) {
            Msg m = read();
            l.add(m);
            if (m.type() == type) {
                return l;
            }
        }
    }

    /** Types of the messages, as a string ("1 2 T D C Z"). */
    static String types(List<Msg> msgs) {
        StringBuilder sb = new StringBuilder();
        for (Msg m : msgs) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(m.type());
        }
        return sb.toString();
    }

    /** True when the server closed the connection (end of stream) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    /** Startup as {@code user} (trust), through ReadyForQuery; returns those messages. */
    List<Msg> login(String user, String... more) throws IOException {
        String[] pairs = new String[2 + more.length];
        pairs[0] = "user";
        pairs[1] = user;
        System.arraycopy(more, 0, pairs, 2, more.length);
        send(startup(3 << 16, pairs));
        return readUntil('Z');
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
