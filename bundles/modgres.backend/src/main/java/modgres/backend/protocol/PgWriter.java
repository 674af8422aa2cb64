package modgres.backend.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes backend messages into one reused byte array and sends it to the
 * channel when the backend flushes or the array passes 8 KiB at the end of a
 * message. A message is built in place: {@link #begin} reserves the length
 * word, {@link #end} fills it in. Used by the backend thread only.
 *
 * <p>Writing to a client that went away throws {@link ClientGone} (unchecked,
 * because it surfaces inside {@code ResultSink} calls made by the SQL engine).
 */
public final class PgWriter {
    private static final int SEND_AT = 8192;
    private static final int KEEP = 1 << 20;

    private final WritableByteChannel channel;
    private byte[] buf = new byte[SEND_AT + 1024];
    private int pos;
    private int start = -1;

    public PgWriter(WritableByteChannel channel) {
        this.channel = channel;
    }

    /** Starts a message of the given type. */
    public PgWriter begin(char type) {
        ensure(5);
        buf[pos++] = (byte) type;
        start = pos;
        pos += 4;
        return this;
    }

    /** Ends the message started by {@link #begin}; sends the buffer when it is full enough. */
    public void end() {
        int len = pos - start;
        buf[start] = (byte) (len >>> 24);
        buf[start + 1] = (byte) (len >>> 16);
        buf[start + 2] = (byte) (len >>> 8);
        buf[start + 3] = (byte) len;
        start = -1;
        if (pos >= SEND_AT) {
            flush();
        }
    }

    /** Bytes queued and not sent yet. */
    public int pending() {
        return pos;
    }

    /** Raw bytes outside any message (the single-byte answer to SSLRequest). */
    public PgWriter raw(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
        return this;
    }

    public PgWriter int8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public PgWriter int16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public PgWriter int32(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public PgWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public PgWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** A string in UTF-8 followed by a zero byte, encoded straight into the buffer. */
    public PgWriter cstring(String s) {
        utf8(s);
        ensure(1);
        buf[pos++] = 0;
        return this;
    }

    /** A string in UTF-8 without terminator. */
    public PgWriter utf8(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (pos == buf.length) {
                    ensure(n - i);
                }
                buf[pos++] = (byte) c;
            } else {
                ensure(4 + (n - i));
                if (c < 0x800) {
                    buf[pos++] = (byte) (0xc0 | c >> 6);
                    buf[pos++] = (byte) (0x80 | c & 0x3f);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf[pos++] = (byte) (0xf0 | cp >> 18);
                    buf[pos++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    buf[pos++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    buf[pos++] = (byte) (0x80 | cp & 0x3f);
                } else {
                    if (Character.isSurrogate(c)) {
                        c = '?';
                    }
                    buf[pos++] = (byte) (0xe0 | c >> 12);
                    buf[pos++] = (byte) (0x80 | c >> 6 & 0x3f);
                    buf[pos++] = (byte) (0x80 | c & 0x3f);
                }
            }
        }
        return this;
    }

    private void ensure(int n) {
        if (buf.length - pos < n) {
            long want = Math.max((long) buf.length * 2, (long) pos + n);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("message too large");
            }
            byte[] b = new byte[(int) want];
            System.arraycopy(buf, 0, b, 0, pos);
            buf = b;
        }
    }

    /**
     * Sends every complete message queued so far (a message being built stays
     * queued). Throws {@link ClientGone} when the client is gone.
     */
    public void flush() {
        int upTo = start < 0 ? pos : start - 1;
        if (upTo == 0) {
            return;
        }
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, upTo);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        } catch (IOException e) {
            pos = 0;
            start = -1;
            throw new ClientGone(e);
        }
        int rest = pos - upTo;
        if (rest > 0) {
            System.arraycopy(buf, upTo, buf, 0, rest);
            start -= upTo;
        }
        pos = rest;
        if (buf.length > KEEP && pos == 0) {
            buf = new byte[SEND_AT + 1024];
        }
    }

    /** Forgets what is queued (the connection is being abandoned). */
    public void discard() {
        pos = 0;
        start = -1;
    }

    /** The client cannot be written to any more. */
    public static final class ClientGone extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        public ClientGone(IOException cause) {
            super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
    }
}
