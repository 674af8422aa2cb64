package modgres.postmaster.guc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import modgres.api.error.SqlState;
import modgres.api.log.Severity;

/**
 * The configuration file reader, as PostgreSQL 15's guc-file.l: the lexer
 * (names, quoted strings with escapes, numbers with units, {@code #}
 * comments), the line grammar {@code name [=] value}, and the
 * {@code include}, {@code include_if_exists} and {@code include_dir}
 * directives with PostgreSQL's path rules, depth limit and messages.
 *
 * <p>Files are read as bytes: names and values are decoded as UTF-8 after
 * lexing, so that octal escapes and non-ASCII letters behave as in PostgreSQL.
 */
final class ConfigFile {

    private static final int MAX_DEPTH = 10;
    private static final int MAX_SYNTAX_ERRORS = 100;

    /** One {@code name = value} line. */
    static final class Item {
        final String name;
        final String value;
        final String file;
        final int line;
        boolean ignore;

        Item(String name, String value, String file, int line) {
            this.name = name;
            this.value = value;
            this.file = file;
            this.line = line;
        }

        @Override
        public String toString() {
            return file + ":" + line + ": " + name + " = " + value;
        }
    }

    /** Where messages go: the server log, at the given severity. */
    @FunctionalInterface
    interface Log {
        void log(Severity severity, String sqlState, String message);
    }

    private final Path dataDir;
    private final Log log;
    private final List<Item> items = new ArrayList<>();

    /**
     * @param dataDir the data directory, against which relative top-level
     *                names are resolved
     * @param log     receives each problem at LOG level
     */
    ConfigFile(Path dataDir, Log log) {
        this.dataDir = dataDir;
        this.log = log;
    }

    /** The lines read so far, in order (includes expanded where they occur). */
    List<Item> items() {
        return items;
    }

    /**
     * PostgreSQL's ParseConfigFile: reads a file (and what it includes) into
     * {@link #items()}; false after any error, which has been logged.
     *
     * @param configFile  the name as written (relative to the calling file's
     *                    directory, or to the data directory at top level)
     * @param strict      false for include_if_exists: a missing file is skipped
     * @param callingFile the including file, or null
     * @param depth       include depth
     */
    boolean parseFile(String configFile, boolean strict, String callingFile, int depth) {
        if (isBlank(configFile)) {
            log.log(Severity.LOG, SqlState.INVALID_PARAMETER_VALUE,
                    "empty configuration file name: \"" + configFile + "\"");
            return false;
        }
        if (depth > MAX_DEPTH) {
            log.log(Severity.LOG, "54000",
                    "could not open configuration file \"" + configFile + "\": maximum nesting depth exceeded");
            return false;
        }
        String absPath = absoluteLocation(configFile, callingFile);
        if (callingFile != null && absPath.equals(callingFile)) {
            log.log(Severity.LOG, SqlState.INVALID_PARAMETER_VALUE,
                    "configuration file recursion in \"" + callingFile + "\"");
            return false;
        }
        byte[] content;
        try {
            Path p = Paths.get(absPath);
            if (Files.isDirectory(p)) {
                throw new IOException("Is a directory");
            }
            content = Files.readAllBytes(p);
        } catch (IOException e) {
            if (!strict) {
                log.log(Severity.LOG, SqlState.SUCCESSFUL_COMPLETION,
                        "skipping missing configuration file \"" + absPath + "\"");
                return true;
            }
            log.log(Severity.LOG, fileErrorCode(e),
                    "could not open configuration file \"" + absPath + "\": " + strerror(e));
            return false;
        }
        return parseText(content, absPath, depth);
    }

    /**
     * PostgreSQL's ParseConfigFp: parses one file's text; {@code fileName} is
     * used in messages and as the base for relative includes.
     */
    boolean parseText(byte[] content, String fileName, int depth) {
        Lexer lx = new Lexer(content);
        boolean ok = true;
        int errorCount = 0;
        Token token;
        while ((token = lx.next()).kind != Kind.EOF) {
            if (token.kind == Kind.EOL) {
                continue;
            }
            // first token on a line is the option name
            if (token.kind != Kind.ID && token.kind != Kind.QUALIFIED_ID) {
                ok = false;
                errorCount++;
                token = syntaxError(lx, token, fileName);
                if (errorCount >= MAX_SYNTAX_ERRORS) {
                    tooManyErrors(fileName);
                    break;
                }
                if (token.kind == Kind.EOF) {
                    break;
                }
                continue;
            }
            String name = token.text();
            token = lx.next();
            if (token.kind == Kind.EQUALS) {
                token = lx.next();
            }
            if (token.kind != Kind.ID && token.kind != Kind.STRING && token.kind != Kind.INTEGER
                    && token.kind != Kind.REAL && token.kind != Kind.UNQUOTED_STRING) {
                ok = false;
                errorCount++;
                token = syntaxError(lx, token, fileName);
                if (errorCount >= MAX_SYNTAX_ERRORS) {
                    tooManyErrors(fileName);
                    break;
                }
                if (token.kind == Kind.EOF) {
                    break;
                }
                continue;
            }
            String value = token.kind == Kind.STRING ? deescape(token.bytes) : token.text();
            token = lx.next();
            if (token.kind != Kind.EOL) {
                if (token.kind != Kind.EOF) {
                    ok = false;
                    errorCount++;
                    token = syntaxError(lx, token, fileName);
                    if (errorCount >= MAX_SYNTAX_ERRORS) {
                        tooManyErrors(fileName);
                        break;
                    }
                    if (token.kind == Kind.EOF) {
                        break;
                    }
                    continue;
                }
                // EOF counts as an end of line for line numbering
                lx.lineNo++;
            }
            int line = lx.lineNo - 1;
            if (name.equalsIgnoreCase("include_dir")) {
                if (!parseDirectory(value, fileName, depth + 1)) {
                    ok = false;
                }
            } else if (name.equalsIgnoreCase("include_if_exists")) {
                if (!parseFile(value, false, fileName, depth + 1)) {
                    ok = false;
                }
            } else if (name.equalsIgnoreCase("include")) {
                if (!parseFile(value, true, fileName, depth + 1)) {
                    ok = false;
                }
            } else {
                items.add(new Item(name, value, fileName, line));
            }
            if (token.kind == Kind.EOF) {
                break;
            }
        }
        return ok;
    }

    /** Logs a syntax error at the current token and skips to the end of the line; returns the last token. */
    private Token syntaxError(Lexer lx, Token token, String fileName) {
        if (token.kind == Kind.EOL || token.kind == Kind.EOF) {
            log.log(Severity.LOG, "42601",
                    "syntax error in file \"" + fileName + "\" line " + (lx.lineNo - 1) + ", near end of line");
        } else {
            log.log(Severity.LOG, "42601", "syntax error in file \"" + fileName + "\" line " + lx.lineNo
                    + ", near token \"" + token.text() + "\"");
        }
        while (token.kind != Kind.EOL && token.kind != Kind.EOF) {
            token = lx.next();
        }
        return token;
    }

    private void tooManyErrors(String fileName) {
        log.log(Severity.LOG, "54000", "too many syntax errors found, abandoning file \"" + fileName + "\"");
    }

    /** PostgreSQL's ParseConfigDirectory: every {@code *.conf} file (not starting with '.'), in name order. */
    private boolean parseDirectory(String includeDir, String callingFile, int depth) {
        if (isBlank(includeDir)) {
            log.log(Severity.LOG, SqlState.INVALID_PARAMETER_VALUE,
                    "empty configuration directory name: \"" + includeDir + "\"");
            return false;
        }
        String directory = absoluteLocation(includeDir, callingFile);
        List<String> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Paths.get(directory))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.length() < 6 || n.startsWith(".") || !n.endsWith(".conf")) {
                    continue;
                }
                String file = GucValues.canonicalizePath(directory + "/" + n);
                if (!Files.isDirectory(Paths.get(file))) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            log.log(Severity.LOG, fileErrorCode(e),
                    "could not open configuration directory \"" + directory + "\": " + strerror(e));
            return false;
        }
        // strcmp order, on the bytes of the names
        files.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        for (String f : files) {
            if (!parseFile(f, true, callingFile, depth)) {
                return false;
            }
        }
        return true;
    }

    /** PostgreSQL's AbsoluteConfigLocation. */
    private String absoluteLocation(String location, String callingFile) {
        if (location.startsWith("/")) {
            return location;
        }
        String base;
        if (callingFile != null) {
            int slash = callingFile.lastIndexOf('/');
            base = slash < 0 ? dataDir.toString() : (slash == 0 ? "/" : callingFile.substring(0, slash));
        } else {
            base = dataDir.toString();
        }
        return GucValues.canonicalizePath(base + "/" + location);
    }

    private static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    /** PostgreSQL's errcode_for_file_access. */
    static String fileErrorCode(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "58P01";
        }
        if (e instanceof AccessDeniedException) {
            return SqlState.INSUFFICIENT_PRIVILEGE;
        }
        if (e instanceof NotDirectoryException || "Is a directory".equals(e.getMessage())) {
            return "42809";
        }
        return SqlState.IO_ERROR;
    }

    /** The C library's text for an I/O failure, as %m prints it. */
    static String strerror(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /**
     * PostgreSQL's DeescapeQuotedString: strips the quotes, turns '' into ',
     * and handles the backslash escapes \b \f \n \r \t and octal \ooo.
     */
    static String deescape(byte[] quoted) {
        byte[] out = new byte[quoted.length];
        int j = 0;
        int len = quoted.length - 1;
        for (int i = 1; i < len; i++) {
            byte c = quoted[i];
            if (c == '\\') {
                i++;
                byte e = quoted[i];
                switch (e) {
                    case 'b' -> out[j++] = '\b';
                    case 'f' -> out[j++] = '\f';
                    case 'n' -> out[j++] = '\n';
                    case 'r' -> out[j++] = '\r';
                    case 't' -> out[j++] = '\t';
                    case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                        int oct = 0;
                        int k = 0;
                        while (k < 3 && i + k < len && quoted[i + k] >= '0' && quoted[i + k] <= '7') {
                            oct = (oct << 3) + (quoted[i + k] - '0');
                            k++;
                        }
                        i += k - 1;
                        out[j++] = (byte) oct;
                    }
                    default -> out[j++] = e;
                }
            } else if (c == '\'' && i + 1 < len && quoted[i + 1] == '\'') {
                out[j++] = quoted[++i];
            } else {
                out[j++] = c;
            }
        }
        return new String(out, 0, j, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ lexer

    enum Kind {
        EOF, EOL, ID, QUALIFIED_ID, STRING, UNQUOTED_STRING, INTEGER, REAL, EQUALS, ERROR
    }

    record Token(Kind kind, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The token rules of guc-file.l, longest match first, earlier rule on a tie. */
    static final class Lexer {
        private final byte[] in;
        private int pos;
        int lineNo = 1;

        Lexer(byte[] in) {
            this.in = in;
        }

        Token next() {
            while (true) {
                if (pos >= in.length) {
                    return new Token(Kind.EOF, new byte[0]);
                }
                int c = in[pos] & 0xFF;
                if (c == '\n') {
                    pos++;
                    lineNo++;
                    return new Token(Kind.EOL, new byte[] {'\n'});
                }
                if (c == ' ' || c == '\t' || c == '\r') {
                    pos++;
                    continue;
                }
                if (c == '#') {
                    while (pos < in.length && in[pos] != '\n') {
                        pos++;
                    }
                    continue;
                }
                break;
            }
            int start = pos;
            Kind best = Kind.ERROR;
            int bestLen = 1;
            int[] lengths = {matchId(start), matchQualifiedId(start), matchString(start), matchUnquoted(start),
                    matchInteger(start), matchReal(start), in[start] == '=' ? 1 : 0};
            Kind[] kinds = {Kind.ID, Kind.QUALIFIED_ID, Kind.STRING, Kind.UNQUOTED_STRING, Kind.INTEGER, Kind.REAL,
                    Kind.EQUALS};
            int longest = 0;
            for (int k = 0; k < lengths.length; k++) {
                if (lengths[k] > longest) {
                    longest = lengths[k];
                    best = kinds[k];
                }
            }
            if (longest > 0) {
                bestLen = longest;
            }
            pos = start + bestLen;
            return new Token(best, Arrays.copyOfRange(in, start, pos));
        }

        private int at(int i) {
            return i < in.length ? in[i] & 0xFF : -1;
        }

        private static boolean isLetter(int c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
        }

        private static boolean isLetterOrDigit(int c) {
            return isLetter(c) || (c >= '0' && c <= '9');
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isHexDigit(int c) {
            return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }

        private static boolean isUnitLetter(int c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        }

        private int matchId(int s) {
            if (c(s) < 0 || !isLetter(c(s))) {
                return 0;
            }
            int i = s + 1;
            while (c(i) >= 0 && isLetterOrDigit(c(i))) {
                i++;
            }
            return i - s;
        }

        private int c(int i) {
            return at(i);
        }

        private int matchQualifiedId(int s) {
            int first = matchId(s);
            if (first == 0 || c(s + first) != '.') {
                return 0;
            }
            int second = matchId(s + first + 1);
            return second == 0 ? 0 : first + 1 + second;
        }

        private int matchUnquoted(int s) {
            if (c(s) < 0 || !isLetter(c(s))) {
                return 0;
            }
            int i = s + 1;
            while (c(i) >= 0 && (isLetterOrDigit(c(i)) || "-._:/".indexOf(c(i)) >= 0)) {
                i++;
            }
            return i - s;
        }

        /** '([^'\\\n]|\\.|'')*' — the longest way to end it. */
        private int matchString(int s) {
            if (c(s) != '\'') {
                return 0;
            }
            int longest = 0;
            int i = s + 1;
            while (i < in.length) {
                int ch = c(i);
                if (ch == '\\') {
                    if (c(i + 1) < 0 || c(i + 1) == '\n') {
                        break;
                    }
                    i += 2;
                } else if (ch == '\'') {
                    longest = i + 1 - s;
                    if (c(i + 1) == '\'') {
                        i += 2;
                    } else {
                        break;
                    }
                } else if (ch == '\n') {
                    break;
                } else {
                    i++;
                }
            }
            return longest;
        }

        /** {SIGN}?({DIGIT}+|0x{HEXDIGIT}+){UNIT_LETTER}* */
        private int matchInteger(int s) {
            int i = s;
            if (c(i) == '-' || c(i) == '+') {
                i++;
            }
            int best = 0;
            // decimal alternative
            int j = i;
            while (isDigit(c(j))) {
                j++;
            }
            if (j > i) {
                while (isUnitLetter(c(j))) {
                    j++;
                }
                best = j - s;
            }
            // hexadecimal alternative
            if (c(i) == '0' && c(i + 1) == 'x' && isHexDigit(c(i + 2))) {
                int h = i + 2;
                while (isHexDigit(c(h))) {
                    h++;
                }
                while (isUnitLetter(c(h))) {
                    h++;
                }
                best = Math.max(best, h - s);
            }
            return best;
        }

        /** {SIGN}?{DIGIT}*"."{DIGIT}*{EXPONENT}? */
        private int matchReal(int s) {
            int i = s;
            if (c(i) == '-' || c(i) == '+') {
                i++;
            }
            while (isDigit(c(i))) {
                i++;
            }
            if (c(i) != '.') {
                return 0;
            }
            i++;
            while (isDigit(c(i))) {
                i++;
            }
            if (c(i) == 'e' || c(i) == 'E') {
                int j = i + 1;
                if (c(j) == '-' || c(j) == '+') {
                    j++;
                }
                if (isDigit(c(j))) {
                    while (isDigit(c(j))) {
                        j++;
                    }
                    i = j;
                }
            }
            return i - s;
        }
    }
}
