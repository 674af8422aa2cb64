package modgres.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

import modgres.api.error.PgException;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.sql.Notice;
import modgres.api.sql.ResultSink;
import modgres.backend.protocol.Messages;
import modgres.backend.protocol.PgReader;
import modgres.backend.protocol.PgWriter;

/**
 * Turns what the SQL engine reports into protocol messages. One instance per
 * backend, reused for every statement; {@link #extended} says whether the
 * statement runs from Execute (then RowDescription is Describe's business and
 * is not sent here). COPY's streams read and write protocol messages directly.
 */
final class WireSink implements ResultSink {
    private final PgWriter out;
    private final PgReader in;
    private final Backend backend;
    boolean extended;

    WireSink(PgWriter out, PgReader in, Backend backend) {
        this.out = out;
        this.in = in;
        this.backend = backend;
    }

    @Override
    public void rowDescription(List<ColumnDescriptor> columns) {
        if (!extended) {
            Messages.rowDescription(out, columns);
        }
    }

    @Override
    public void dataRow(byte[][] values) {
        Messages.dataRow(out, values);
    }

    @Override
    public void commandComplete(String tag) {
        Messages.commandComplete(out, tag);
    }

    @Override
    public void emptyQuery() {
        Messages.empty(out, 'I');
    }

    @Override
    public void notice(Notice n) {
        String severity = n.severity() == null ? "NOTICE" : n.severity();
        Messages.errorOrNotice(out, 'N', severity, n.sqlState() == null ? "00000" : n.sqlState(), n.message(),
                n.detail(), n.hint(), n.position());
        ServerLog log = backend.log();
        Severity s;
        try {
            s = Severity.valueOf(severity.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            s = Severity.NOTICE;
        }
        log.report(s, n.sqlState(), n.message(), n.detail(), n.hint());
    }

    @Override
    public InputStream copyIn(boolean binary, short[] columnFormats) {
        Messages.copyResponse(out, 'G', binary, columnFormats);
        out.flush();
        return new CopyIn();
    }

    @Override
    public OutputStream copyOut(boolean binary, short[] columnFormats) {
        Messages.copyResponse(out, 'H', binary, columnFormats);
        return new CopyOut();
    }

    /** CopyData payloads up to CopyDone, read straight out of the reader's message buffer. */
    private final class CopyIn extends InputStream {
        private int left;
        private boolean done;

        /** Reads messages until one with data; false at CopyDone. */
        private boolean next() throws IOException {
            while (left == 0) {
                if (done) {
                    return false;
                }
                int type = in.readType();
                if (type < 0) {
                    done = true;
                    throw new PgException("08006", "unexpected EOF on client connection with an open transaction");
                }
                if (!in.readMessageBody(PgReader.LARGE_MESSAGE_LIMIT)) {
                    done = true;
                    throw new PgException("08006", "unexpected EOF on client connection with an open transaction");
                }
                switch (type) {
                    case 'd' -> left = in.remaining();
                    case 'c' -> {
                        done = true;
                        return false;
                    }
                    case 'f' -> {
                        done = true;
                        throw new PgException("57014", "COPY from stdin failed: " + in.getCString());
                    }
                    case 'H', 'S' -> {
                        // ignored during COPY IN, as the protocol says
                    }
                    default -> {
                        done = true;
                        throw new PgException("08P01", String.format(
                                "unexpected message type 0x%02X during COPY from stdin", type));
                    }
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!next()) {
                return -1;
            }
            left--;
            return in.getByte();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!next()) {
                return -1;
            }
            int n = Math.min(len, left);
            System.arraycopy(in.array(), in.position(), b, off, n);
            in.skip(n);
            left -= n;
            return n;
        }

        @Override
        public int available() {
            return left;
        }
    }

    /** Each write is one CopyData; close sends CopyDone. */
    private final class CopyOut extends OutputStream {
        private boolean closed;
        private final byte[] one = new byte[1];

        @Override
        public void write(int b) {
            one[0] = (byte) b;
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (closed) {
                throw new IllegalStateException("COPY TO STDOUT already ended");
            }
            if (len > 0) {
                Messages.copyData(out, b, off, len);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Messages.empty(out, 'c');
            }
        }
    }
}
