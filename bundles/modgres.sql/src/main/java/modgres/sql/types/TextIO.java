package modgres.sql.types;

/*
 * Design notes
 * ------------
 * The text form of every built-in type: the input functions (typinput, with
 * the column's typmod applied as the input function does: varchar/bpchar
 * length, numeric precision/scale, time precision) and the output functions
 * (typoutput) under the session's DateStyle, TimeZone, IntervalStyle and
 * extra_float_digits. Errors carry PostgreSQL's SQLSTATEs and texts. The
 * value classes are listed in package-info.
 */

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import modgres.api.error.PgException;

/** Text input and output of the built-in types. */
public final class TextIO {
    /** NAMEDATALEN - 1. */
    public static final int NAME_MAX_BYTES = 63;

    private TextIO() {
    }

    /**
     * The type's input function: text → value (never null).
     *
     * @param typmod the target's typmod, -1 for none
     */
    public static Object input(Type type, int typmod, String s, SessionContext ctx) {
        if (type.isArray()) {
            return arrayIn(type.elem(), typmod, s, ctx);
        }
        if (type.isEnum()) {
            return UserTypes.enumIn(type, s);
        }
        if (type.isComposite() || type.oid() == Types.RECORD_OID) {
            return UserTypes.recordIn(type, s, ctx);
        }
        switch (type.oid()) {
            case Types.BOOL_OID:
                return parseBool(s);
            case Types.INT2_OID:
                return (short) parseInt(s, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
            case Types.INT4_OID:
                return (int) parseInt(s, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
            case Types.INT8_OID:
                return parseInt(s, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
            case Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID:
                if (type.oid() == Types.REGCLASS_OID && !s.strip().matches("-?[0-9]+")) {
                    long rel = ctx.relationOid(s.strip());
                    if (rel < 0) {
                        throw new PgException("42P01", "relation \"" + s.strip() + "\" does not exist");
                    }
                    return rel;
                }
                return parseOid(s, type, ctx);
            case Types.FLOAT4_OID:
                return FloatOps.parseFloat(s);
            case Types.FLOAT8_OID:
                return FloatOps.parseDouble(s);
            case Types.NUMERIC_OID:
                return NumericOps.parse(s, typmod);
            case Types.TEXT_OID, Types.UNKNOWN_OID:
                return s;
            case Types.VARCHAR_OID:
                return varchar(s, typmod, false);
            case Types.BPCHAR_OID:
                return bpchar(s, typmod, false);
            case Types.NAME_OID:
                return truncateName(s);
            case Types.CHAR_OID:
                return charIn(s);
            case Types.BYTEA_OID:
                return byteaIn(s);
            case Types.UUID_OID:
                return uuidIn(s);
            case Types.DATE_OID:
                return DateTime.parseDate(s, ctx);
            case Types.TIME_OID:
                return DateTime.parseTime(s, typmod, ctx);
            case Types.TIMESTAMP_OID:
                return DateTime.parseTimestamp(s, false, typmod, ctx);
            case Types.TIMESTAMPTZ_OID:
                return DateTime.parseTimestamp(s, true, typmod, ctx);
            case Types.INTERVAL_OID:
                return DateTime.parseInterval(s, typmod, ctx);
            case Types.PG_LSN_OID:
                return lsnIn(s);
            case Types.XID_OID:
                return xidIn(s);
            case Types.XID8_OID:
                return xidIn(s, "xid8", -1L);
            case Types.VOID_OID:
                return "";
            default:
                throw Errors.feature("input of type " + type.sqlName() + " is not supported");
        }
    }

    /** The type's output function: value → text (value must not be null). */
    public static String output(Type type, Object v, SessionContext ctx) {
        if (type.isArray()) {
            return arrayOut((PgArray) v, ctx);
        }
        if (v instanceof PgRecord r) {
            return UserTypes.recordOut(r, ctx);
        }
        if (v instanceof PgEnum e) {
            return e.label();
        }
        switch (type.oid()) {
            case Types.BOOL_OID:
                return ((Boolean) v) ? "t" : "f";
            case Types.INT2_OID, Types.INT4_OID, Types.INT8_OID, Types.OID_OID:
                return v.toString();
            case Types.REGCLASS_OID: {
                String rel = ctx.relationName(((Number) v).longValue());
                return rel != null ? rel : v.toString();
            }
            case Types.REGNAMESPACE_OID: {
                String ns = ctx.namespaceName(((Number) v).longValue());
                return ns != null ? ns : v.toString();
            }
            case Types.REGTYPE_OID: {
                String user = ctx.userTypeName(((Number) v).longValue());
                if (user != null) {
                    return user;
                }
                Type t = Types.byOid((int) ((Number) v).longValue());
                return t != null ? t.sqlName() : v.toString();
            }
            case Types.FLOAT4_OID:
                return FloatOps.format(((Number) v).floatValue(), ctx.extraFloatDigits());
            case Types.FLOAT8_OID:
                return FloatOps.format(((Number) v).doubleValue(), ctx.extraFloatDigits());
            case Types.NUMERIC_OID:
                return NumericOps.format(v);
            case Types.TEXT_OID, Types.UNKNOWN_OID, Types.VARCHAR_OID, Types.BPCHAR_OID, Types.NAME_OID, Types.VOID_OID:
                return (String) v;
            case Types.CHAR_OID:
                return charOut((String) v);
            case Types.BYTEA_OID:
                return byteaOut((byte[]) v);
            case Types.UUID_OID:
                return v.toString();
            case Types.DATE_OID:
                return DateTime.formatDate((Integer) v, ctx);
            case Types.TIME_OID:
                return DateTime.formatTime((Long) v);
            case Types.TIMESTAMP_OID:
                return DateTime.formatTimestamp((Long) v, ctx);
            case Types.TIMESTAMPTZ_OID:
                return DateTime.formatTimestamptz((Long) v, ctx);
            case Types.INTERVAL_OID:
                return DateTime.formatInterval((Interval) v, ctx);
            case Types.PG_LSN_OID:
                return lsnOut((Long) v);
            case Types.XID_OID, Types.XID8_OID:
                return Long.toUnsignedString((Long) v);
            default:
                throw Errors.feature("output of type " + type.sqlName() + " is not supported");
        }
    }

    // ---------------------------------------------------------------- bool

    /** boolin: t/true/y/yes/on/1 and f/false/n/no/off/0, prefixes, any case, surrounding blanks. */
    public static boolean parseBool(String s) {
        Boolean b = parseBoolOrNull(s.strip());
        if (b == null) {
            throw Errors.invalidSyntax("boolean", s);
        }
        return b;
    }

    static Boolean parseBoolOrNull(String v) {
        int len = v.length();
        if (len == 0) {
            return null;
        }
        String l = v.toLowerCase(Locale.ROOT);
        switch (l.charAt(0)) {
            case 't':
                return "true".startsWith(l) ? Boolean.TRUE : null;
            case 'f':
                return "false".startsWith(l) ? Boolean.FALSE : null;
            case 'y':
                return "yes".startsWith(l) ? Boolean.TRUE : null;
            case 'n':
                return "no".startsWith(l) ? Boolean.FALSE : null;
            case 'o':
                if (l.equals("on")) {
                    return Boolean.TRUE;
                }
                if (len >= 2 && "off".startsWith(l)) {
                    return Boolean.FALSE;
                }
                return null;
            case '1':
                return len == 1 ? Boolean.TRUE : null;
            case '0':
                return len == 1 ? Boolean.FALSE : null;
            default:
                return null;
        }
    }

    // ---------------------------------------------------------------- integers

    /** pg_strtoint16/32/64: blanks, sign, at least one digit, blanks. */
    public static long parseInt(String s, long min, long max, String typeName) {
        int n = s.length();
        int i = 0;
        while (i < n && NumericOps.isSpace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long acc = 0; // accumulated negatively to reach MIN_VALUE
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            int d = s.charAt(i) - '0';
            if (!overflow) {
                if (acc < (Long.MIN_VALUE + d) / 10) {
                    overflow = true;
                } else {
                    acc = acc * 10 - d;
                }
            }
            i++;
        }
        if (i == start) {
            throw Errors.invalidSyntax(typeName, s);
        }
        while (i < n && NumericOps.isSpace(s.charAt(i))) {
            i++;
        }
        if (i != n) {
            throw Errors.invalidSyntax(typeName, s);
        }
        if (!overflow && !neg && acc == Long.MIN_VALUE) {
            overflow = true;
        }
        long v = neg ? acc : -acc;
        if (overflow || v < min || v > max) {
            throw Errors.outOfRangeFor(s, typeName);
        }
        return v;
    }

    static long parseOid(String s, Type t) {
        return parseOid(s, t, null);
    }

    static long parseOid(String s, Type t, SessionContext ctx) {
        String name = t.oid() == Types.OID_OID ? "oid" : t.typname();
        String v = s.strip();
        if (t.oid() == Types.REGTYPE_OID && !v.matches("[0-9]+")) {
            Type named = Types.byName(v);
            if (named == null && ctx != null && ctx.userTypeOid(v) >= 0) {
                return ctx.userTypeOid(v);
            }
            if (named == null) {
                throw new PgException("42704", "type \"" + v + "\" does not exist");
            }
            return named.oid();
        }
        long r;
        try {
            r = parseInt(s, -2147483648L, 4294967295L, name);
        } catch (PgException e) {
            if (e.sqlState().equals("22003")) {
                throw e;
            }
            if (t.oid() == Types.REGCLASS_OID) {
                throw new PgException("42P01", "relation \"" + v + "\" does not exist");
            }
            throw e;
        }
        return r & 0xFFFFFFFFL;
    }

    // ---------------------------------------------------------------- strings

    /** Characters (code points) of a string. */
    static int charLength(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * varchar(n) coercion: input and assignment raise 22001 when non-space characters
     * would be cut; an explicit cast ({@code explicit}) truncates silently.
     */
    public static String varchar(String s, int typmod, boolean explicit) {
        int max = Types.charLength(typmod);
        if (max < 0) {
            return s;
        }
        int len = charLength(s);
        if (len <= max) {
            return s;
        }
        int cut = s.offsetByCodePoints(0, max);
        if (!explicit) {
            for (int i = cut; i < s.length(); i++) {
                if (s.charAt(i) != ' ') {
                    throw new PgException("22001", "value too long for type character varying(" + max + ")");
                }
            }
        }
        return s.substring(0, cut);
    }

    /** bpchar(n): pad with blanks to n; longer input as varchar (trailing blanks may be cut). */
    public static String bpchar(String s, int typmod, boolean explicit) {
        int max = Types.charLength(typmod);
        if (max < 0) {
            return s;
        }
        int len = charLength(s);
        if (len > max) {
            int cut = s.offsetByCodePoints(0, max);
            if (!explicit) {
                for (int i = cut; i < s.length(); i++) {
                    if (s.charAt(i) != ' ') {
                        throw new PgException("22001", "value too long for type character(" + max + ")");
                    }
                }
            }
            return s.substring(0, cut);
        }
        if (len == max) {
            return s;
        }
        return s + " ".repeat(max - len);
    }

    /** bpchar's value without its trailing blanks (how it compares and converts to text). */
    public static String rtrimBlanks(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == ' ') {
            e--;
        }
        return s.substring(0, e);
    }

    /** name: at most 63 bytes of UTF-8, cut at a character boundary. */
    public static String truncateName(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= NAME_MAX_BYTES) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int l = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + l > NAME_MAX_BYTES) {
                break;
            }
            bytes += l;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    /** "char": one byte; "\ooo" octal accepted; empty is the zero byte (value ""). */
    static String charIn(String s) {
        if (s.length() == 4 && s.charAt(0) == '\\' && isOctal(s.charAt(1)) && isOctal(s.charAt(2))
                && isOctal(s.charAt(3)) && s.charAt(1) <= '3') {
            int v = (s.charAt(1) - '0') * 64 + (s.charAt(2) - '0') * 8 + (s.charAt(3) - '0');
            return v == 0 ? "" : String.valueOf((char) v);
        }
        if (s.isEmpty()) {
            return "";
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return String.valueOf((char) (b[0] & 0xFF));
    }

    static String charOut(String v) {
        if (v.isEmpty()) {
            return "";
        }
        char c = v.charAt(0);
        if (c >= 128) {
            return "\\" + (char) ('0' + ((c >> 6) & 3)) + (char) ('0' + ((c >> 3) & 7)) + (char) ('0' + (c & 7));
        }
        return String.valueOf(c);
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    // ---------------------------------------------------------------- bytea

    /** byteain: {@code \x} hex format or the escape format. */
    public static byte[] byteaIn(String s) {
        if (s.length() >= 2 && s.charAt(0) == '\\' && s.charAt(1) == 'x') {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int i = 2;
            int n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                    i++;
                    continue;
                }
                int hi = hexValue(c);
                if (i + 1 >= n) {
                    throw new PgException("22023", "invalid hexadecimal data: odd number of digits");
                }
                int lo = hexValue(s.charAt(i + 1));
                out.write(hi * 16 + lo);
                i += 2;
            }
            return out.toByteArray();
        }
        byte[] src = s.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(src.length);
        for (int i = 0; i < src.length;) {
            if (src[i] != '\\') {
                out.write(src[i++]);
            } else if (i + 3 < src.length && src[i + 1] >= '0' && src[i + 1] <= '3' && src[i + 2] >= '0'
                    && src[i + 2] <= '7' && src[i + 3] >= '0' && src[i + 3] <= '7') {
                out.write((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 + (src[i + 3] - '0'));
                i += 4;
            } else if (i + 1 < src.length && src[i + 1] == '\\') {
                out.write('\\');
                i += 2;
            } else {
                throw new PgException("22P02", "invalid input syntax for type bytea");
            }
        }
        return out.toByteArray();
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new PgException("22023", "invalid hexadecimal digit: \"" + c + "\"");
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** byteaout in hex format. */
    public static String byteaOut(byte[] b) {
        StringBuilder sb = new StringBuilder(2 + b.length * 2);
        sb.append("\\x");
        for (byte x : b) {
            sb.append(HEX[(x >> 4) & 15]).append(HEX[x & 15]);
        }
        return sb.toString();
    }

    static String hex(byte[] b) {
        return byteaOut(b).substring(2);
    }

    // ---------------------------------------------------------------- xid, xid8

    /** xidin / xid8in: an unsigned decimal (leading and trailing blanks allowed), at most {@code max} unsigned. */
    static long xidIn(String s, String name, long max) {
        String v = s.strip();
        if (v.isEmpty() || !v.chars().allMatch(Character::isDigit)) {
            throw Errors.invalidSyntax(name, s);
        }
        long r;
        try {
            r = Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw Errors.outOfRangeFor(s, name);
        }
        if (max != -1L && Long.compareUnsigned(r, max) > 0) {
            throw Errors.outOfRangeFor(s, name);
        }
        return r;
    }

    /**
     * xidin: PostgreSQL 15 reads the value with strtoul(s, NULL, 0) and checks nothing: leading blanks, an
     * optional sign, decimal, 0x hex or 0 octal digits up to the first other character (none: 0), the low 32
     * bits kept.
     */
    static long xidIn(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0) {
            radix = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            radix = 8;
        }
        java.math.BigInteger acc = java.math.BigInteger.ZERO;
        java.math.BigInteger r = java.math.BigInteger.valueOf(radix);
        for (; i < n && Character.digit(s.charAt(i), radix) >= 0; i++) {
            acc = acc.multiply(r).add(java.math.BigInteger.valueOf(Character.digit(s.charAt(i), radix)));
        }
        long v = acc.bitLength() > 64 ? -1L : acc.longValue(); // beyond 64 bits: strtoul's ULONG_MAX
        if (neg) {
            v = -v;
        }
        return v & 0xFFFFFFFFL;
    }

    // ---------------------------------------------------------------- uuid, pg_lsn

    /** uuid_in: 32 hex digits, optional braces, a hyphen allowed after any group of four. */
    public static UUID uuidIn(String s) {
        int i = 0;
        int n = s.length();
        boolean braces = false;
        if (n > 0 && s.charAt(0) == '{') {
            braces = true;
            i++;
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 16; k++) {
            if (i + 1 >= n) {
                throw Errors.invalidSyntax("uuid", s);
            }
            int a = Character.digit(s.charAt(i), 16);
            int b = Character.digit(s.charAt(i + 1), 16);
            if (a < 0 || b < 0 || s.charAt(i) > 127 || s.charAt(i + 1) > 127) {
                throw Errors.invalidSyntax("uuid", s);
            }
            int byteVal = a * 16 + b;
            if (k < 8) {
                hi = (hi << 8) | byteVal;
            } else {
                lo = (lo << 8) | byteVal;
            }
            i += 2;
            if (i < n && s.charAt(i) == '-' && k % 2 == 1 && k < 15) {
                i++;
            }
        }
        if (braces) {
            if (i >= n || s.charAt(i) != '}') {
                throw Errors.invalidSyntax("uuid", s);
            }
            i++;
        }
        if (i != n) {
            throw Errors.invalidSyntax("uuid", s);
        }
        return new UUID(hi, lo);
    }

    static long lsnIn(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})").matcher(s);
        if (!m.matches()) {
            throw Errors.invalidSyntax("pg_lsn", s);
        }
        return (Long.parseLong(m.group(1), 16) << 32) | Long.parseLong(m.group(2), 16);
    }

    static String lsnOut(long v) {
        return Long.toHexString(v >>> 32).toUpperCase(Locale.ROOT) + "/"
                + Long.toHexString(v & 0xFFFFFFFFL).toUpperCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- arrays

    private static PgException malformed(String s, String detail) {
        return new PgException("22P02", "malformed array literal: \"" + s + "\"", detail, null);
    }

    /** array_in for element type {@code elem} (typmod applies to the elements). */
    public static PgArray arrayIn(Type elem, int typmod, String s, SessionContext ctx) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        List<int[]> explicitBounds = new ArrayList<>();
        while (i < n && s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close < 0) {
                throw malformed(s, "Missing \"]\" after array dimensions.");
            }
            String dim = s.substring(i + 1, close);
            int colon = dim.indexOf(':');
            try {
                int lb = colon < 0 ? 1 : Integer.parseInt(dim.substring(0, colon).trim());
                int ub = Integer.parseInt((colon < 0 ? dim : dim.substring(colon + 1)).trim());
                if (ub < lb) {
                    throw new PgException("2202E", "upper bound cannot be less than lower bound");
                }
                explicitBounds.add(new int[] {lb, ub});
            } catch (NumberFormatException e) {
                throw malformed(s, "\"[\" must introduce explicitly-specified array dimensions.");
            }
            i = close + 1;
        }
        if (!explicitBounds.isEmpty()) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                throw malformed(s, "Missing \"=\" after array dimensions.");
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
        if (i >= n || s.charAt(i) != '{') {
            throw malformed(s, "Array value must start with \"{\" or dimension information.");
        }
        // parse nested braces into a tree of lists
        List<Object> values = new ArrayList<>();
        List<Integer> dims = new ArrayList<>();
        int[] pos = {i};
        parseLevel(s, pos, 0, dims, values, elem, typmod, ctx);
        int j = pos[0];
        while (j < n && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        if (j != n) {
            throw malformed(s, "Junk after closing right brace.");
        }
        if (values.isEmpty()) {
            return new PgArray(elem, new Object[0], new int[0], new int[0]);
        }
        int[] d = dims.stream().mapToInt(Integer::intValue).toArray();
        int[] lb = new int[d.length];
        java.util.Arrays.fill(lb, 1);
        if (!explicitBounds.isEmpty()) {
            if (explicitBounds.size() != d.length) {
                throw malformed(s, "Specified array dimensions do not match array contents.");
            }
            for (int k = 0; k < d.length; k++) {
                int[] b = explicitBounds.get(k);
                if (b[1] - b[0] + 1 != d[k]) {
                    throw malformed(s, "Specified array dimensions do not match array contents.");
                }
                lb[k] = b[0];
            }
        }
        return new PgArray(elem, values.toArray(), d, lb);
    }

    private static void parseLevel(String s, int[] pos, int level, List<Integer> dims, List<Object> out, Type elem,
            int typmod, SessionContext ctx) {
        int n = s.length();
        int i = pos[0] + 1; // after '{'
        int count = 0;
        boolean expectElement = true;
        boolean sawSubarray = false;
        boolean sawScalar = false;
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                throw malformed(s, "Unexpected end of input.");
            }
            char c = s.charAt(i);
            if (c == '}') {
                if (expectElement && count > 0) {
                    throw malformed(s, "Unexpected \"}\" character.");
                }
                i++;
                break;
            }
            if (!expectElement) {
                if (c != ',') {
                    throw malformed(s, "Expected \",\" or \"}\" but found \"" + c + "\"." );
                }
                i++;
                expectElement = true;
                continue;
            }
            if (c == '{') {
                if (sawScalar) {
                    throw malformed(s, "Unexpected \"{\" character.");
                }
                sawSubarray = true;
                pos[0] = i;
                parseLevel(s, pos, level + 1, dims, out, elem, typmod, ctx);
                i = pos[0];
            } else {
                if (sawSubarray || c == ',') {
                    throw malformed(s, "Unexpected \"" + c + "\" character.");
                }
                sawScalar = true;
                StringBuilder b = new StringBuilder();
                boolean quoted = false;
                if (c == '"') {
                    quoted = true;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw malformed(s, "Unexpected end of input.");
                        }
                        char q = s.charAt(i);
                        if (q == '\\') {
                            if (i + 1 >= n) {
                                throw malformed(s, "Unexpected end of input.");
                            }
                            b.append(s.charAt(i + 1));
                            i += 2;
                        } else if (q == '"') {
                            i++;
                            break;
                        } else {
                            b.append(q);
                            i++;
                        }
                    }
                } else {
                    int lastNonSpace = 0;
                    while (i < n) {
                        char q = s.charAt(i);
                        if (q == ',' || q == '}') {
                            break;
                        }
                        if (q == '{' || q == '"') {
                            throw malformed(s, "Unexpected \"" + q + "\" character.");
                        }
                        if (q == '\\') {
                            if (i + 1 >= n) {
                                throw malformed(s, "Unexpected end of input.");
                            }
                            b.append(s.charAt(i + 1));
                            i += 2;
                            lastNonSpace = b.length();
                            continue;
                        }
                        b.append(q);
                        if (!Character.isWhitespace(q)) {
                            lastNonSpace = b.length();
                        }
                        i++;
                    }
                    b.setLength(lastNonSpace);
                }
                String text = b.toString();
                if (!quoted && text.equalsIgnoreCase("NULL")) {
                    out.add(null);
                } else {
                    out.add(input(elem, typmod, text, ctx));
                }
            }
            count++;
            expectElement = false;
        }
        pos[0] = i;
        if (count == 0 && level == 0) {
            return;
        }
        if (count == 0) {
            throw malformed(s, "Multidimensional arrays must have sub-arrays with matching dimensions.");
        }
        if (dims.size() <= level) {
            while (dims.size() < level) {
                dims.add(0);
            }
            dims.add(count);
        } else if (dims.get(level) == 0) {
            dims.set(level, count);
        } else if (dims.get(level) != count) {
            throw malformed(s, "Multidimensional arrays must have sub-arrays with matching dimensions.");
        }
    }

    /** array_out. */
    public static String arrayOut(PgArray a, SessionContext ctx) {
        if (a.dims().length == 0) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder();
        boolean nonDefault = false;
        for (int lb : a.lbounds()) {
            if (lb != 1) {
                nonDefault = true;
            }
        }
        if (nonDefault) {
            for (int k = 0; k < a.dims().length; k++) {
                sb.append('[').append(a.lbounds()[k]).append(':').append(a.lbounds()[k] + a.dims()[k] - 1).append(']');
            }
            sb.append('=');
        }
        int[] idx = {0};
        writeLevel(sb, a, 0, idx, ctx);
        return sb.toString();
    }

    private static void writeLevel(StringBuilder sb, PgArray a, int level, int[] idx, SessionContext ctx) {
        sb.append('{');
        for (int k = 0; k < a.dims()[level]; k++) {
            if (k > 0) {
                sb.append(',');
            }
            if (level + 1 < a.dims().length) {
                writeLevel(sb, a, level + 1, idx, ctx);
            } else {
                Object v = a.values()[idx[0]++];
                if (v == null) {
                    sb.append("NULL");
                } else {
                    appendArrayElement(sb, output(a.elem(), v, ctx));
                }
            }
        }
        sb.append('}');
    }

    private static void appendArrayElement(StringBuilder sb, String s) {
        boolean quote = s.isEmpty() || s.equalsIgnoreCase("NULL");
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || Character.isWhitespace(c)) {
                quote = true;
            }
        }
        if (!quote) {
            sb.append(s);
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
