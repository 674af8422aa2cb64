package modgres.backend.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

import modgres.api.error.PgException;

/**
 * Reads the frontend's messages from a blocking channel. One instance per
 * connection, used by the backend thread only. Bytes arrive through one
 * 8 KiB buffer; the body of the current message is kept in one reused array
 * (grown for large messages) and read with a cursor, so reading a message
 * allocates nothing but the strings and values the caller takes out of it.
 */
public final class PgReader {
    /** PostgreSQL's limit for messages that are never large (Sync, Execute, ...). */
    public static final int SMALL_MESSAGE_LIMIT = 10000;
    /** PostgreSQL's limit for every other message (MaxAllocSize - 1). */
    public static final int LARGE_MESSAGE_LIMIT = 0x3fffffff - 1;
    /** An array larger than this is dropped after use rather than kept for the next message. */
    private static final int KEEP_BODY = 1 << 20;

    private final ReadableByteChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private byte[] body = new byte[1024];
    private int length;
    private int pos;

    public PgReader(ReadableByteChannel channel) {
        this.channel = channel;
        in.flip(); // empty, in "get" mode
    }

    /** True when bytes of a next message have already arrived (pipelining). */
    public boolean hasBufferedInput() {
        return in.hasRemaining();
    }

    /**
     * Ensures {@code n} bytes are buffered. Returns false on end of stream
     * (then fewer are there: {@link #buffered()} tells how many).
     */
    private boolean fill(int n) throws IOException {
        while (in.remaining() < n) {
            in.compact();
            int r;
            try {
                r = channel.read(in);
            } finally {
                in.flip();
            }
            if (r < 0) {
                return false;
            }
        }
        return true;
    }

    private int buffered() {
        return in.remaining();
    }

    /**
     * Reads the length word of a startup packet. Returns -1 on end of stream
     * before the first byte (a client that connected and went away), -2 when
     * the stream ended within the length word.
     */
    public int readStartupLength() throws IOException {
        if (!fill(4)) {
            return buffered() == 0 ? -1 : -2;
        }
        return in.getInt();
    }

    /**
     * Reads {@code n} bytes of body (a startup packet's, after its length
     * word, or a message's). Returns false when the stream ended first.
     */
    public boolean readBody(int n) throws IOException {
        if (body.length < n || body.length > KEEP_BODY && n <= 1024) {
            body = new byte[Math.max(n, 1024)];
        }
        length = n;
        pos = 0;
        int off = 0;
        while (off < n) {
            if (!in.hasRemaining() && !fill(1)) {
                return false;
            }
            int k = Math.min(in.remaining(), n - off);
            in.get(body, off, k);
            off += k;
        }
        return true;
    }

    /** Reads a message type byte; -1 on end of stream. */
    public int readType() throws IOException {
        if (!fill(1)) {
            return -1;
        }
        return in.get() & 0xff;
    }

    /**
     * Reads the length word and the body of a message whose type was read.
     * Returns false on end of stream within the message ({@code incomplete
     * message from client}); throws {@link BadLength} for a length outside
     * 4..maxLength+4.
     */
    public boolean readMessageBody(int maxLength) throws IOException {
        if (!fill(4)) {
            return false;
        }
        int len = in.getInt();
        if (len < 4 || len - 4 > maxLength) {
            throw new BadLength();
        }
        return readBody(len - 4);
    }

    // ---- the cursor over the current body ----

    /** Bytes of the current body not read yet. */
    public int remaining() {
        return length - pos;
    }

    public int position() {
        return pos;
    }

    /** The current body (valid up to {@code position() + remaining()}); do not keep it. */
    public byte[] array() {
        return body;
    }

    public void skip(int n) {
        need(n);
        pos += n;
    }

    private void need(int n) {
        if (n < 0 || length - pos < n) {
            throw new PgException("08P01", "insufficient data left in message");
        }
    }

    public int getByte() {
        need(1);
        return body[pos++] & 0xff;
    }

    public short getShort() {
        need(2);
        short v = (short) ((body[pos] & 0xff) << 8 | body[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public int getInt() {
        need(4);
        int v = (body[pos] & 0xff) << 24 | (body[pos + 1] & 0xff) << 16 | (body[pos + 2] & 0xff) << 8
                | body[pos + 3] & 0xff;
        pos += 4;
        return v;
    }

    /** A null-terminated UTF-8 string. */
    public String getCString() {
        int end = pos;
        while (end < length && body[end] != 0) {
            end++;
        }
        if (end >= length) {
            throw new PgException("08P01", "invalid string in message");
        }
        String s = new String(body, pos, end - pos, StandardCharsets.UTF_8); // ASCII fast path inside
        pos = end + 1;
        return s;
    }

    public byte[] getBytes(int n) {
        need(n);
        byte[] b = new byte[n];
        System.arraycopy(body, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** Checks that the whole body was read, as PostgreSQL's pq_getmsgend does. */
    public void end() {
        if (pos != length) {
            throw new PgException("08P01", "invalid message format");
        }
    }

    /** A message length word outside the allowed range. */
    public static final class BadLength extends IOException {
        private static final long serialVersionUID = 1L;

        BadLength() {
            super("invalid message length");
        }
    }
}
