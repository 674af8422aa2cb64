package modgres.sql.exec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
 * COPY FROM builds the rows (defaults for columns not listed) and inserts them
 * through the same ModifyTable as INSERT, so constraints, indexes and WAL are
 * the same; FREEZE is accepted (the rows are inserted normally).
 */
/** COPY table FROM STDIN / TO STDOUT; see the design notes. */
public final class Copy {
    final boolean csv;
    final char delimiter;
    final String nullString;
    final boolean header;
    final char quote;
    final char escape;

    public Copy(List<DefElem> options) {
        String format = "text";
        String delim = null;
        String nul = null;
        boolean hdr = false;
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
                case "freeze", "encoding", "force_not_null", "force_null" -> {
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
    public Plan source(Relation rel, List<Relation.Column> targets, Ev[] defaults, InputStream in, TypeSystem ts) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 65536);
        return new Plan(Scans.tableColumns(rel, rel.name()).subList(0, rel.natts())) {
            long line;
            boolean skippedHeader;

            @Override
            protected void doOpen(ExecState ex) {
            }

            @Override
            protected Object[] doNext(ExecState ex) {
                try {
                    List<String> fields;
                    while (true) {
                        fields = csv ? readCsv(r) : readText(r);
                        line++;
                        if (fields == null) {
                            return null;
                        }
                        if (header && !skippedHeader) {
                            skippedHeader = true;
                            continue;
                        }
                        break;
                    }
                    if (fields.size() == 1 && fields.get(0) != null && fields.get(0).equals("\\.")
                            && !csv) {
                        return null;
                    }
                    if (fields.size() < targets.size()) {
                        throw new PgException("22P04", "missing data for column \""
                                + targets.get(fields.size()).name() + "\"");
                    }
                    if (fields.size() > targets.size()) {
                        throw new PgException("22P04", "extra data after last expected column");
                    }
                    Object[] row = new Object[rel.natts()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = defaults[i] == null ? null : defaults[i].eval(null, ex);
                    }
                    for (int i = 0; i < targets.size(); i++) {
                        Relation.Column c = targets.get(i);
                        String f = fields.get(i);
                        row[c.attnum() - 1] = f == null ? null : ts.input(c.type(), c.typmod(), f, ex);
                    }
                    return row;
                } catch (IOException e) {
                    throw new PgException("08P01", "could not read COPY data: " + e.getMessage());
                }
            }

            @Override
            public String label() {
                return "COPY";
            }
        };
    }

    private List<String> readText(BufferedReader r) throws IOException {
        String l = r.readLine();
        if (l == null) {
            return null;
        }
        if (l.equals("\\.")) {
            return null;
        }
        List<String> out = new ArrayList<>();
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

    private List<String> readCsv(BufferedReader r) throws IOException {
        String l = r.readLine();
        if (l == null) {
            return null;
        }
        if (l.equals("\\.")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (true) {
            if (i == l.length()) {
                if (quoted) {
                    String next = r.readLine();
                    if (next == null) {
                        throw new PgException("22P04", "unterminated CSV quoted field");
                    }
                    b.append('\n');
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
