package modgres.sql.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

import modgres.api.error.PgException;

/**
 * The types this engine knows, with PostgreSQL's oids, sizes and names, and
 * their text and binary input and output. Values are Java objects: Integer
 * (int4), Long (int8), BigDecimal (numeric), Double (float8), Boolean (bool),
 * String (text, unknown) and Instant (timestamptz).
 */
enum PgType {
    BOOL(16, 1, "boolean", "bool", 1), INT8(20, 8, "bigint", "int8", 3), INT4(23, 4, "integer", "int4", 2),
    TEXT(25, -1, "text", "text", 0), FLOAT8(701, 8, "double precision", "float8", 5),
    NUMERIC(1700, -1, "numeric", "numeric", 4), TIMESTAMPTZ(1184, 8, "timestamp with time zone", "timestamptz", 0),
    NAME(19, 64, "name", "name", 0), UNKNOWN(705, -2, "unknown", "unknown", 0),
    /** A function's "no value" (pg_sleep): the value is "", printed as the empty string, sent as 0 bytes. */
    VOID(2278, 4, "void", "void", 0),
    /** A WAL position; the value is its text form ({@code 0/16B3748}). */
    PG_LSN(3220, 8, "pg_lsn", "pg_lsn", 0);

    final int oid;
    final short size;
    /** The name format_type prints (error messages). */
    final String sqlName;
    /** pg_type.typname (labels of casts). */
    final String typname;
    /** Rank in the numeric category (0 = not numeric). */
    final int numericRank;

    PgType(int oid, int size, String sqlName, String typname, int numericRank) {
        this.oid = oid;
        this.size = (short) size;
        this.sqlName = sqlName;
        this.typname = typname;
        this.numericRank = numericRank;
    }

    boolean numeric() {
        return numericRank > 0 && this != BOOL;
    }

    /** The type a result column of this type has on the wire (unknown becomes text). */
    PgType output() {
        return this == UNKNOWN ? TEXT : this;
    }

    static PgType byOid(int oid) {
        for (PgType t : values()) {
            if (t.oid == oid) {
                return t;
            }
        }
        return null;
    }

    /** The type a parameter declared with {@code oid} is handled as (varchar and bpchar as text), or null. */
    static PgType forParameter(int oid) {
        return switch (oid) {
            case 1043, 1042 -> TEXT;
            default -> byOid(oid);
        };
    }

    /** The type a (normalised) type name stands for, or null. */
    static PgType byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "int4", "integer", "int" -> INT4;
            case "int8", "bigint" -> INT8;
            case "numeric", "decimal" -> NUMERIC;
            case "text", "varchar" -> TEXT;
            case "bool", "boolean" -> BOOL;
            case "float8", "double precision" -> FLOAT8;
            case "timestamptz" -> TIMESTAMPTZ;
            case "name" -> NAME;
            default -> null;
        };
    }

    static PgException invalid(String type, String text) {
        return new PgException("22P02", "invalid input syntax for type " + type + ": \"" + text + "\"");
    }

    /** Text input, as the type's input function (errors 22P02 and 22003). */
    Object input(String s) {
        switch (this) {
            case TEXT, UNKNOWN, NAME:
                return s;
            case BOOL: {
                String v = s.strip().toLowerCase(Locale.ROOT);
                if (!v.isEmpty()) {
                    if ("true".startsWith(v) || "yes".startsWith(v) || v.equals("on") || v.equals("1")) {
                        return Boolean.TRUE;
                    }
                    if ("false".startsWith(v) || "no".startsWith(v) || (v.length() > 1 && "off".startsWith(v))
                            || v.equals("0")) {
                        return Boolean.FALSE;
                    }
                }
                throw invalid("boolean", s);
            }
            case INT4, INT8: {
                String v = s.strip();
                if (!v.matches("[+-]?[0-9]+")) {
                    throw invalid(sqlName, s);
                }
                BigInteger b = new BigInteger(v.startsWith("+") ? v.substring(1) : v);
                if (b.bitLength() > (this == INT4 ? 31 : 63)) {
                    throw new PgException("22003", "value \"" + s + "\" is out of range for type " + sqlName);
                }
                return this == INT4 ? (Object) b.intValue() : (Object) b.longValue();
            }
            case NUMERIC: {
                String v = s.strip();
                if (v.equalsIgnoreCase("nan")) {
                    throw new PgException("0A000", "numeric NaN is not supported yet");
                }
                if (!v.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                    throw invalid("numeric", s);
                }
                BigDecimal d = new BigDecimal(v);
                return d.scale() < 0 ? d.setScale(0) : d;
            }
            case FLOAT8: {
                String v = s.strip().toLowerCase(Locale.ROOT);
                switch (v) {
                    case "infinity", "+infinity", "inf", "+inf": return Double.POSITIVE_INFINITY;
                    case "-infinity", "-inf": return Double.NEGATIVE_INFINITY;
                    case "nan": return Double.NaN;
                    default:
                }
                if (!v.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
                    throw invalid("double precision", s);
                }
                double d = Double.parseDouble(v);
                if (Double.isInfinite(d) || (d == 0 && new BigDecimal(v).signum() != 0)) {
                    throw new PgException("22003", "\"" + s + "\" is out of range for type double precision");
                }
                return d;
            }
            default:
                throw new PgException("0A000", "input of type " + sqlName + " is not supported yet");
        }
    }

    /** Text output as PostgreSQL prints it. */
    String output(Object v, ZoneId zone) {
        return switch (this) {
            case BOOL -> ((Boolean) v) ? "t" : "f";
            case NUMERIC -> ((BigDecimal) v).toPlainString();
            case FLOAT8 -> float8Out((Double) v);
            case TIMESTAMPTZ -> timestamptzOut((Instant) v, zone);
            default -> v.toString();
        };
    }

    boolean binaryOutput() {
        return this == INT4 || this == INT8 || this == BOOL || this == TEXT || this == UNKNOWN || this == FLOAT8
                || this == NAME || this == VOID;
    }

    byte[] binary(Object v) {
        return switch (this) {
            case INT4 -> ByteBuffer.allocate(4).putInt((Integer) v).array();
            case INT8 -> ByteBuffer.allocate(8).putLong((Long) v).array();
            case FLOAT8 -> ByteBuffer.allocate(8).putDouble((Double) v).array();
            case BOOL -> new byte[] {(byte) (((Boolean) v) ? 1 : 0)};
            case TEXT, UNKNOWN, NAME -> ((String) v).getBytes(StandardCharsets.UTF_8);
            case VOID -> new byte[0];
            default -> throw new PgException("0A000", "binary output of type " + sqlName + " is not supported yet");
        };
    }

    Object binaryInput(byte[] b) {
        try {
            return switch (this) {
                case INT4 -> ByteBuffer.wrap(check(b, 4)).getInt();
                case INT8 -> ByteBuffer.wrap(check(b, 8)).getLong();
                case FLOAT8 -> ByteBuffer.wrap(check(b, 8)).getDouble();
                case BOOL -> check(b, 1)[0] != 0;
                case TEXT, UNKNOWN, NAME -> new String(b, StandardCharsets.UTF_8);
                default -> throw new PgException("0A000", "binary input of type " + sqlName + " is not supported yet");
            };
        } catch (IllegalArgumentException e) {
            throw new PgException("22P03", "incorrect binary data format in bind parameter 1");
        }
    }

    private static byte[] check(byte[] b, int n) {
        if (b.length != n) {
            throw new IllegalArgumentException();
        }
        return b;
    }

    /** float8 output with extra_float_digits 1: the shortest string that reads back exactly. */
    static String float8Out(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal b = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = b.unscaledValue().toString();
        int exp = digits.length() - 1 - b.scale();
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (exp < -4 || exp >= 15) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            sb.append(a < 10 ? "0" + a : Integer.toString(a));
        } else {
            sb.append(b.toPlainString());
        }
        return sb.toString();
    }

    static String timestamptzOut(Instant i, ZoneId zone) {
        ZonedDateTime z = i.atZone(zone);
        StringBuilder sb = new StringBuilder();
        int year = z.getYear();
        sb.append(String.format("%04d-%02d-%02d %02d:%02d:%02d", year > 0 ? year : 1 - year, z.getMonthValue(),
                z.getDayOfMonth(), z.getHour(), z.getMinute(), z.getSecond()));
        int micros = z.getNano() / 1000;
        if (micros != 0) {
            String f = String.format("%06d", micros);
            sb.append('.').append(f.replaceAll("0+$", ""));
        }
        ZoneOffset off = z.getOffset();
        int secs = off.getTotalSeconds();
        sb.append(secs < 0 ? '-' : '+');
        secs = Math.abs(secs);
        sb.append(String.format("%02d", secs / 3600));
        if (secs % 3600 != 0) {
            sb.append(String.format(":%02d", secs % 3600 / 60));
            if (secs % 60 != 0) {
                sb.append(String.format(":%02d", secs % 60));
            }
        }
        if (year <= 0) {
            sb.append(" BC");
        }
        return sb.toString();
    }

    /** Numeric rounding as PostgreSQL's: half away from zero. */
    static BigDecimal round(BigDecimal d, int scale) {
        return d.setScale(scale, RoundingMode.HALF_UP);
    }
}
