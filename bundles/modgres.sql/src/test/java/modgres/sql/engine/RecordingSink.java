package modgres.sql.engine;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import modgres.api.sql.ColumnDescriptor;
import modgres.api.sql.Notice;
import modgres.api.sql.ResultSink;

/** Records what a session sends as short strings: "T a:23 b:25", "D 1|x|NULL", "C SELECT 1", "N WARNING 25001 msg", "I". */
class RecordingSink implements ResultSink {
    final List<String> events = new ArrayList<>();
    final List<byte[][]> rawRows = new ArrayList<>();

    @Override
    public void rowDescription(List<ColumnDescriptor> columns) {
        StringBuilder sb = new StringBuilder("T");
        for (ColumnDescriptor c : columns) {
            sb.append(' ').append(c.name()).append(':').append(c.typeOid());
        }
        events.add(sb.toString());
    }

    @Override
    public void dataRow(byte[][] values) {
        rawRows.add(values);
        StringBuilder sb = new StringBuilder("D ");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : "|").append(values[i] == null ? "NULL"
                    : new String(values[i], StandardCharsets.UTF_8));
        }
        events.add(sb.toString());
    }

    @Override
    public void commandComplete(String tag) {
        events.add("C " + tag);
    }

    @Override
    public void emptyQuery() {
        events.add("I");
    }

    @Override
    public void notice(Notice notice) {
        events.add("N " + notice.severity() + " " + notice.sqlState() + " " + notice.message());
    }

    @Override
    public InputStream copyIn(boolean binary, short[] columnFormats) {
        throw new UnsupportedOperationException();
    }

    @Override
    public OutputStream copyOut(boolean binary, short[] columnFormats) {
        throw new UnsupportedOperationException();
    }
}
