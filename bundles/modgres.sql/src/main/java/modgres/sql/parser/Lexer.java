package modgres.sql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.Keywords;

/**
 * The scanner: turns a query string into tokens following the lexical rules
 * of PostgreSQL 15 (with {@code standard_conforming_strings = on}):
 * identifiers folded to lower case unless double-quoted, key words, numeric
 * constants (with PostgreSQL 15's "trailing junk" checks), string constants
 * with continuation across newlines, E'' escapes, U&amp;'' and U&amp;"" with
 * UESCAPE, dollar quoting, bit strings, parameters, operators (with the rule
 * that a multi-character operator may only end in + or - if it contains one
 * of {@code ~ ! @ # % ^ & | ` ?}), comments ({@code --} and nested
 * {@code /* *}{@code /}).
 */
public final class Lexer {
    /** PostgreSQL's NAMEDATALEN: identifiers are truncated to NAMEDATALEN - 1 bytes. */
    public static final int NAMEDATALEN = 64;

    private final String src;
    private final int len;
    /** cumulative count of low surrogates before each index, or null when the string has none. */
    private final int[] lowSurrogatesBefore;
    private final List<Token> tokens = new ArrayList<>();
    private final List<ParserNotice> notices = new ArrayList<>();
    private int i;

    public Lexer(String src) {
        this.src = src;
        this.len = src.length();
        int[] cum = null;
        for (int k = 0; k < len; k++) {
            if (Character.isSurrogate(src.charAt(k))) {
                cum = new int[len + 1];
                for (int m = 0; m < len; m++) {
                    cum[m + 1] = cum[m] + (Character.isLowSurrogate(src.charAt(m)) ? 1 : 0);
                }
                break;
            }
        }
        this.lowSurrogatesBefore = cum;
    }

    /** Scans the whole string; the last token is {@link TokenKind#EOF}. */
    public static List<Token> tokenize(String src) {
        return new Lexer(src).scan();
    }

    /** Notices raised while scanning (identifier truncation). */
    public List<ParserNotice> notices() {
        return notices;
    }

    /** 1-based character position of the char at index {@code index}. */
    public int position(int index) {
        return index + 1 - (lowSurrogatesBefore == null ? 0 : lowSurrogatesBefore[index]);
    }

    public List<Token> scan() {
        while (true) {
            skipWhitespaceAndComments();
            if (i >= len) {
                tokens.add(new Token(TokenKind.EOF, "", len, len, position(len)));
                return tokens;
            }
            char c = src.charAt(i);
            char c1 = i + 1 < len ? src.charAt(i + 1) : 0;
            if (isIdentStart(c)) {
                if ((c == 'b' || c == 'B') && c1 == '\'') {
                    bitString('b');
                } else if ((c == 'x' || c == 'X') && c1 == '\'') {
                    bitString('x');
                } else if ((c == 'e' || c == 'E') && c1 == '\'') {
                    escapeString();
                } else if ((c == 'n' || c == 'N') && c1 == '\'') {
                    // N'...' is NCHAR followed by the string, as in PostgreSQL.
                    add(TokenKind.KEYWORD, "nchar", i, i + 1);
                    i++;
                } else if ((c == 'u' || c == 'U') && c1 == '&' && i + 2 < len && src.charAt(i + 2) == '\'') {
                    unicodeString();
                } else if ((c == 'u' || c == 'U') && c1 == '&' && i + 2 < len && src.charAt(i + 2) == '"') {
                    unicodeIdentifier();
                } else {
                    identifier();
                }
            } else if (isDigit(c) || (c == '.' && isDigit(c1))) {
                number();
            } else if (c == '\'') {
                int start = i;
                String value = readQuoted(start + 1, '\'', null, "unterminated quoted string", start);
                add(TokenKind.SCONST, value, start, i);
            } else if (c == '"') {
                quotedIdentifier();
            } else if (c == '$') {
                dollar();
            } else if (isOpChar(c)) {
                operator();
            } else if (c == ':') {
                if (c1 == ':') {
                    add(TokenKind.TYPECAST, "::", i, i + 2);
                    i += 2;
                } else if (c1 == '=') {
                    add(TokenKind.COLON_EQUALS, ":=", i, i + 2);
                    i += 2;
                } else {
                    single();
                }
            } else if (c == '.' && c1 == '.') {
                add(TokenKind.DOT_DOT, "..", i, i + 2);
                i += 2;
            } else {
                single();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private void add(TokenKind kind, String value, int start, int end) {
        tokens.add(new Token(kind, value, start, end, position(start)));
    }

    private void single() {
        int cp = src.codePointAt(i);
        int n = Character.charCount(cp);
        add(TokenKind.CHAR, src.substring(i, i + n), i, i + n);
        i += n;
    }

    private SqlSyntaxException error(String message, int at, int textEnd) {
        String near = textEnd <= at ? " at end of input" : " at or near \"" + src.substring(at, textEnd) + "\"";
        return new SqlSyntaxException(SqlSyntaxException.SYNTAX_ERROR, message + near, position(at));
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isOpChar(char c) {
        return "~!@#^&|`?+-*/%<>=".indexOf(c) >= 0;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static String asciiLower(String s) {
        StringBuilder sb = null;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(k, (char) (c + ('a' - 'A')));
            }
        }
        return sb == null ? s : sb.toString();
    }

    private void skipWhitespaceAndComments() {
        while (i < len) {
            char c = src.charAt(i);
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && i + 1 < len && src.charAt(i + 1) == '-') {
                while (i < len && src.charAt(i) != '\n' && src.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '/' && i + 1 < len && src.charAt(i + 1) == '*') {
                int start = i;
                int depth = 1;
                i += 2;
                while (depth > 0) {
                    if (i >= len) {
                        throw error("unterminated /* comment", start, len);
                    }
                    if (src.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (src.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else {
                return;
            }
        }
    }

    /**
     * After a closing quote at {@code from - 1}: if only whitespace including
     * at least one newline (and {@code --} comments) separates it from another
     * quote, the index of that quote (the string continues), else -1.
     */
    private int continuation(int from) {
        int j = from;
        boolean newline = false;
        while (j < len) {
            char c = src.charAt(j);
            if (c == ' ' || c == '\t' || c == '\f') {
                j++;
            } else if (c == '\n' || c == '\r') {
                newline = true;
                j++;
            } else if (c == '-' && j + 1 < len && src.charAt(j + 1) == '-') {
                while (j < len && src.charAt(j) != '\n' && src.charAt(j) != '\r') {
                    j++;
                }
            } else {
                break;
            }
        }
        return newline && j < len && src.charAt(j) == '\'' ? j : -1;
    }

    /**
     * Reads a quoted body from {@code from} (just after the opening quote) to
     * the closing quote, with doubled quotes as escapes and, for single
     * quotes, continuation across newlines. Leaves {@link #i} after the
     * closing quote. When {@code sourceIndex} is given it receives the source
     * index of each char of the result.
     */
    private String readQuoted(int from, char quote, List<Integer> sourceIndex, String unterminated, int start) {
        StringBuilder sb = new StringBuilder();
        int j = from;
        while (true) {
            if (j >= len) {
                throw error(unterminated, start, len);
            }
            char c = src.charAt(j);
            if (c == quote) {
                if (j + 1 < len && src.charAt(j + 1) == quote) {
                    if (sourceIndex != null) {
                        sourceIndex.add(j);
                    }
                    sb.append(quote);
                    j += 2;
                    continue;
                }
                int next = quote == '\'' ? continuation(j + 1) : -1;
                if (next >= 0) {
                    j = next + 1;
                    continue;
                }
                i = j + 1;
                return sb.toString();
            }
            if (sourceIndex != null) {
                sourceIndex.add(j);
            }
            sb.append(c);
            j++;
        }
    }

    // ------------------------------------------------------------ identifiers

    private void identifier() {
        int start = i;
        int j = i + 1;
        while (j < len && isIdentCont(src.charAt(j))) {
            j++;
        }
        String lower = asciiLower(src.substring(start, j));
        i = j;
        if (Keywords.lookup(lower) != null) {
            add(TokenKind.KEYWORD, lower, start, j);
        } else {
            add(TokenKind.IDENT, truncate(lower, start), start, j);
        }
    }

    private void quotedIdentifier() {
        int start = i;
        String value = readQuoted(start + 1, '"', null, "unterminated quoted identifier", start);
        if (value.isEmpty()) {
            throw error("zero-length delimited identifier", start, i);
        }
        add(TokenKind.IDENT, truncate(value, start), start, i);
    }

    private void unicodeIdentifier() {
        int start = i;
        List<Integer> idx = new ArrayList<>();
        String raw = readQuoted(start + 3, '"', idx, "unterminated quoted identifier", start);
        int end = i;
        char esc = uescape();
        String value = decodeUnicodeEscapes(raw, idx, esc);
        if (value.isEmpty()) {
            throw error("zero-length delimited identifier", start, end);
        }
        add(TokenKind.IDENT, truncate(value, start), start, end);
    }

    /** Truncates an identifier to NAMEDATALEN - 1 bytes of UTF-8, with PostgreSQL's notice. */
    private String truncate(String ident, int start) {
        byte[] bytes = ident.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < NAMEDATALEN) {
            return ident;
        }
        int cut = NAMEDATALEN - 1;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        String truncated = new String(bytes, 0, cut, StandardCharsets.UTF_8);
        notices.add(new ParserNotice("42622",
                "identifier \"" + ident + "\" will be truncated to \"" + truncated + "\"", position(start)));
        return truncated;
    }

    // ---------------------------------------------------------------- numbers

    private void number() {
        int start = i;
        int j = i;
        boolean integer = true;
        while (j < len && isDigit(src.charAt(j))) {
            j++;
        }
        if (j < len && src.charAt(j) == '.') {
            if (j + 1 < len && src.charAt(j + 1) == '.' && j > start) {
                // "1..": the integer, then "..".
                finishNumber(start, j, true);
                return;
            }
            integer = false;
            j++;
            while (j < len && isDigit(src.charAt(j))) {
                j++;
            }
        }
        if (j < len && (src.charAt(j) == 'e' || src.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < len && (src.charAt(k) == '+' || src.charAt(k) == '-')) {
                k++;
                if (k >= len || !isDigit(src.charAt(k))) {
                    throw error("trailing junk after numeric literal", start, k);
                }
            }
            if (k < len && isDigit(src.charAt(k))) {
                integer = false;
                j = k;
                while (j < len && isDigit(src.charAt(j))) {
                    j++;
                }
            }
        }
        finishNumber(start, j, integer);
    }

    private void finishNumber(int start, int end, boolean integer) {
        if (end < len && isIdentStart(src.charAt(end))) {
            int k = end;
            while (k < len && isIdentCont(src.charAt(k))) {
                k++;
            }
            throw error("trailing junk after numeric literal", start, k);
        }
        String text = src.substring(start, end);
        i = end;
        add(integer && fitsInt(text) ? TokenKind.ICONST : TokenKind.FCONST, text, start, end);
    }

    private static boolean fitsInt(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        String sig = digits.substring(k);
        return sig.length() < 10 || (sig.length() == 10 && sig.compareTo("2147483647") <= 0);
    }

    // ----------------------------------------------------------------- dollar

    private void dollar() {
        int start = i;
        int j = i + 1;
        if (j < len && isDigit(src.charAt(j))) {
            while (j < len && isDigit(src.charAt(j))) {
                j++;
            }
            if (j < len && isIdentStart(src.charAt(j))) {
                int k = j;
                while (k < len && isIdentCont(src.charAt(k))) {
                    k++;
                }
                throw error("trailing junk after parameter", start, k);
            }
            String digits = src.substring(start + 1, j);
            i = j;
            add(TokenKind.PARAM, fitsInt(digits) ? Integer.toString(Integer.parseInt(digits)) : digits, start, j);
            return;
        }
        int tagEnd;
        if (j < len && src.charAt(j) == '$') {
            tagEnd = j;
        } else if (j < len && isIdentStart(src.charAt(j))) {
            int k = j;
            while (k < len && (isIdentStart(src.charAt(k)) || isDigit(src.charAt(k)))) {
                k++;
            }
            if (k >= len || src.charAt(k) != '$') {
                single();
                return;
            }
            tagEnd = k;
        } else {
            single();
            return;
        }
        String delimiter = src.substring(start, tagEnd + 1);
        int close = src.indexOf(delimiter, tagEnd + 1);
        if (close < 0) {
            throw error("unterminated dollar-quoted string", start, len);
        }
        i = close + delimiter.length();
        add(TokenKind.SCONST, src.substring(tagEnd + 1, close), start, i);
    }

    // -------------------------------------------------------------- operators

    private void operator() {
        int start = i;
        int j = i;
        while (j < len && isOpChar(src.charAt(j))) {
            j++;
        }
        int n = j - start;
        // A comment start inside the operator ends it.
        for (int k = start + 1; k < j - 1; k++) {
            if (src.startsWith("/*", k) || src.startsWith("--", k)) {
                n = k - start;
                break;
            }
        }
        if (n > 1) {
            char last = src.charAt(start + n - 1);
            if (last == '+' || last == '-') {
                boolean qualifies = false;
                for (int k = start; k < start + n - 1; k++) {
                    if ("~!@#^&|`?%".indexOf(src.charAt(k)) >= 0) {
                        qualifies = true;
                        break;
                    }
                }
                if (!qualifies) {
                    do {
                        n--;
                    } while (n > 1 && (src.charAt(start + n - 1) == '+' || src.charAt(start + n - 1) == '-'));
                }
            }
        }
        String op = src.substring(start, start + n);
        i = start + n;
        if (n == 1 && "+-*/%^<>=".indexOf(op.charAt(0)) >= 0) {
            add(TokenKind.CHAR, op, start, i);
            return;
        }
        if (n == 2) {
            switch (op) {
                case "=>" -> {
                    add(TokenKind.EQUALS_GREATER, op, start, i);
                    return;
                }
                case ">=" -> {
                    add(TokenKind.GREATER_EQUALS, op, start, i);
                    return;
                }
                case "<=" -> {
                    add(TokenKind.LESS_EQUALS, op, start, i);
                    return;
                }
                case "<>", "!=" -> {
                    add(TokenKind.NOT_EQUALS, "<>", start, i);
                    return;
                }
                default -> {
                }
            }
        }
        if (n >= NAMEDATALEN) {
            throw error("operator too long", start, i);
        }
        add(TokenKind.OP, op, start, i);
    }

    // ---------------------------------------------------------------- strings

    private void bitString(char kind) {
        int start = i;
        String value = readQuoted(start + 2, '\'', null,
                kind == 'b' ? "unterminated bit string literal" : "unterminated hexadecimal string literal", start);
        add(kind == 'b' ? TokenKind.BCONST : TokenKind.XCONST, kind + value, start, i);
    }

    private void escapeString() {
        int start = i;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int j = start + 2;
        while (true) {
            if (j >= len) {
                throw error("unterminated quoted string", start, len);
            }
            char c = src.charAt(j);
            if (c == '\'') {
                if (j + 1 < len && src.charAt(j + 1) == '\'') {
                    out.write('\'');
                    j += 2;
                    continue;
                }
                int next = continuation(j + 1);
                if (next >= 0) {
                    j = next + 1;
                    continue;
                }
                i = j + 1;
                break;
            }
            if (c != '\\') {
                int cp = src.codePointAt(j);
                writeUtf8(out, cp);
                j += Character.charCount(cp);
                continue;
            }
            // backslash escape
            if (j + 1 >= len) {
                throw error("unterminated quoted string", start, len);
            }
            char e = src.charAt(j + 1);
            if (e >= '0' && e <= '7') {
                int k = j + 1;
                int v = 0;
                while (k < len && k < j + 4 && src.charAt(k) >= '0' && src.charAt(k) <= '7') {
                    v = v * 8 + (src.charAt(k) - '0');
                    k++;
                }
                out.write(v & 0xFF);
                j = k;
            } else if (e == 'x' && j + 2 < len && isHex(src.charAt(j + 2))) {
                int k = j + 2;
                int v = 0;
                while (k < len && k < j + 4 && isHex(src.charAt(k))) {
                    v = v * 16 + Character.digit(src.charAt(k), 16);
                    k++;
                }
                out.write(v);
                j = k;
            } else if (e == 'u' || e == 'U') {
                j = unicodeEscapeInE(out, j, e == 'u' ? 4 : 8);
            } else {
                switch (e) {
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    default -> writeUtf8(out, src.codePointAt(j + 1));
                }
                j += 1 + Character.charCount(src.codePointAt(j + 1));
            }
        }
        add(TokenKind.SCONST, decodeUtf8(out.toByteArray()), start, i);
    }

    /** A {@code \\uXXXX} or {@code \\UXXXXXXXX} escape at j in an E'' string; returns the index after it. */
    private int unicodeEscapeInE(ByteArrayOutputStream out, int j, int digits) {
        int cp = readHex(j + 2, digits);
        if (cp < 0) {
            throw new SqlSyntaxException("22025", "invalid Unicode escape",
                    "Unicode escapes must be \\uXXXX or \\UXXXXXXXX.", position(j));
        }
        int end = j + 2 + digits;
        if (Character.isHighSurrogate((char) cp) && cp <= 0xFFFF) {
            // must be followed by the low half
            if (end + 1 < len && src.charAt(end) == '\\' && (src.charAt(end + 1) == 'u' || src.charAt(end + 1) == 'U')) {
                int d2 = src.charAt(end + 1) == 'u' ? 4 : 8;
                int low = readHex(end + 2, d2);
                if (low >= 0 && low <= 0xFFFF && Character.isLowSurrogate((char) low)) {
                    writeUtf8(out, Character.toCodePoint((char) cp, (char) low));
                    return end + 2 + d2;
                }
            }
            int near = Math.min(end, len);
            throw error("invalid Unicode surrogate pair", near, Math.min(near + 1, len));
        }
        if (cp == 0 || cp > 0x10FFFF || (cp <= 0xFFFF && Character.isLowSurrogate((char) cp))) {
            throw error(cp <= 0xFFFF && Character.isLowSurrogate((char) cp) && cp != 0
                    ? "invalid Unicode surrogate pair" : "invalid Unicode escape value", j, end);
        }
        writeUtf8(out, cp);
        return end;
    }

    /** The value of exactly {@code digits} hex digits at {@code from}, or -1. */
    private int readHex(int from, int digits) {
        if (from + digits > len) {
            return -1;
        }
        long v = 0;
        for (int k = from; k < from + digits; k++) {
            char h = src.charAt(k);
            if (!isHex(h)) {
                return -1;
            }
            v = v * 16 + Character.digit(h, 16);
        }
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    /** Decodes UTF-8, failing as PostgreSQL does on an invalid sequence or a zero byte. */
    private static String decodeUtf8(byte[] bytes) {
        for (int k = 0; k < bytes.length; k++) {
            if (bytes[k] == 0) {
                throw invalidByteSequence(bytes, k);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // find the first bad sequence
            int k = 0;
            while (k < bytes.length) {
                int b = bytes[k] & 0xFF;
                int n = b < 0x80 ? 1 : b >= 0xF0 && b < 0xF8 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
                boolean ok = n > 0 && k + n <= bytes.length;
                for (int m = 1; ok && m < n; m++) {
                    ok = (bytes[k + m] & 0xC0) == 0x80;
                }
                if (ok && n > 1) {
                    try {
                        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, k, n));
                    } catch (CharacterCodingException ex) {
                        ok = false;
                    }
                }
                if (!ok) {
                    throw invalidByteSequence(bytes, k);
                }
                k += n;
            }
            throw invalidByteSequence(bytes, 0);
        }
    }

    private static SqlSyntaxException invalidByteSequence(byte[] bytes, int k) {
        int b = bytes[k] & 0xFF;
        int n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        StringBuilder hex = new StringBuilder();
        for (int m = k; m < Math.min(k + n, bytes.length); m++) {
            if (m > k) {
                hex.append(' ');
            }
            hex.append(String.format("0x%02x", bytes[m] & 0xFF));
        }
        return new SqlSyntaxException("22021", "invalid byte sequence for encoding \"UTF8\": " + hex, 0);
    }

    private void unicodeString() {
        int start = i;
        List<Integer> idx = new ArrayList<>();
        String raw = readQuoted(start + 3, '\'', idx, "unterminated quoted string", start);
        int end = i;
        char esc = uescape();
        add(TokenKind.SCONST, decodeUnicodeEscapes(raw, idx, esc), start, end);
    }

    /**
     * After a U&amp; literal: an optional {@code UESCAPE 'c'} (consumed),
     * returning the escape character (backslash when absent).
     */
    private char uescape() {
        int save = i;
        skipWhitespaceAndComments();
        if (i + 7 <= len && src.regionMatches(true, i, "uescape", 0, 7)
                && (i + 7 == len || !isIdentCont(src.charAt(i + 7)))) {
            i += 7;
            skipWhitespaceAndComments();
            if (i >= len || src.charAt(i) != '\'') {
                int at = i;
                int end = at;
                if (at < len) {
                    // the next token's text, roughly
                    end = at + 1;
                    while (end < len && isIdentCont(src.charAt(end)) && isIdentCont(src.charAt(at))) {
                        end++;
                    }
                }
                throw error("UESCAPE must be followed by a simple string literal", at, end);
            }
            int strStart = i;
            String e = readQuoted(strStart + 1, '\'', null, "unterminated quoted string", strStart);
            if (e.length() != 1 || isHex(e.charAt(0)) || e.charAt(0) == '+' || e.charAt(0) == '\''
                    || e.charAt(0) == '"' || isSpace(e.charAt(0))) {
                throw error("invalid Unicode escape character", strStart, i);
            }
            return e.charAt(0);
        }
        i = save;
        return '\\';
    }

    private String decodeUnicodeEscapes(String raw, List<Integer> idx, char esc) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        int pendingHigh = -1;
        int pendingAt = 0;
        while (k < raw.length()) {
            char c = raw.charAt(k);
            if (c != esc) {
                if (pendingHigh >= 0) {
                    throw surrogateError(idx, k);
                }
                sb.append(c);
                k++;
                continue;
            }
            if (k + 1 < raw.length() && raw.charAt(k + 1) == esc) {
                if (pendingHigh >= 0) {
                    throw surrogateError(idx, k);
                }
                sb.append(esc);
                k += 2;
                continue;
            }
            int cp;
            int n;
            if (k + 1 < raw.length() && raw.charAt(k + 1) == '+') {
                cp = hexIn(raw, k + 2, 6);
                n = 8;
            } else {
                cp = hexIn(raw, k + 1, 4);
                n = 5;
            }
            if (cp < 0) {
                throw new SqlSyntaxException(SqlSyntaxException.SYNTAX_ERROR, "invalid Unicode escape",
                        "Unicode escapes must be \\XXXX or \\+XXXXXX.", position(idx.get(k)));
            }
            if (pendingHigh >= 0) {
                if (cp > 0xFFFF || !Character.isLowSurrogate((char) cp)) {
                    throw surrogateError(idx, k);
                }
                sb.appendCodePoint(Character.toCodePoint((char) pendingHigh, (char) cp));
                pendingHigh = -1;
            } else if (cp <= 0xFFFF && Character.isHighSurrogate((char) cp)) {
                pendingHigh = cp;
                pendingAt = k + n;
            } else if (cp <= 0xFFFF && Character.isLowSurrogate((char) cp)) {
                throw surrogateError(idx, k + n);
            } else if (cp == 0 || cp > 0x10FFFF) {
                throw new SqlSyntaxException(SqlSyntaxException.SYNTAX_ERROR, "invalid Unicode escape value", null,
                        position(idx.get(k)));
            } else {
                sb.appendCodePoint(cp);
            }
            k += n;
        }
        if (pendingHigh >= 0) {
            throw surrogateError(idx, pendingAt);
        }
        return sb.toString();
    }

    private SqlSyntaxException surrogateError(List<Integer> idx, int k) {
        int at = k < idx.size() ? idx.get(k) : (idx.isEmpty() ? i - 1 : idx.get(idx.size() - 1) + 1);
        return new SqlSyntaxException(SqlSyntaxException.SYNTAX_ERROR, "invalid Unicode surrogate pair", null,
                position(Math.min(at, len)));
    }

    private static int hexIn(String s, int from, int digits) {
        if (from + digits > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = from; k < from + digits; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0 || s.charAt(k) > 'f') {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
