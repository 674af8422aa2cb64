package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import modgres.api.access.KeyComparator;

class KeyEncodingTest {
    private final Random rnd = new Random(42);

    static int bytewise(byte[] a, byte[] b) {
        return Integer.signum(KeyComparator.BYTEWISE.compare(a, ByteBuffer.wrap(b), 0, b.length));
    }

    /** For many random pairs, the encoded order equals Compare.compare. */
    private void checkOrder(Type t, Function<Random, Object> gen) {
        List<Object> vals = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            vals.add(gen.apply(rnd));
        }
        for (int i = 0; i < vals.size(); i++) {
            for (int j = 0; j < 40; j++) {
                Object a = vals.get(i);
                Object b = vals.get(rnd.nextInt(vals.size()));
                int expected = Integer.signum(Compare.compare(t, a, b));
                byte[] ka = KeyEncoding.encode(new Type[] {t}, new Object[] {a}, null);
                byte[] kb = KeyEncoding.encode(new Type[] {t}, new Object[] {b}, null);
                assertEquals(expected, bytewise(ka, kb), () -> t + ": " + TextIO.output(t, a, TestContexts.UTC) + " vs "
                        + TextIO.output(t, b, TestContexts.UTC));
                byte[] da = KeyEncoding.encode(new Type[] {t}, new Object[] {a}, new boolean[] {true});
                byte[] db = KeyEncoding.encode(new Type[] {t}, new Object[] {b}, new boolean[] {true});
                assertEquals(-expected, bytewise(da, db));
            }
        }
    }

    static String randomString(Random r) {
        int n = r.nextInt(6);
        StringBuilder sb = new StringBuilder();
        int[] pool = {'a', 'b', 'z', ' ', 'A', 0xe9, 0x4e2d, 0x1F600, 0xFFFD, 1};
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(pool[r.nextInt(pool.length)]);
        }
        return sb.toString();
    }

    static Object randomNumeric(Random r) {
        switch (r.nextInt(12)) {
            case 0:
                return NumericSpecial.NAN;
            case 1:
                return NumericSpecial.INFINITY;
            case 2:
                return NumericSpecial.NEGATIVE_INFINITY;
            case 3:
                return BigDecimal.ZERO.setScale(r.nextInt(3));
            default:
                BigDecimal d = new BigDecimal(java.math.BigInteger.valueOf(r.nextLong() % 100000), r.nextInt(8) - 2);
                return d.scale() < 0 ? d.setScale(0) : d;
        }
    }

    @Test
    void orderMatchesCompareForEveryType() {
        checkOrder(Types.BOOL, r -> r.nextBoolean());
        checkOrder(Types.INT2, r -> (short) r.nextInt());
        checkOrder(Types.INT4, r -> r.nextInt(7) == 0 ? Integer.MIN_VALUE : r.nextInt());
        checkOrder(Types.INT8, r -> r.nextInt(7) == 0 ? Long.MAX_VALUE : r.nextLong() >> r.nextInt(60));
        checkOrder(Types.OID, r -> r.nextLong() & 0xFFFFFFFFL);
        checkOrder(Types.FLOAT4, r -> new float[] {Float.NaN, Float.NEGATIVE_INFINITY, -0.0f, 0.0f, 1e-40f,
            Float.POSITIVE_INFINITY, r.nextFloat() * 200 - 100}[r.nextInt(7)]);
        checkOrder(Types.FLOAT8, r -> new double[] {Double.NaN, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
            -Double.MAX_VALUE, r.nextGaussian() * 1e6, r.nextGaussian()}[r.nextInt(8)]);
        checkOrder(Types.NUMERIC, KeyEncodingTest::randomNumeric);
        checkOrder(Types.TEXT, KeyEncodingTest::randomString);
        checkOrder(Types.VARCHAR, KeyEncodingTest::randomString);
        checkOrder(Types.BPCHAR, r -> randomString(r) + " ".repeat(r.nextInt(3)));
        checkOrder(Types.NAME, KeyEncodingTest::randomString);
        checkOrder(Types.BYTEA, r -> {
            byte[] b = new byte[r.nextInt(4)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) new int[] {0, 1, 0xff, 0x80, 0x7f}[r.nextInt(5)];
            }
            return b;
        });
        checkOrder(Types.CHAR, r -> r.nextInt(5) == 0 ? "" : String.valueOf((char) r.nextInt(256)));
        checkOrder(Types.DATE, r -> r.nextInt(20) == 0 ? DateTime.DATE_NOEND : r.nextInt(200000) - 100000);
        checkOrder(Types.TIME, r -> (long) (r.nextDouble() * DateTime.USECS_PER_DAY));
        checkOrder(Types.TIMESTAMP, r -> r.nextInt(20) == 0 ? DateTime.DT_NOBEGIN : r.nextLong() >> 8);
        checkOrder(Types.TIMESTAMPTZ, r -> r.nextLong() >> 10);
        checkOrder(Types.INTERVAL, r -> new Interval(r.nextInt(2000) - 1000, r.nextInt(70) - 35,
                r.nextLong() % (3 * DateTime.USECS_PER_DAY)));
        checkOrder(Types.UUID, r -> new UUID(r.nextLong(), r.nextLong()));
        checkOrder(Types.PG_LSN, r -> r.nextLong());
        checkOrder(Types.INT4_ARRAY, r -> {
            Object[] v = new Object[r.nextInt(4)];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(5) == 0 ? null : r.nextInt(5) - 2;
            }
            return PgArray.of(Types.INT4, v);
        });
    }

    @Test
    void equalValuesEncodeEqually() {
        Type[] n = {Types.NUMERIC};
        assertTrue(Arrays.equals(KeyEncoding.encode(n, new Object[] {new BigDecimal("1.0")}, null),
                KeyEncoding.encode(n, new Object[] {new BigDecimal("1.000")}, null)));
        Type[] iv = {Types.INTERVAL};
        assertTrue(Arrays.equals(KeyEncoding.encode(iv, new Object[] {new Interval(0, 1, 0)}, null),
                KeyEncoding.encode(iv, new Object[] {new Interval(0, 0, DateTime.USECS_PER_DAY)}, null)));
        Type[] b = {Types.BPCHAR};
        assertTrue(Arrays.equals(KeyEncoding.encode(b, new Object[] {"ab"}, null),
                KeyEncoding.encode(b, new Object[] {"ab   "}, null)));
    }

    @Test
    void multiColumnKeysArePrefixFriendlyAndHonourNullsAndDirection() {
        Type[] t = {Types.TEXT, Types.INT4, Types.NUMERIC};
        boolean[] desc = {false, true, false};
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(new Object[] {rnd.nextInt(6) == 0 ? null : randomString(rnd),
                rnd.nextInt(6) == 0 ? null : rnd.nextInt(5), rnd.nextInt(6) == 0 ? null : randomNumeric(rnd)});
        }
        for (Object[] a : rows) {
            byte[] full = KeyEncoding.encode(t, a, desc);
            byte[] prefix = KeyEncoding.encode(t, Arrays.copyOf(a, 2), desc);
            assertTrue(Arrays.equals(prefix, Arrays.copyOf(full, prefix.length)), "prefix property");
            // a probe with the first column only compares equal to the stored key (KeyComparator contract)
            byte[] probe = KeyEncoding.encode(t, Arrays.copyOf(a, 1), desc);
            assertEquals(0, KeyComparator.BYTEWISE.compare(probe, ByteBuffer.wrap(full), 0, full.length));
            for (int k = 0; k < 20; k++) {
                Object[] b = rows.get(rnd.nextInt(rows.size()));
                assertEquals(Integer.signum(rowCompare(t, desc, a, b)),
                        bytewise(full, KeyEncoding.encode(t, b, desc)));
            }
        }
    }

    /** ORDER BY semantics: ASC NULLS LAST, DESC NULLS FIRST. */
    static int rowCompare(Type[] t, boolean[] desc, Object[] a, Object[] b) {
        for (int i = 0; i < t.length; i++) {
            int c;
            if (a[i] == null || b[i] == null) {
                c = a[i] == null ? (b[i] == null ? 0 : 1) : -1;
            } else {
                c = Compare.compare(t[i], a[i], b[i]);
            }
            if (desc[i]) {
                c = -c;
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
