package modgres.sql.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import modgres.api.error.PgException;
import modgres.sql.ast.DefElem;
import modgres.sql.catalog.Relation;

/*
 * Design notes: COPY's text and CSV formats (PostgreSQL's copyfrom.c and
 * copyto.c, client side only: STDIN and STDOUT).
 *
 * text: one line per row, columns separated by DELIMITER (tab), NULL as \N,
 *       backslash escapes (\b \f \n \r \t \v \\ \digits \xhex) decoded on input
 *       and the delimiter, newline, carriage return and backslash escaped on
 *       output; "\." alone on a line ends the data.
 * csv:  DELIMITER ',', QUOTE '"', ESCAPE = QUOTE, NULL as the empty unquoted
 *       string; quoted fields may span lines; HEADER skips the first line on
 *       input and writes the column names on output; FORCE_QUOTE not yet.
 *
 * COPY FROM: Reader builds the rows (defaults for columns not listed) and
 * keeps what an error's CONTEXT shows (line number, line text, column);
 * CopyFrom checks them with INSERT's ModifyTable and inserts them in batches
 * (Heap.multiInsert, then the index entries), frozen with FREEZE.
 */
/** COPY table FROM STDIN / TO STDOUT; see the design notes. */
public final class Copy {
    final boolean csv;
    final char delimiter;
    final String nullString;
    final boolean header;
    final char quote;
    final char escape;
    /** FREEZE: COPY FROM writes the rows frozen (see CopyFrom). */
    public final boolean freeze;

    public Copy(List<DefElem> options) {
        String format = "text";
        String delim = null;
        String nul = null;
        boolean hdr = false;
        boolean frz = false;
        String q = null;
        String esc = null;
        for (DefElem d : options) {
            String v = value(d);
            switch (d.name().toLowerCase(Locale.ROOT)) {
                case "format" -> format = v.toLowerCase(Locale.ROOT);
                case "delimiter" -> delim = v;
                case "null" -> nul = v;
                case "header" -> hdr = v == null || !(v.equalsIgnoreCase("false") || v.equals("0")
                        || v.equalsIgnoreCase("off"));
                case "quote" -> q = v;
                case "escape" -> esc = v;
                case "freeze" -> frz = v == null || !(v.equalsIgnoreCase("false") || v.equals("0")
                        || v.equalsIgnoreCase("off") || v.equalsIgnoreCase("no"));
                case "encoding", "force_not_null", "force_null" -> {
                }
                default -> throw new PgException("42601", "option \"" + d.name() + "\" not recognized", null, null,
                        d.position(), null);
            }
        }
        if (!format.equals("text") && !format.equals("csv")) {
            throw new PgException("0A000", "COPY format \"" + format + "\" is not supported yet");
        }
        csv = format.equals("csv");
        if (delim != null && delim.length() != 1) {
            throw new PgException("0A000", "COPY delimiter must be a single one-byte character");
        }
        delimiter = delim != null ? delim.charAt(0) : csv ? ',' : '\t';
        nullString = nul != null ? nul : csv ? "" : "\\N";
        if (hdr && !csv) {
            throw new PgException("0A000", "COPY HEADER available only in CSV mode");
        }
        header = hdr;
        freeze = frz;
        quote = q != null && !q.isEmpty() ? q.charAt(0) : '"';
        escape = esc != null && !esc.isEmpty() ? esc.charAt(0) : quote;
    }

    private static String value(DefElem d) {
        if (d.value() == null) {
            return null;
        }
        if (d.value() instanceof DefElem.Str s) {
            return s.value();
        }
        if (d.value() instanceof DefElem.Num n) {
            return n.value();
        }
        if (d.value() instanceof DefElem.Name n) {
            return String.join(".", n.parts());
        }
        return d.value().toString();
    }

    // ------------------------------------------------------------------ FROM

    /** The rows of a COPY FROM: each line parsed and converted to the table's attribute row. */
    public Reader reader(Relation rel, List<Relation.Column> targets, Ev[] defaults, InputStream in, TypeSystem ts) {
        return new Reader(rel, targets, defaults, in, ts);
    }

    /**
     * COPY FROM's input, one row at a time, remembering what PostgreSQL's
     * CopyFromErrorCallback prints as CONTEXT: the line number (records
     * read, the header included), the line's text while it is the current
     * one, and the column being converted.
     */
    public final class Reader {
        /** PostgreSQL's MAX_COPY_DATA_DISPLAY: bytes of a line or value shown in CONTEXT. */
        static final int MAX_DISPLAY = 100;

        private final LineReader r;
        private final Relation rel;
        private final List<Relation.Column> targets;
        private final Ev[] defaults;
        private final TypeSystem ts;
        private long line;
        private boolean skippedHeader;
        private boolean recordEndSeen;
        /** The current record's text, or null once it is no longer the current row. */
        private String lineText;
        /** The column being converted and its value (null: no column is). */
        private String attName;
        private String attValue;

        Reader(Relation rel, List<Relation.Column> targets, Ev[] defaults, InputStream in, TypeSystem ts) {
            this.r = new LineReader(in);
            this.rel = rel;
            this.targets = targets;
            this.defaults = defaults;
            this.ts = ts;
        }

        /** The next row (natts values, defaults filled in), or null at the end of the data. */
        public Object[] next(ExecState ex) {
            attName = null;
            attValue = null;
            lineText = null;
            try {
                List<String> fields;
                while (true) {
                    line++;
                    fields = csv ? readCsv(r, this) : readText(r, this);
                    if (fields == null) {
                        line--;
                        return null;
                    }
                    recordEndSeen = true;
                    if (header && !skippedHeader) {
                        skippedHeader = true;
                        continue;
                    }
                    break;
                }
                if (fields.size() < targets.size()) {
                    throw new PgException("22P04", "missing data for column \""
                            + targets.get(fields.size()).name() + "\"");
                }
                if (fields.size() > targets.size()) {
                    throw new PgException("22P04", "extra data after last expected column");
                }
                Object[] row = new Object[rel.natts()];
                for (int i = 0; i < targets.size(); i++) {
                    Relation.Column c = targets.get(i);
                    String f = fields.get(i);
                    if (f != null) {
                        attName = c.name();
                        attValue = f;
                        row[c.attnum() - 1] = ts.input(c.type(), c.typmod(), f, ex);
                    }
                    TypeSystem.Cast domainCheck = ts.domainCheck(c.type());
                    if (domainCheck != null) {
                        row[c.attnum() - 1] = domainCheck.apply(row[c.attnum() - 1], ex); // a domain's constraints
                    }
                }
                attName = null;
                attValue = null;
                for (int i = 0; i < row.length; i++) {
                    if (defaults[i] != null) {
                        row[i] = defaults[i].eval(null, ex);
                    }
                }
                return row;
            } catch (IOException e) {
                throw new PgException("08P01", "could not read COPY data: " + e.getMessage());
            }
        }

        /** The number of the current line (records read so far, the header included). */
        public long line() {
            return line;
        }

        /** Forgets the current line's text: CONTEXT then names only the line number (buffered rows). */
        public void lineDone() {
            lineText = null;
        }

        /** CONTEXT for an error about the current row (PostgreSQL's CopyFromErrorCallback). */
        public String context() {
            if (attName != null) {
                return "COPY " + rel.name() + ", line " + line + ", column " + attName + ": \""
                        + limit(attValue) + "\"";
            }
            if (lineText != null) {
                return "COPY " + rel.name() + ", line " + line + ": \"" + limit(lineText) + "\"";
            }
            return lineContext(line);
        }

        /** CONTEXT naming a line only (an error about a row inserted from the buffer). */
        public String lineContext(long lineNo) {
            return "COPY " + rel.name() + ", line " + lineNo;
        }

        private void current(String text) {
            lineText = text;
        }

        /**
         * A newline inside a quoted CSV field: PostgreSQL counts it as a line,
         * except in the first record (its reader does not know the line ending
         * before it has seen one record end).
         */
        private void embeddedNewline() {
            if (recordEndSeen) {
                line++;
            }
        }
    }

    /**
     * Lines of UTF-8 text as {@link java.io.BufferedReader#readLine} gives
     * them (ended by LF, CR LF or CR; the last one may lack its end), decoded
     * line by line from a byte buffer: cheaper than a character stream for
     * COPY's mostly ASCII data.
     */
    static final class LineReader {
        private final InputStream in;
        private byte[] buf = new byte[65536];
        private int pos;
        private int end;
        private boolean eof;

        LineReader(InputStream in) {
            this.in = in;
        }

        String readLine() throws IOException {
            int scanned = pos;
            while (true) {
                for (int i = scanned; i < end; i++) {
                    byte b = buf[i];
                    if (b == '\n' || b == '\r') {
                        if (b == '\r' && i + 1 == end && !eof) {
                            break; // a CR at the end of the buffer: is an LF next?
                        }
                        String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                        pos = b == '\r' && i + 1 < end && buf[i + 1] == '\n' ? i + 2 : i + 1;
                        return line;
                    }
                }
                if (eof) {
                    if (pos == end) {
                        return null;
                    }
                    String line = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
                    pos = end;
                    return line;
                }
                scanned = end - pos;
                if (scanned > 0 && buf[end - 1] == '\r') {
                    scanned--;
                }
                fill();
                scanned += pos;
            }
        }

        /** Moves the unread bytes to the front (growing the buffer for a long line) and reads more. */
        private void fill() throws IOException {
            int left = end - pos;
            if (left == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            } else if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, left);
            }
            pos = 0;
            end = left;
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }
    }

    /** PostgreSQL's limit_printout_length: at most 100 bytes (whole characters), then "...". */
    static String limit(String s) {
        if (s.length() * 3 <= Reader.MAX_DISPLAY) {
            return s;
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > Reader.MAX_DISPLAY) {
                return s.substring(0, i) + "...";
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s;
    }

    private List<String> readText(LineReader r, Reader into) throws IOException {
        String l = r.readLine();
        if (l == null) {
            return null;
        }
        if (l.equals("\\.")) {
            return null;
        }
        into.current(l);
        List<String> out = new ArrayList<>();
        if (l.indexOf('\\') < 0) {
            // no escapes: the fields are the text between delimiters
            int start = 0;
            while (true) {
                int end = l.indexOf(delimiter, start);
                String f = end < 0 ? l.substring(start) : l.substring(start, end);
                out.add(f.equals(nullString) ? null : f);
                if (end < 0) {
                    return out;
                }
                start = end + 1;
            }
        }
        StringBuilder b = new StringBuilder();
        boolean raw = true;
        StringBuilder rawField = new StringBuilder();
        for (int i = 0; i <= l.length(); i++) {
            if (i == l.length() || l.charAt(i) == delimiter) {
                String rf = rawField.toString();
                out.add(rf.equals(nullString) ? null : b.toString());
                b.setLength(0);
                rawField.setLength(0);
                continue;
            }
            char c = l.charAt(i);
            rawField.append(c);
            if (c == '\\' && i + 1 < l.length()) {
                char n = l.charAt(++i);
                rawField.append(n);
                switch (n) {
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'v' -> b.append('\u000B');
                    case 'x' -> {
                        int v = 0;
                        int k = 0;
                        while (k < 2 && i + 1 < l.length() && Character.digit(l.charAt(i + 1), 16) >= 0) {
                            v = v * 16 + Character.digit(l.charAt(++i), 16);
                            rawField.append(l.charAt(i));
                            k++;
                        }
                        b.append((char) v);
                    }
                    default -> {
                        if (n >= '0' && n <= '7') {
                            int v = n - '0';
                            int k = 1;
                            while (k < 3 && i + 1 < l.length() && l.charAt(i + 1) >= '0' && l.charAt(i + 1) <= '7') {
                                v = v * 8 + (l.charAt(++i) - '0');
                                rawField.append(l.charAt(i));
                                k++;
                            }
                            b.append((char) v);
                        } else {
                            b.append(n);
                        }
                    }
                }
            } else {
                b.append(c);
            }
        }
        return raw ? out : out;
    }

    private List<String> readCsv(LineReader r, Reader into) throws IOException {
        String l = r.readLine();
        if (l == null) {
            return null;
        }
        if (l.equals("\\.")) {
            return null;
        }
        into.current(l);
        StringBuilder record = null;
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (true) {
            if (i == l.length()) {
                if (quoted) {
                    String next = r.readLine();
                    into.embeddedNewline();
                    if (next == null) {
                        into.current((record == null ? l : record.toString()) + "\n");
                        throw new PgException("22P04", "unterminated CSV quoted field");
                    }
                    b.append('\n');
                    if (record == null) {
                        record = new StringBuilder(l);
                    }
                    record.append('\n').append(next);
                    into.current(record.toString());
                    l = next;
                    i = 0;
                    continue;
                }
                String f = b.toString();
                out.add(!wasQuoted && f.equals(nullString) ? null : f);
                return out;
            }
            char c = l.charAt(i++);
            if (quoted) {
                if (c == escape && i < l.length() && l.charAt(i) == quote) {
                    b.append(quote);
                    i++;
                } else if (c == quote) {
                    quoted = false;
                } else {
                    b.append(c);
                }
            } else if (c == quote) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter) {
                String f = b.toString();
                out.add(!wasQuoted && f.equals(nullString) ? null : f);
                b.setLength(0);
                wasQuoted = false;
            } else {
                b.append(c);
            }
        }
    }

    // ------------------------------------------------------------------ TO

    /** Writes the plan's rows; returns the count. */
    public long write(Plan plan, List<OutCol> cols, OutputStream out, TypeSystem ts, ExecState ex) {
        long n = 0;
        StringBuilder b = new StringBuilder();
        try {
            if (header) {
                for (int i = 0; i < cols.size(); i++) {
                    b.append(i == 0 ? "" : String.valueOf(delimiter)).append(csvField(cols.get(i).name(), false));
                }
                b.append('\n');
            }
            plan.open(ex);
            for (Object[] row = plan.next(ex); row != null; row = plan.next(ex)) {
                for (int i = 0; i < cols.size(); i++) {
                    if (i > 0) {
                        b.append(delimiter);
                    }
                    Object v = row[i];
                    if (v == null) {
                        b.append(nullString);
                        continue;
                    }
                    String s = ts.outputText(cols.get(i).type(), v, ex);
                    b.append(csv ? csvField(s, true) : textField(s));
                }
                b.append('\n');
                n++;
                if (b.length() > 32768) {
                    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                    b.setLength(0);
                }
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.close();
        } catch (IOException e) {
            throw new PgException("08006", "could not send COPY data: " + e.getMessage());
        } finally {
            plan.close();
        }
        return n;
    }

    private String textField(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> c == delimiter ? "\\t" : "\\t";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\u000B' -> "\\v";
                default -> c == delimiter ? "\\" + c : null;
            };
            if (rep != null && b == null) {
                b = new StringBuilder(s.substring(0, i));
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    private String csvField(String s, boolean value) {
        boolean needs = s.isEmpty() && value && nullString.isEmpty() || s.equals(nullString) && value;
        for (int i = 0; i < s.length() && !needs; i++) {
            char c = s.charAt(i);
            needs = c == delimiter || c == quote || c == '\n' || c == '\r';
        }
        if (!needs) {
            return s;
        }
        StringBuilder b = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == escape) {
                b.append(escape);
            }
            b.append(c);
        }
        return b.append(quote).toString();
    }
}
