package modgres.sql.parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a psql script into the SQL statements psql would send, the way psql
 * does it: statements end at a semicolon outside quotes, comments,
 * parentheses and dollar quotes; backslash meta-commands are skipped (with
 * {@code \set} and {@code \getenv} remembered so that {@code :var},
 * {@code :'var'} and {@code :"var"} are substituted); the data lines after
 * {@code COPY ... FROM STDIN} up to {@code \.} are skipped.
 */
final class PsqlScript {

    /** A statement and the 1-based line where it starts. */
    record Stmt(String sql, int line) {
    }

    private final Map<String, String> vars = new HashMap<>();

    static List<Stmt> split(String script) {
        return new PsqlScript().run(script);
    }

    private List<Stmt> run(String script) {
        List<Stmt> out = new ArrayList<>();
        String[] lines = script.split("\n", -1);
        StringBuilder buf = new StringBuilder();
        int startLine = 0;
        // scanner state carried across lines
        boolean inSingle = false;
        boolean inDouble = false;
        boolean escapeString = false;
        String dollarTag = null;
        int comment = 0;
        int parens = 0;
        boolean copyData = false;
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln];
            if (copyData) {
                if (line.equals("\\.")) {
                    copyData = false;
                }
                continue;
            }
            boolean idle = buf.toString().isBlank() && !inSingle && !inDouble && dollarTag == null && comment == 0;
            if (idle && line.stripLeading().startsWith("\\")) {
                metaCommand(line.strip());
                continue;
            }
            int i = 0;
            int n = line.length();
            while (i < n) {
                char c = line.charAt(i);
                if (comment > 0) {
                    if (line.startsWith("*/", i)) {
                        comment--;
                        buf.append("*/");
                        i += 2;
                    } else if (line.startsWith("/*", i)) {
                        comment++;
                        buf.append("/*");
                        i += 2;
                    } else {
                        buf.append(c);
                        i++;
                    }
                    continue;
                }
                if (inSingle) {
                    buf.append(c);
                    if (escapeString && c == '\\' && i + 1 < n) {
                        buf.append(line.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (c == '\'') {
                        inSingle = false;
                    }
                    i++;
                    continue;
                }
                if (inDouble) {
                    buf.append(c);
                    if (c == '"') {
                        inDouble = false;
                    }
                    i++;
                    continue;
                }
                if (dollarTag != null) {
                    if (line.startsWith(dollarTag, i)) {
                        buf.append(dollarTag);
                        i += dollarTag.length();
                        dollarTag = null;
                    } else {
                        buf.append(c);
                        i++;
                    }
                    continue;
                }
                if (buf.toString().isBlank() && !Character.isWhitespace(c)) {
                    startLine = ln + 1;
                }
                if (line.startsWith("--", i)) {
                    buf.append(line, i, n);
                    i = n;
                    continue;
                }
                if (line.startsWith("/*", i)) {
                    comment++;
                    buf.append("/*");
                    i += 2;
                    continue;
                }
                if (c == '\'') {
                    escapeString = i > 0 && (line.charAt(i - 1) == 'e' || line.charAt(i - 1) == 'E')
                            && (i < 2 || !Character.isLetterOrDigit(line.charAt(i - 2)));
                    inSingle = true;
                    buf.append(c);
                    i++;
                    continue;
                }
                if (c == '"') {
                    inDouble = true;
                    buf.append(c);
                    i++;
                    continue;
                }
                if (c == '$') {
                    int j = i + 1;
                    while (j < n && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) {
                        j++;
                    }
                    boolean prevIdent = i > 0 && (Character.isLetterOrDigit(line.charAt(i - 1))
                            || line.charAt(i - 1) == '_');
                    if (!prevIdent && j < n && line.charAt(j) == '$'
                            && (j == i + 1 || !Character.isDigit(line.charAt(i + 1)))) {
                        dollarTag = line.substring(i, j + 1);
                        buf.append(dollarTag);
                        i = j + 1;
                        continue;
                    }
                }
                if (c == ':' && i + 1 < n && line.charAt(i + 1) != ':' && (i == 0 || line.charAt(i - 1) != ':')) {
                    int consumed = substitute(line, i, buf);
                    if (consumed > 0) {
                        i += consumed;
                        continue;
                    }
                }
                if (c == '\\' && i + 1 < n && line.charAt(i + 1) == ';') {
                    // "\;" sends a semicolon without ending psql's statement
                    buf.append(';');
                    i += 2;
                    continue;
                }
                if (c == '\\') {
                    // a meta-command ends the line's SQL (\gset, \g, ...)
                    String meta = line.substring(i).strip();
                    if (meta.startsWith("\\g")) {
                        flush(out, buf, startLine);
                    }
                    i = n;
                    continue;
                }
                if (c == '(') {
                    parens++;
                } else if (c == ')') {
                    parens = Math.max(0, parens - 1);
                }
                if (c == ';' && parens == 0) {
                    String sql = buf.toString();
                    flush(out, buf, startLine);
                    if (isCopyFromStdin(sql)) {
                        copyData = true;
                        i = n;
                        break;
                    }
                    i++;
                    continue;
                }
                buf.append(c);
                i++;
            }
            if (buf.length() > 0) {
                buf.append('\n');
            }
        }
        flush(out, buf, startLine);
        return out;
    }

    private static void flush(List<Stmt> out, StringBuilder buf, int line) {
        String sql = buf.toString().strip();
        buf.setLength(0);
        if (!sql.isEmpty() && !onlyComments(sql)) {
            out.add(new Stmt(sql, line));
        }
    }

    private static boolean onlyComments(String sql) {
        for (String l : sql.split("\n")) {
            String s = l.strip();
            if (!s.isEmpty() && !s.startsWith("--")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCopyFromStdin(String sql) {
        String s = sql.replaceAll("--[^\n]*", " ").replaceAll("\\s+", " ").strip().toLowerCase();
        return s.startsWith("copy ") && (s.matches(".* from stdin\\b.*") || s.matches(".* from stdout\\b.*"));
    }

    /** Substitutes a psql variable reference at i; returns the characters consumed or 0. */
    private int substitute(String line, int i, StringBuilder buf) {
        char q = line.charAt(i + 1);
        if (q == '\'' || q == '"') {
            int end = line.indexOf(q, i + 2);
            if (end < 0) {
                return 0;
            }
            String name = line.substring(i + 2, end);
            String value = vars.get(name);
            if (value == null) {
                return 0;
            }
            if (q == '\'') {
                buf.append('\'').append(value.replace("'", "''")).append('\'');
            } else {
                buf.append('"').append(value.replace("\"", "\"\"")).append('"');
            }
            return end + 1 - i;
        }
        int j = i + 1;
        while (j < line.length() && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) {
            j++;
        }
        String name = line.substring(i + 1, j);
        String value = vars.get(name);
        if (name.isEmpty() || value == null) {
            return 0;
        }
        buf.append(value);
        return j - i;
    }

    private void metaCommand(String line) {
        String[] words = line.split("\\s+", 3);
        if (words[0].equals("\\getenv") && words.length >= 2) {
            vars.put(words[1], "/nonexistent/" + words[1]);
        } else if (words[0].equals("\\set") && words.length >= 2) {
            vars.put(words[1], words.length > 2 ? setValue(words[2]) : "");
        }
    }

    /** The value of {@code \set name value...}: quoted pieces unquoted, :vars expanded, concatenated. */
    private String setValue(String rest) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '\'') {
                int j = i + 1;
                while (j < rest.length()) {
                    if (rest.charAt(j) == '\'') {
                        if (j + 1 < rest.length() && rest.charAt(j + 1) == '\'') {
                            sb.append('\'');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    sb.append(rest.charAt(j));
                    j++;
                }
                i = j + 1;
            } else if (c == ':') {
                int j = i + 1;
                while (j < rest.length() && (Character.isLetterOrDigit(rest.charAt(j)) || rest.charAt(j) == '_')) {
                    j++;
                }
                sb.append(vars.getOrDefault(rest.substring(i + 1, j), ""));
                i = j;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                int j = i;
                while (j < rest.length() && !Character.isWhitespace(rest.charAt(j))) {
                    j++;
                }
                sb.append(rest, i, j);
                i = j;
            }
        }
        return sb.toString();
    }
}
