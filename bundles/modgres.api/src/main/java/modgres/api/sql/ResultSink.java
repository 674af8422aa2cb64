package modgres.api.sql;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a session sends what the client is to receive while a statement runs.
 * Implemented by the backend, which turns each call into protocol messages.
 */
@ConsumerType
public interface ResultSink {

    /** RowDescription (simple query only: in extended mode Describe sends it). */
    void rowDescription(List<ColumnDescriptor> columns);

    /** One DataRow; each value already encoded in its column's format, null for SQL NULL. */
    void dataRow(byte[][] values);

    /** CommandComplete with PostgreSQL's tag ({@code SELECT 3}, {@code INSERT 0 1}, ...). */
    void commandComplete(String tag);

    /** EmptyQueryResponse (an empty statement). */
    void emptyQuery();

    /** NoticeResponse (NOTICE, WARNING, INFO, ... that pass client_min_messages). */
    void notice(Notice notice);

    /**
     * COPY FROM STDIN: sends CopyInResponse and returns the CopyData payloads
     * as a stream that ends at CopyDone; CopyFail makes reads throw
     * {@code 57014 COPY from stdin failed: <message>}.
     *
     * @param binary        overall format
     * @param columnFormats per-column formats
     */
    InputStream copyIn(boolean binary, short[] columnFormats);

    /**
     * COPY TO STDOUT: sends CopyOutResponse and returns a stream whose writes
     * become CopyData messages; closing it sends CopyDone.
     */
    OutputStream copyOut(boolean binary, short[] columnFormats);
}
