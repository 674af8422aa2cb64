package modgres.sql.exec.spill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.error.PgException;
import modgres.sql.types.Interval;
import modgres.sql.types.NumericSpecial;
import modgres.sql.types.PgArray;
import modgres.sql.types.Types;

/** The spill package's pieces on their own: temporary files, the row codec, the external sort. */
class ExternalSortTest {
    @TempDir
    Path dataDir;

    private final SpillFixtures.Types4Test ts = new SpillFixtures.Types4Test();

    private TempFileSpace space(long limit) {
        return new TempFileSpace(dataDir, 77, limit, -1, null, null);
    }

    private RowCodec codec(int... types) {
        return new RowCodec(types, ts::form, ts::deform);
    }

    @Test
    void filesAreNamedLikePostgresAndRemoved() {
        List<Long> deleted = new ArrayList<>();
        List<String> log = new ArrayList<>();
        TempFileSpace s = new TempFileSpace(dataDir, 1234, -1, 0, log::add, deleted::add);
        TempFileSpace.Usage u = new TempFileSpace.Usage();
        TempFile f = s.create(u);
        TempFile g = s.create(u);
        assertEquals("base/pgsql_tmp/pgsql_tmp1234.0", f.relativePath());
        assertEquals("base/pgsql_tmp/pgsql_tmp1234.1", g.relativePath());
        assertTrue(Files.exists(dataDir.resolve("base/pgsql_tmp/pgsql_tmp1234.0")));
        for (int i = 0; i < 5000; i++) {
            f.writeVarLong(i);
        }
        long middle = f.length();
        f.writeVarLong(5000);
        f.startReading();
        TempFile.Reader all = f.reader();
        for (int i = 0; i < 5000; i++) {
            assertEquals(i, all.readVarLong());
        }
        TempFile.Reader tail = f.reader(middle, f.length());
        assertEquals(5000, all.readVarLong());
        assertTrue(all.atEnd());
        assertEquals(5000, tail.readVarLong());
        assertTrue(tail.atEnd());
        assertEquals(2, s.liveFiles());
        f.delete();
        f.delete(); // idempotent
        assertEquals(List.of(f.size()), deleted);
        assertEquals(List.of("temporary file: path \"base/pgsql_tmp/pgsql_tmp1234.0\", size " + f.size()), log);
        assertFalse(Files.exists(f.path()));
        s.closeAll();
        assertEquals(0, s.liveFiles());
        assertEquals(0, s.liveBytes());
        assertEquals(List.of(), SpillFixtures.tempFiles(dataDir));
        assertEquals(2, u.files());
    }

    @Test
    void logTempFilesThresholdAndNameInUseIsSkipped() throws IOException {
        Files.createDirectories(dataDir.resolve("base/pgsql_tmp"));
        Files.writeString(dataDir.resolve("base/pgsql_tmp/pgsql_tmp9.0"), "someone else's");
        List<String> log = new ArrayList<>();
        TempFileSpace s = new TempFileSpace(dataDir, 9, -1, 10_000, log::add, null);
        TempFile small = s.create(null);
        assertEquals("base/pgsql_tmp/pgsql_tmp9.1", small.relativePath());
        small.writeLong(1);
        small.startReading();
        TempFile big = s.create(null);
        for (int i = 0; i < 2000; i++) {
            big.writeLong(i);
        }
        big.startReading();
        s.closeAll();
        assertEquals(List.of("temporary file: path \"base/pgsql_tmp/pgsql_tmp9.2\", size 16000"), log);
    }

    @Test
    void tempFileLimitFailsWith53400() {
        TempFileSpace s = space(16 * 1024);
        TempFile f = s.create(null);
        PgException e = assertThrows(PgException.class, () -> {
            for (int i = 0; i < 100_000; i++) {
                f.writeLong(i);
            }
        });
        assertEquals("53400", e.sqlState());
        assertEquals("temporary file size exceeds temp_file_limit (16kB)", e.getMessage());
        assertTrue(s.liveBytes() <= 16 * 1024);
        s.closeAll();
        assertEquals(List.of(), SpillFixtures.tempFiles(dataDir));
    }

    @Test
    void rowsRoundTripWithTheirClasses() {
        int[] types = {16, 21, 23, 20, 700, 701, 25, 17, 1700, 2950, 1186, 1016, 1700, 27, 20};
        Object[] row = {true, (short) -7, 42, -9_000_000_000L, 1.5f, -0.0, "héllo ☃", new byte[] {1, 2, 3},
            new BigDecimal("-12345678901234567890.000100"), UUID.randomUUID(), new Interval(1, 2, 3_000_000L),
            new PgArray(Types.INT8, new Object[] {1L, null, 3L}, new int[] {3}, new int[] {1}),
            NumericSpecial.NAN, (5L << 32) | 7, null};
        TempFileSpace s = space(-1);
        TempFile f = s.create(null);
        RowCodec c = codec(types);
        c.write(f, row);
        c.write(f, new Object[] {false});
        f.startReading();
        Object[] back = c.read(f);
        assertEquals(row.length, back.length);
        for (int i = 0; i < row.length; i++) {
            if (row[i] instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) back[i]);
            } else if (row[i] instanceof PgArray a) {
                assertArrayEquals(a.values(), ((PgArray) back[i]).values());
            } else {
                assertEquals(row[i], back[i], "column " + i);
                if (row[i] != null) {
                    assertEquals(row[i].getClass(), back[i].getClass());
                }
            }
        }
        assertEquals(new BigDecimal("-12345678901234567890.000100").scale(), ((BigDecimal) back[8]).scale());
        assertArrayEquals(new Object[] {false}, c.read(f));
        assertNull(c.read(f));
        assertEquals(2, f.rows());
        s.closeAll();
    }

    @Test
    void estimateCountsValues() {
        assertEquals(16 + 16, RowCodec.estimate(new Object[] {null, true}));
        assertEquals(16 + 8 + 16, RowCodec.estimate(new Object[] {1L}));
        assertEquals(16 + 8 + 48 + 5, RowCodec.estimate(new Object[] {"hello"}));
    }

    private static List<Object[]> randomRows(int n, long seed) {
        Random r = new Random(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Object[] {(long) r.nextInt(n / 10), "payload-" + r.nextInt(), (long) i});
        }
        return rows;
    }

    private static final Comparator<Object[]> BY_KEY = Comparator.comparingLong(a -> (Long) a[0]);

    private List<Object[]> sort(List<Object[]> in, long workMem, TempFileSpace s, ExternalSort[] keep) {
        ExternalSort sort = new ExternalSort(BY_KEY, workMem, () -> s, codec(20, 25, 20), null);
        keep[0] = sort;
        for (Object[] r : in) {
            sort.put(r.clone());
        }
        sort.finish();
        List<Object[]> out = new ArrayList<>();
        for (Object[] r = sort.next(); r != null; r = sort.next()) {
            out.add(r);
        }
        return out;
    }

    @Test
    void externalSortIsStableAndEqualsInMemorySort() {
        List<Object[]> in = randomRows(60_000, 1);
        List<Object[]> expected = new ArrayList<>(in);
        expected.sort(BY_KEY); // List.sort is stable
        TempFileSpace s = space(-1);
        ExternalSort[] sorts = new ExternalSort[1];
        List<Object[]> out = sort(in, 64 * 1024, s, sorts);
        ExternalSort sort = sorts[0];
        assertTrue(sort.external());
        assertTrue(sort.runsWritten() > 6 * 6, "enough runs for more than one merge pass: " + sort.runsWritten());
        assertTrue(s.liveFiles() <= 2, "the runs share a file: " + s.liveFiles());
        assertEquals(expected.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            assertArrayEquals(expected.get(i), out.get(i), "row " + i);
        }
        assertTrue(sort.disk().peakKb() > 0);
        assertEquals(0, sort.disk().peakKb() % 8);
        sort.close();
        assertEquals(0, s.liveFiles());
        assertEquals(List.of(), SpillFixtures.tempFiles(dataDir));
    }

    @Test
    void smallSortStaysInMemory() {
        List<Object[]> in = randomRows(1000, 2);
        TempFileSpace s = space(-1);
        ExternalSort[] sorts = new ExternalSort[1];
        List<Object[]> out = sort(in, 4L << 20, s, sorts);
        assertFalse(sorts[0].external());
        assertEquals(1000, out.size());
        assertTrue(sorts[0].memoryPeak() > 1000 * 100);
        assertEquals(0, s.liveFiles());
    }

    @Test
    void methodNamesFollowTuplesort() {
        // rows of one Long cost 16 + 8 + 16 bytes, plus 8 for the list slot: 100 of them overflow 4799 bytes
        TempFileSpace s = space(-1);
        ExternalSort one = new ExternalSort(BY_KEY, 100 * 48 - 1, () -> s, codec(20), null);
        for (long i = 100; i > 0; i--) {
            one.put(new Object[] {i});
        }
        one.finish();
        assertEquals("external sort", one.method()); // a single run, nothing to merge (TSS_SORTEDONTAPE)
        assertEquals(1L, one.next()[0]);
        one.close();
        ExternalSort two = new ExternalSort(BY_KEY, 100 * 48 - 1, () -> s, codec(20), null);
        for (long i = 101; i > 0; i--) {
            two.put(new Object[] {i});
        }
        two.finish();
        assertEquals("external merge", two.method());
        two.close();
        ExternalSort mem = new ExternalSort(BY_KEY, 100 * 48, () -> s, codec(20), null);
        for (long i = 100; i > 0; i--) {
            mem.put(new Object[] {i});
        }
        mem.finish();
        assertEquals("quicksort", mem.method());
        assertEquals(0, s.liveFiles());
    }

    @Test
    void noTemporaryFilesMeansMemory() {
        ExternalSort sort = new ExternalSort(BY_KEY, 64 * 1024, () -> null, codec(20, 25, 20), null);
        for (Object[] r : randomRows(20_000, 3)) {
            sort.put(r);
        }
        sort.finish();
        assertFalse(sort.external());
        int n = 0;
        long last = Long.MIN_VALUE;
        for (Object[] r = sort.next(); r != null; r = sort.next()) {
            assertTrue((Long) r[0] >= last);
            last = (Long) r[0];
            n++;
        }
        assertEquals(20_000, n);
    }

    @Test
    void closingInTheMiddleRemovesEverything() {
        TempFileSpace s = space(-1);
        ExternalSort sort = new ExternalSort(BY_KEY, 64 * 1024, () -> s, codec(20, 25, 20), null);
        for (Object[] r : randomRows(30_000, 4)) {
            sort.put(r);
        }
        assertEquals(1, s.liveFiles());
        sort.close(); // before finish: an error while reading the input
        assertEquals(0, s.liveFiles());
        assertEquals(List.of(), SpillFixtures.tempFiles(dataDir));

        ExternalSort merging = new ExternalSort(BY_KEY, 64 * 1024, () -> s, codec(20, 25, 20), null);
        for (Object[] r : randomRows(30_000, 5)) {
            merging.put(r);
        }
        merging.finish();
        merging.next();
        merging.close(); // in the final merge
        assertEquals(List.of(), SpillFixtures.tempFiles(dataDir));
    }

    @Test
    void mergeOrderFollowsWorkMem() {
        assertEquals(6, ExternalSort.mergeOrder(64 * 1024));
        assertEquals(15, ExternalSort.mergeOrder(4L << 20));
        assertEquals(500, ExternalSort.mergeOrder(1L << 30));
    }

    @Test
    void partitionsAreAPowerOfTwoWithinBounds() {
        assertEquals(4, HashPartitions.choose(10, 100, 128 * 1024));
        int n = HashPartitions.choose(1_000_000, 200, 8L << 20);
        assertEquals(1, Integer.bitCount(n));
        assertTrue(n >= 32 && n <= 256, "partitions " + n);
        assertEquals(512, HashPartitions.choose(1e9, 200, 1L << 30));
        assertEquals(1024, HashPartitions.choose(1e12, 200, 1L << 30));
    }

    @Test
    void removePgTempFilesAtStart() throws IOException {
        Path tmp = Files.createDirectories(dataDir.resolve("base/pgsql_tmp"));
        Files.writeString(tmp.resolve("pgsql_tmp1.0"), "x");
        Files.writeString(tmp.resolve("pgsql_tmp1.1"), "x");
        Path fileset = Files.createDirectories(tmp.resolve("pgsql_tmp3.0.fileset"));
        Files.writeString(fileset.resolve("o1of2.p0.0"), "x");
        Files.writeString(tmp.resolve("keep.me"), "not ours");
        Path ts = Files.createDirectories(dataDir.resolve("pg_tblspc/16400/PG_15_202209061/pgsql_tmp"));
        Files.writeString(ts.resolve("pgsql_tmp5.3"), "x");
        assertEquals(4, TempFileSpace.removePgTempFiles(dataDir));
        assertEquals(List.of(tmp.resolve("keep.me")), SpillFixtures.tempFiles(dataDir));
        assertFalse(Files.exists(ts.resolve("pgsql_tmp5.3")));
        assertEquals(0, TempFileSpace.removePgTempFiles(dataDir.resolve("nowhere")));
        assertEquals(0, TempFileSpace.removePgTempFiles(null));
    }

    @Test
    void theSqlEngineRemovesLeftoversWhenItStarts() throws IOException {
        Path tmp = Files.createDirectories(dataDir.resolve("base/pgsql_tmp"));
        Files.writeString(tmp.resolve("pgsql_tmp4242.7"), "left by a crash");
        modgres.api.settings.Settings settings = (modgres.api.settings.Settings) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {modgres.api.settings.Settings.class}, (proxy, m, args) -> {
                    if (m.getName().equals("dataDirectory")) {
                        return dataDir;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        new modgres.sql.engine.SqlEngineComponent(settings);
        assertEquals(List.of(), SpillFixtures.tempFiles(dataDir));
    }

    @Test
    void writingAfterDeleteOrReadingWhileWritingIsAnError() {
        TempFileSpace s = space(-1);
        TempFile f = s.create(null);
        f.writeByte(1);
        assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class, f::reader));
        f.delete();
        assertThrows(IllegalStateException.class, f::startReading);
    }
}
