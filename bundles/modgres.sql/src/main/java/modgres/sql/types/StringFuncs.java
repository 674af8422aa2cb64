package modgres.sql.types;

/*
 * Design notes
 * ------------
 * The string functions and pattern matching of PostgreSQL 15 with the C
 * collation (lower/upper/initcap work on Unicode letters as Java does; for
 * ASCII this equals PostgreSQL's). Lengths and positions count characters
 * (code points), as PostgreSQL with a UTF-8 database. LIKE is PostgreSQL's
 * MatchText: '%' any run, '_' one character, the escape character (default
 * backslash) quotes the next one. POSIX regular expressions are translated
 * to java.util.regex (the common ARE subset: classes, quantifiers, anchors,
 * groups, backreferences, [[:alpha:]] classes, \m \M \y word boundaries).
 */

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import modgres.api.error.PgException;

/** String functions, LIKE and regular expressions. */
public final class StringFuncs {
    private StringFuncs() {
    }

    static int[] cps(String s) {
        // a loop over the chars, not String.codePoints(): this runs per LIKE per row, and the stream showed
        int n = s.length();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                return s.codePoints().toArray();
            }
            out[i] = c;
        }
        return out;
    }

    static String str(int[] cps, int from, int to) {
        return new String(cps, from, Math.max(0, to - from));
    }

    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    public static int octetLength(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    public static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    /** initcap: first letter of each alphanumeric run upper case, the rest lower. */
    public static String initcap(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean wasAlnum = false;
        for (int cp : cps(s)) {
            if (wasAlnum) {
                sb.appendCodePoint(Character.toLowerCase(cp));
            } else {
                sb.appendCodePoint(Character.toUpperCase(cp));
            }
            wasAlnum = Character.isLetterOrDigit(cp);
        }
        return sb.toString();
    }

    /** substr(s, start[, count]) with SQL's semantics for start < 1. */
    public static String substr(String s, long start, Long count) {
        int[] c = cps(s);
        long from = start;
        long to;
        if (count == null) {
            to = Long.MAX_VALUE;
        } else {
            if (count < 0) {
                throw new PgException("22011", "negative substring length not allowed");
            }
            to = start + count;
            if (to < start) {
                to = Long.MAX_VALUE;
            }
        }
        long f = Math.max(from, 1);
        long t = Math.min(to, (long) c.length + 1);
        if (f >= t) {
            return "";
        }
        return str(c, (int) f - 1, (int) t - 1);
    }

    public static byte[] substr(byte[] b, long start, Long count) {
        long to;
        if (count == null) {
            to = Long.MAX_VALUE;
        } else {
            if (count < 0) {
                throw new PgException("22011", "negative substring length not allowed");
            }
            to = start + count;
        }
        long f = Math.max(start, 1);
        long t = Math.min(to, (long) b.length + 1);
        if (f >= t) {
            return new byte[0];
        }
        return java.util.Arrays.copyOfRange(b, (int) f - 1, (int) t - 1);
    }

    /** position(sub in s): 1-based character position, 0 when absent. */
    public static int position(String s, String sub) {
        int i = s.indexOf(sub);
        return i < 0 ? 0 : s.codePointCount(0, i) + 1;
    }

    public static int position(byte[] s, byte[] sub) {
        outer:
        for (int i = 0; i + sub.length <= s.length; i++) {
            for (int j = 0; j < sub.length; j++) {
                if (s[i + j] != sub[j]) {
                    continue outer;
                }
            }
            return i + 1;
        }
        return 0;
    }

    /** btrim/ltrim/rtrim with a set of characters. */
    public static String trim(String s, String chars, boolean leading, boolean trailing) {
        int[] c = cps(s);
        java.util.Set<Integer> set = new java.util.HashSet<>();
        for (int x : cps(chars)) {
            set.add(x);
        }
        int from = 0;
        int to = c.length;
        if (leading) {
            while (from < to && set.contains(c[from])) {
                from++;
            }
        }
        if (trailing) {
            while (to > from && set.contains(c[to - 1])) {
                to--;
            }
        }
        return str(c, from, to);
    }

    public static byte[] trim(byte[] s, byte[] chars, boolean leading, boolean trailing) {
        int from = 0;
        int to = s.length;
        if (leading) {
            while (from < to && contains(chars, s[from])) {
                from++;
            }
        }
        if (trailing) {
            while (to > from && contains(chars, s[to - 1])) {
                to--;
            }
        }
        return java.util.Arrays.copyOfRange(s, from, to);
    }

    private static boolean contains(byte[] set, byte b) {
        for (byte x : set) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }

    public static String replace(String s, String from, String to) {
        if (from.isEmpty()) {
            return s;
        }
        return s.replace(from, to);
    }

    public static String left(String s, int n) {
        int[] c = cps(s);
        int k = n >= 0 ? Math.min(n, c.length) : Math.max(0, c.length + n);
        return str(c, 0, k);
    }

    public static String right(String s, int n) {
        int[] c = cps(s);
        int k = n >= 0 ? Math.min(n, c.length) : Math.max(0, c.length + n);
        return str(c, c.length - k, c.length);
    }

    public static String repeat(String s, int n) {
        if (n <= 0) {
            return "";
        }
        if ((long) s.length() * n > (1 << 30)) {
            throw new PgException("54000", "requested length too large");
        }
        return s.repeat(n);
    }

    public static String lpad(String s, int len, String fill) {
        return pad(s, len, fill, true);
    }

    public static String rpad(String s, int len, String fill) {
        return pad(s, len, fill, false);
    }

    private static String pad(String s, int len, String fill, boolean left) {
        if (len < 0) {
            len = 0;
        }
        int[] c = cps(s);
        if (c.length >= len) {
            return str(c, 0, len);
        }
        int[] f = cps(fill);
        if (f.length == 0) {
            return s;
        }
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < len - c.length; i++) {
            p.appendCodePoint(f[i % f.length]);
        }
        return left ? p + s : s + p;
    }

    public static String splitPart(String s, String delim, int field) {
        if (field == 0) {
            throw new PgException("22023", "field position must not be zero");
        }
        List<String> parts = new ArrayList<>();
        if (delim.isEmpty()) {
            parts.add(s);
        } else {
            int i = 0;
            while (true) {
                int j = s.indexOf(delim, i);
                if (j < 0) {
                    parts.add(s.substring(i));
                    break;
                }
                parts.add(s.substring(i, j));
                i = j + delim.length();
            }
        }
        if (s.isEmpty()) {
            return "";
        }
        int idx = field > 0 ? field - 1 : parts.size() + field;
        return idx >= 0 && idx < parts.size() ? parts.get(idx) : "";
    }

    public static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    public static String md5(byte[] b) {
        try {
            return TextIO.hex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int ascii(String s) {
        return s.isEmpty() ? 0 : s.codePointAt(0);
    }

    public static String chr(int cp) {
        if (cp == 0) {
            throw new PgException("54000", "null character not permitted");
        }
        if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw new PgException("54000", "requested character too large for encoding: " + cp);
        }
        return new String(Character.toChars(cp));
    }

    public static String translate(String s, String from, String to) {
        int[] f = cps(from);
        int[] t = cps(to);
        StringBuilder sb = new StringBuilder();
        for (int c : cps(s)) {
            int idx = -1;
            for (int i = 0; i < f.length; i++) {
                if (f[i] == c) {
                    idx = i;
                    break;
                }
            }
            if (idx < 0) {
                sb.appendCodePoint(c);
            } else if (idx < t.length) {
                sb.appendCodePoint(t[idx]);
            }
        }
        return sb.toString();
    }

    public static String overlay(String s, String repl, int from, Integer count) {
        int n = count == null ? length(repl) : count;
        if (from < 1) {
            throw new PgException("22011", "negative substring length not allowed");
        }
        String head = substr(s, 1, (long) from - 1);
        String tail = substr(s, (long) from + n, null);
        return head + repl + tail;
    }

    public static String quoteLiteral(String s) {
        StringBuilder sb = new StringBuilder();
        boolean backslash = s.indexOf('\\') >= 0;
        if (backslash) {
            sb.append('E');
        }
        sb.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '\\') {
                sb.append(c);
            }
            sb.append(c);
        }
        return sb.append('\'').toString();
    }

    public static String quoteIdent(String s) {
        return modgres.sql.ast.Keywords.quoteIdentifier(s);
    }

    public static String toHex(long v, boolean int32) {
        return int32 ? Integer.toHexString((int) v) : Long.toHexString(v);
    }

    public static boolean startsWith(String s, String prefix) {
        return s.startsWith(prefix);
    }

    // ---------------------------------------------------------------- encode / decode

    public static String encode(byte[] b, String format) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "hex":
                return TextIO.hex(b);
            case "base64": {
                String e = java.util.Base64.getEncoder().encodeToString(b);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < e.length(); i += 76) {
                    if (i > 0) {
                        sb.append('\n');
                    }
                    sb.append(e, i, Math.min(e.length(), i + 76));
                }
                return sb.toString();
            }
            case "escape": {
                StringBuilder sb = new StringBuilder();
                for (byte x : b) {
                    int v = x & 0xFF;
                    if (v == '\\') {
                        sb.append("\\\\");
                    } else if (v == 0 || v >= 0x80) {
                        sb.append('\\').append((char) ('0' + (v >> 6))).append((char) ('0' + ((v >> 3) & 7)))
                                .append((char) ('0' + (v & 7)));
                    } else {
                        sb.append((char) v);
                    }
                }
                return sb.toString();
            }
            default:
                throw new PgException("22023", "unrecognized encoding: \"" + format + "\"");
        }
    }

    public static byte[] decode(String s, String format) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "hex":
                return TextIO.byteaIn("\\x" + s);
            case "base64":
                try {
                    return java.util.Base64.getMimeDecoder().decode(s);
                } catch (IllegalArgumentException e) {
                    throw new PgException("22023", "invalid base64 end sequence", "Input data is missing padding, is truncated, or is otherwise corrupted.", null);
                }
            case "escape":
                return TextIO.byteaIn(s);
            default:
                throw new PgException("22023", "unrecognized encoding: \"" + format + "\"");
        }
    }

    // ---------------------------------------------------------------- LIKE

    /** s LIKE pattern ESCAPE esc (esc null = default backslash, "" = none). */
    public static boolean like(String s, String pattern, String esc, boolean caseInsensitive) {
        int escape = '\\';
        if (esc != null) {
            int[] e = cps(esc);
            if (e.length > 1) {
                throw new PgException("22025", "invalid escape string", null,
                        "Escape string must be empty or one character.");
            }
            escape = e.length == 0 ? -1 : e[0];
        }
        if (caseInsensitive) {
            s = s.toLowerCase(Locale.ROOT);
            pattern = pattern.toLowerCase(Locale.ROOT);
        }
        return matchText(cps(s), 0, cps(pattern), 0, escape) == 1;
    }

    /** PostgreSQL's MatchText: 1 match, 0 no match, -1 abort (no match possible). */
    private static int matchText(int[] t, int ti, int[] p, int pi, int escape) {
        if (pi == p.length - 1 && p[pi] == '%' && escape != '%') {
            return 1;
        }
        while (ti < t.length && pi < p.length) {
            int pc = p[pi];
            if (pc == escape) {
                pi++;
                if (pi >= p.length) {
                    throw new PgException("22025", "LIKE pattern must not end with escape character");
                }
                if (p[pi] != t[ti]) {
                    return 0;
                }
            } else if (pc == '%') {
                pi++;
                while (pi < p.length) {
                    if (p[pi] == '%' && escape != '%') {
                        pi++;
                    } else if (p[pi] == '_' && escape != '_') {
                        if (ti >= t.length) {
                            return -1;
                        }
                        ti++;
                        pi++;
                    } else {
                        break;
                    }
                }
                if (pi >= p.length) {
                    return 1;
                }
                int firstpat;
                if (p[pi] == escape) {
                    if (pi + 1 >= p.length) {
                        throw new PgException("22025", "LIKE pattern must not end with escape character");
                    }
                    firstpat = p[pi + 1];
                } else {
                    firstpat = p[pi];
                }
                while (ti < t.length) {
                    if (t[ti] == firstpat) {
                        int r = matchText(t, ti, p, pi, escape);
                        if (r != 0) {
                            return r;
                        }
                    }
                    ti++;
                }
                return -1;
            } else if (pc == '_' && escape != '_') {
                ti++;
                pi++;
                continue;
            } else if (pc != t[ti]) {
                return 0;
            }
            ti++;
            pi++;
        }
        if (ti < t.length) {
            return 0;
        }
        while (pi < p.length && p[pi] == '%' && escape != '%') {
            pi++;
        }
        return pi >= p.length ? 1 : -1;
    }

    public static boolean like(byte[] s, byte[] pattern) {
        int[] t = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            t[i] = s[i] & 0xFF;
        }
        int[] p = new int[pattern.length];
        for (int i = 0; i < pattern.length; i++) {
            p[i] = pattern[i] & 0xFF;
        }
        return matchText(t, 0, p, 0, '\\') == 1;
    }

    // ---------------------------------------------------------------- regular expressions

    private static final java.util.Map<String, Pattern> CACHE = java.util.Collections
            .synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Pattern> e) {
                    return size() > 256;
                }
            });

    /** Compiles a PostgreSQL ARE into a Java pattern (cached). */
    public static Pattern regex(String re, boolean caseInsensitive) {
        String key = (caseInsensitive ? "i:" : "c:") + re;
        Pattern p = CACHE.get(key);
        if (p == null) {
            try {
                p = Pattern.compile(translateRegex(re), caseInsensitive
                        ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
            } catch (PatternSyntaxException e) {
                throw new PgException("2201B", "invalid regular expression: " + regexError(e.getDescription()));
            }
            CACHE.put(key, p);
        }
        return p;
    }

    /** PostgreSQL's wording for the common regex compile errors. */
    private static String regexError(String javaDescription) {
        String d = javaDescription == null ? "" : javaDescription;
        if (d.startsWith("Unclosed group") || d.startsWith("Unmatched closing")) {
            return "parentheses () not balanced";
        }
        if (d.startsWith("Unclosed character class")) {
            return "brackets [] not balanced";
        }
        if (d.startsWith("Dangling meta character")) {
            return "quantifier operand invalid";
        }
        if (d.startsWith("Illegal repetition") || d.startsWith("Unclosed counted closure")) {
            return "invalid repetition count(s)";
        }
        if (d.contains("escape")) {
            return "invalid escape \\ sequence";
        }
        return d;
    }

    static String translateRegex(String re) {
        StringBuilder sb = new StringBuilder();
        int n = re.length();
        boolean inClass = false;
        for (int i = 0; i < n; i++) {
            char c = re.charAt(i);
            if (inClass) {
                if (c == '[' && i + 1 < n && re.charAt(i + 1) == ':') {
                    int end = re.indexOf(":]", i + 2);
                    if (end > 0) {
                        String cls = re.substring(i + 2, end);
                        sb.append(switch (cls) {
                            case "alpha" -> "\\p{Alpha}";
                            case "digit" -> "\\d";
                            case "alnum" -> "\\p{Alnum}";
                            case "upper" -> "\\p{Upper}";
                            case "lower" -> "\\p{Lower}";
                            case "space" -> "\\s";
                            case "punct" -> "\\p{Punct}";
                            case "xdigit" -> "\\p{XDigit}";
                            case "word" -> "\\w";
                            case "blank" -> " \\t";
                            case "cntrl" -> "\\p{Cntrl}";
                            case "print" -> "\\p{Print}";
                            case "graph" -> "\\p{Graph}";
                            default -> throw new PgException("2201B",
                                    "invalid regular expression: invalid character class");
                        });
                        i = end + 1;
                        continue;
                    }
                }
                if (c == ']') {
                    inClass = false;
                } else if (c == '[' || (c == '&' && i + 1 < n && re.charAt(i + 1) == '&')) {
                    sb.append('\\');
                } else if (c == '\\' && i + 1 < n) {
                    sb.append(c).append(re.charAt(++i));
                    continue;
                }
                sb.append(c);
                continue;
            }
            if (c == '[') {
                inClass = true;
                sb.append(c);
                if (i + 1 < n && re.charAt(i + 1) == '^') {
                    sb.append('^');
                    i++;
                }
                if (i + 1 < n && re.charAt(i + 1) == ']') {
                    sb.append("\\]");
                    i++;
                }
                continue;
            }
            if (c == '\\' && i + 1 < n) {
                char d = re.charAt(i + 1);
                switch (d) {
                    case 'm' -> sb.append("\\b(?=\\w)");
                    case 'M' -> sb.append("\\b(?<=\\w)");
                    case 'y' -> sb.append("\\b");
                    case 'Y' -> sb.append("\\B");
                    case 'A' -> sb.append("\\A");
                    case 'Z' -> sb.append("\\z");
                    default -> sb.append(c).append(d);
                }
                i++;
                continue;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    public static boolean regexMatch(String s, String re, boolean caseInsensitive) {
        return regex(re, caseInsensitive).matcher(s).find();
    }

    private static boolean[] flags(String flags) {
        boolean g = false;
        boolean i = false;
        for (char c : flags.toCharArray()) {
            switch (c) {
                case 'g' -> g = true;
                case 'i' -> i = true;
                case 'c', 'n', 'p', 'w', 's', 't', 'x', 'q', 'b', 'e' -> {
                }
                default -> throw new PgException("22023", "invalid regular expression option: \"" + c + "\"");
            }
        }
        return new boolean[] {g, i};
    }

    /**
     * regexp_replace(source, pattern, replacement[, start[, n]][, flags]); {@code n} null
     * when not given (then the 'g' flag decides), 0 = every match, k = only the k-th.
     */
    public static String regexpReplace(String s, String re, String repl, int start, Integer n, String flags) {
        boolean[] f = flags(flags == null ? "" : flags);
        if (start <= 0) {
            throw new PgException("22023", "invalid value for parameter \"start\": " + start);
        }
        if (n != null && n < 0) {
            throw new PgException("22023", "invalid value for parameter \"n\": " + n);
        }
        boolean all = n == null ? f[0] : n == 0;
        int nth = n == null ? (f[0] ? 0 : 1) : n;
        Matcher m = regex(re, f[1]).matcher(s);
        int from = s.offsetByCodePoints(0, Math.min(start - 1, length(s)));
        StringBuilder sb = new StringBuilder(s.substring(0, from));
        int last = from;
        int count = 0;
        int pos = from;
        while (pos <= s.length() && m.find(pos)) {
            count++;
            if (all || count == nth) {
                sb.append(s, last, m.start());
                appendReplacement(sb, m, repl);
                last = m.end();
                if (!all) {
                    break;
                }
            }
            pos = m.end() == m.start() ? m.end() + 1 : m.end();
        }
        sb.append(s.substring(last));
        return sb.toString();
    }

    private static void appendReplacement(StringBuilder sb, Matcher m, String repl) {
        for (int i = 0; i < repl.length(); i++) {
            char c = repl.charAt(i);
            if (c == '\\' && i + 1 < repl.length()) {
                char d = repl.charAt(i + 1);
                if (d >= '1' && d <= '9') {
                    int g = d - '0';
                    if (g <= m.groupCount() && m.group(g) != null) {
                        sb.append(m.group(g));
                    }
                    i++;
                    continue;
                }
                if (d == '&') {
                    sb.append(m.group());
                    i++;
                    continue;
                }
                if (d == '\\') {
                    sb.append('\\');
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
    }

    /** regexp_match: the captured groups (or the whole match) of the first match, null when none. */
    public static PgArray regexpMatch(String s, String re, String flags) {
        boolean[] f = flags(flags == null ? "" : flags);
        if (f[0]) {
            throw new PgException("22023", "regexp_match() does not support the \"global\" option", null,
                    "Use the regexp_matches function instead.");
        }
        Matcher m = regex(re, f[1]).matcher(s);
        if (!m.find()) {
            return null;
        }
        if (m.groupCount() == 0) {
            return PgArray.of(Types.TEXT, m.group());
        }
        Object[] g = new Object[m.groupCount()];
        for (int i = 0; i < g.length; i++) {
            g[i] = m.group(i + 1);
        }
        return PgArray.of(Types.TEXT, g);
    }

    /** substring(s from pattern): the first parenthesised group, or the whole match. */
    public static String regexSubstring(String s, String re) {
        Matcher m = regex(re, false).matcher(s);
        if (!m.find()) {
            return null;
        }
        return m.groupCount() > 0 ? m.group(1) : m.group();
    }

    /** SQL regular expression (SIMILAR TO) → POSIX, as similar_to_escape. */
    public static String similarToRegex(String pattern, String esc) {
        int escape = esc == null ? '\\' : esc.isEmpty() ? -1 : esc.codePointAt(0);
        StringBuilder sb = new StringBuilder("^(?:");
        boolean afterEscape = false;
        int charclass = 0;
        for (int c : cps(pattern)) {
            if (afterEscape) {
                if (c == '"' && charclass == 0) {
                    sb.append(')');
                } else {
                    sb.append('\\').appendCodePoint(c);
                }
                afterEscape = false;
            } else if (c == escape) {
                afterEscape = true;
            } else if (charclass > 0) {
                if (c == '\\') {
                    sb.append('\\');
                }
                if (c == ']') {
                    charclass = 0;
                }
                sb.appendCodePoint(c);
            } else if (c == '[') {
                charclass = 1;
                sb.appendCodePoint(c);
            } else if (c == '%') {
                sb.append(".*");
            } else if (c == '_') {
                sb.append('.');
            } else if (c == '(') {
                sb.append("(?:");
            } else if (c == '\\' || c == '.' || c == '^' || c == '$') {
                sb.append('\\').appendCodePoint(c);
            } else {
                sb.appendCodePoint(c);
            }
        }
        return sb.append(")$").toString();
    }

    public static PgArray stringToArray(String s, String delim, String nullStr) {
        List<Object> out = new ArrayList<>();
        if (s.isEmpty()) {
            return PgArray.of(Types.TEXT);
        }
        if (delim == null) {
            for (int cp : cps(s)) {
                out.add(new String(Character.toChars(cp)));
            }
        } else if (delim.isEmpty()) {
            out.add(s);
        } else {
            int i = 0;
            while (true) {
                int j = s.indexOf(delim, i);
                if (j < 0) {
                    out.add(s.substring(i));
                    break;
                }
                out.add(s.substring(i, j));
                i = j + delim.length();
            }
        }
        if (nullStr != null) {
            for (int k = 0; k < out.size(); k++) {
                if (nullStr.equals(out.get(k))) {
                    out.set(k, null);
                }
            }
        }
        return PgArray.of(Types.TEXT, out.toArray());
    }

    // ---------------------------------------------------------------- format()

    /** format(fmt, args...) with %s %I %L %%, positions (%2$s) and widths (%-10s, %*s). */
    public static String format(String fmt, Object[] args, Type[] types, SessionContext ctx) {
        StringBuilder sb = new StringBuilder();
        int argi = 0;
        int n = fmt.length();
        for (int i = 0; i < n; i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            i++;
            if (i >= n) {
                throw new PgException("22023", "unterminated format() type specifier", null,
                        "For a single \"%\" use \"%%\".");
            }
            if (fmt.charAt(i) == '%') {
                sb.append('%');
                continue;
            }
            // [argpos$][flags][width][type]
            int argpos = -1;
            int j = i;
            while (j < n && Character.isDigit(fmt.charAt(j))) {
                j++;
            }
            if (j > i && j < n && fmt.charAt(j) == '$') {
                argpos = Integer.parseInt(fmt.substring(i, j));
                if (argpos == 0) {
                    throw new PgException("22023", "format specifies argument 0, but arguments are numbered from 1");
                }
                i = j + 1;
            }
            boolean minus = false;
            while (i < n && fmt.charAt(i) == '-') {
                minus = true;
                i++;
            }
            Integer width = null;
            if (i < n && fmt.charAt(i) == '*') {
                i++;
                int wpos;
                int k = i;
                while (k < n && Character.isDigit(fmt.charAt(k))) {
                    k++;
                }
                if (k > i && k < n && fmt.charAt(k) == '$') {
                    wpos = Integer.parseInt(fmt.substring(i, k)) - 1;
                    if (wpos < 0) {
                        throw new PgException("22023", "format specifies argument 0, but arguments are numbered from 1");
                    }
                    argi = wpos + 1; // the value follows the width argument
                    i = k + 1;
                } else {
                    wpos = argi++;
                }
                if (wpos >= args.length) {
                    throw new PgException("22023", "too few arguments for format()");
                }
                Object w = args[wpos];
                width = w == null ? 0 : (int) ((Number) w).longValue();
                if (width < 0) {
                    minus = true;
                    width = -width;
                }
            } else {
                int k = i;
                while (k < n && Character.isDigit(fmt.charAt(k))) {
                    k++;
                }
                if (k > i) {
                    width = Integer.parseInt(fmt.substring(i, k));
                    i = k;
                }
            }
            if (i >= n) {
                throw new PgException("22023", "unterminated format() type specifier", null,
                        "For a single \"%\" use \"%%\".");
            }
            char type = fmt.charAt(i);
            if (type != 's' && type != 'I' && type != 'L') {
                throw new PgException("22023", "unrecognized format() type specifier \"" + type + "\"", null,
                        "For a single \"%\" use \"%%\".");
            }
            int idx = argpos > 0 ? argpos - 1 : argi;
            if (idx >= args.length) {
                throw new PgException("22023", "too few arguments for format()");
            }
            argi = idx + 1;
            Object v = args[idx];
            String text = v == null ? null : TextIO.output(types[idx] == Types.UNKNOWN ? Types.TEXT : types[idx], v, ctx);
            String piece;
            switch (type) {
                case 's' -> piece = text == null ? "" : text;
                case 'I' -> {
                    if (text == null) {
                        throw new PgException("22004", "null values cannot be formatted as an SQL identifier");
                    }
                    piece = quoteIdent(text);
                }
                default -> piece = text == null ? "NULL" : quoteLiteral(text);
            }
            if (width != null && length(piece) < width) {
                String padding = " ".repeat(width - length(piece));
                piece = minus ? piece + padding : padding + piece;
            }
            sb.append(piece);
        }
        return sb.toString();
    }
}
