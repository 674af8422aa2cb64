package modgres.sql.toast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The pglz-format and LZ4 compressors and the varlena stored forms. */
class CompressionTest {

    private static byte[] text(int n, long seed) {
        StringBuilder s = new StringBuilder();
        Random r = new Random(seed);
        while (s.length() < n) {
            s.append("row ").append(r.nextInt(5000)).append(" value ").append(r.nextInt(50)).append('\n');
        }
        return s.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void pglzRoundTripsAndFollowsPostgresAcceptanceRules() {
        for (int n : new int[] {300, 4095, 4096, 10_000, 1 << 20}) {
            byte[] in = text(n, n);
            byte[] c = Pglz.compress(in, in.length);
            assertNotNull(c, "text of " + n + " bytes compresses");
            assertTrue(c.length <= in.length * 3 / 4, "at least 25 % saved");
            assertArrayEquals(in, Pglz.decompress(c, 0, c.length, in.length));
        }
        assertNull(Pglz.compress(new byte[31], 31), "under 32 bytes: not tried");
        assertNotNull(Pglz.compress(new byte[32], 32));
        byte[] random = new byte[100_000];
        new Random(1).nextBytes(random);
        assertNull(Pglz.compress(random, random.length), "no match in the first 1024 bytes: given up");
        // a run: one literal, then tags of 273 bytes at offset 1 (the same 117 bytes PostgreSQL's pglz makes:
        // pg_column_size(repeat('x', 10000)) is 125 = 8 bytes of header and tcinfo + 117)
        byte[] run = "x".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        byte[] c = Pglz.compress(run, run.length);
        assertEquals(117, c.length);
        assertArrayEquals(run, Pglz.decompress(c, 0, c.length, run.length));
    }

    @Test
    void corruptPglzDataIsRejected() {
        byte[] in = text(5000, 3);
        byte[] c = Pglz.compress(in, in.length);
        assertThrows(IllegalStateException.class, () -> Pglz.decompress(c, 0, c.length / 2, in.length));
        assertThrows(IllegalStateException.class, () -> Pglz.decompress(new byte[] {1, 0x10, 0x00}, 0, 3, 10));
    }

    @Test
    void lz4RoundTrips() {
        for (int n : new int[] {64, 5000, 70_000, 1 << 20}) {
            byte[] in = text(n, n + 7);
            byte[] c = Lz4.compress(in, in.length);
            assertNotNull(c);
            assertArrayEquals(in, Lz4.decompress(c, 0, c.length, in.length));
        }
        byte[] random = new byte[50_000];
        new Random(2).nextBytes(random);
        assertNull(Lz4.compress(random, random.length));
        // pg_column_size(repeat('abc', 5000)) with lz4 in PostgreSQL 15: 79 = 8 + 71
        byte[] abc = "abc".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        byte[] c = Lz4.compress(abc, abc.length);
        assertEquals(71, c.length);
        assertArrayEquals(abc, Lz4.decompress(c, 0, c.length, abc.length));
    }

    @Test
    void storedForms() {
        byte[] payload = text(3000, 9);
        byte[] img = Varlena.compressedImage(Pglz.compress(payload, payload.length), payload.length,
                Varlena.METHOD_PGLZ);
        assertEquals(2, img[0] & 3, "4-byte compressed header");
        assertEquals(img.length, Varlena.getInt(img, 0) >>> 2);
        assertArrayEquals(payload, Varlena.decompress(img, 4, img.length));
        Varlena.ExternalPointer p = new Varlena.ExternalPointer(payload.length + 4, 1234 | (1 << 30), 16400, 16390);
        byte[] ptr = p.image();
        assertEquals(18, ptr.length);
        assertEquals(0x01, ptr[0]);
        assertEquals(18, ptr[1]);
        assertEquals(p, Varlena.ExternalPointer.read(ptr, 0));
        assertTrue(p.compressed());
        assertEquals(Varlena.METHOD_LZ4, p.method());
        assertEquals(1234, p.extSize());
        assertEquals(3, Varlena.plainImage(new byte[] {7, 8})[0] >> 1, "short header: length 3");
        assertEquals(204 << 2, Varlena.getInt(Varlena.plainImage(new byte[200]), 0));
    }
}
