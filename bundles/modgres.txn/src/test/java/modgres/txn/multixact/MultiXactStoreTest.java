package modgres.txn.multixact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.error.PgException;
import modgres.api.txn.MultiXactMember;
import modgres.api.txn.MultiXactStatus;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.txn.testing.TestLog;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/** pg_multixact/: creation, layout, restart, WAL and redo after a crash. */
class MultiXactStoreTest {

    @TempDir
    Path data;

    private final TestLog log = new TestLog();

    private WriteAheadLog openWal() {
        WriteAheadLog wal = new WriteAheadLog(WalConfig.defaults(data).withSegmentSize(1024 * 1024)
                .withWalBuffers(16), log.log);
        wal.startAt(wal.findEnd(0));
        return wal;
    }

    private static MultiXactMember m(int xid, MultiXactStatus s) {
        return new MultiXactMember(xid, s);
    }

    /** The members the test gives multi number {@code i}: 1..5 members, at most one updater. */
    private static MultiXactMember[] membersFor(int i) {
        int n = 1 + i % 5;
        MultiXactMember[] ms = new MultiXactMember[n];
        for (int k = 0; k < n; k++) {
            MultiXactStatus s = k == n - 1 && i % 2 == 0 ? MultiXactStatus.values()[4 + i % 4 / 2]
                    : MultiXactStatus.values()[(i + k) % 4];
            ms[k] = m(1000 + i * 7 + k, s);
        }
        return ms;
    }

    @Test
    void createsReadsAndLaysOutAsPostgreSql() throws Exception {
        WriteAheadLog wal = openWal();
        MultiXactStore s = new MultiXactStore(data.resolve("pg_multixact"), wal, false);
        assertEquals(1, s.nextMultiId());
        int a = s.create(new MultiXactMember[] {m(745, MultiXactStatus.FOR_KEY_SHARE),
            m(746, MultiXactStatus.NO_KEY_UPDATE)});
        int b = s.create(new MultiXactMember[] {m(747, MultiXactStatus.FOR_SHARE), m(748, MultiXactStatus.FOR_SHARE),
            m(749, MultiXactStatus.FOR_UPDATE)});
        assertEquals(1, a);
        assertEquals(2, b);
        assertEquals(3, s.nextMultiId());
        assertEquals(List.of(m(745, MultiXactStatus.FOR_KEY_SHARE), m(746, MultiXactStatus.NO_KEY_UPDATE)),
                List.of(s.members(a)));
        assertEquals(3, s.members(b).length);
        assertEquals(0, s.members(0).length);
        assertEquals(0, s.members(3).length, "never created");
        assertThrows(PgException.class, () -> s.create(new MultiXactMember[] {m(750, MultiXactStatus.UPDATE),
            m(751, MultiXactStatus.NO_KEY_UPDATE)}));
        s.checkpoint();
        // offsets/0000: offset of multi m at 4*m; members/0000: groups of 4 flag bytes + 4 xids
        ByteBuffer off = ByteBuffer.wrap(Files.readAllBytes(data.resolve("pg_multixact/offsets/0000")))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, off.getInt(4));
        assertEquals(3, off.getInt(8));
        ByteBuffer mem = ByteBuffer.wrap(Files.readAllBytes(data.resolve("pg_multixact/members/0000")))
                .order(ByteOrder.LITTLE_ENDIAN);
        // offset 1..2 = multi 1, 3..5 = multi 2: group 0 holds offsets 0..3, group 1 offsets 4..7
        assertEquals(MultiXactStatus.FOR_KEY_SHARE.ordinal(), mem.get(1));
        assertEquals(745, mem.getInt(4 + 4));
        assertEquals(MultiXactStatus.NO_KEY_UPDATE.ordinal(), mem.get(2));
        assertEquals(747, mem.getInt(4 + 12));
        assertEquals(MultiXactStatus.FOR_UPDATE.ordinal(), mem.get(20 + 1));
        assertEquals(749, mem.getInt(20 + 4 + 4));
        // the WAL record and its text
        wal.flush(wal.insertPosition());
        List<String> texts = new ArrayList<>();
        try (WalReader r = wal.reader(0)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                if (rec.rmgr() == ResourceManager.MULTIXACT) {
                    texts.add(MultiXactStore.describe(rec));
                }
            }
        }
        assertEquals(List.of("1 offset 1 nmembers 2: 745 (keysh) 746 (nokeyupd) ",
                "2 offset 3 nmembers 3: 747 (sh) 748 (sh) 749 (forupd) "), texts);
        wal.close();
    }

    @Test
    void survivesARestartAcrossPagesAndSegments() {
        WriteAheadLog wal = openWal();
        MultiXactStore s = new MultiXactStore(data.resolve("pg_multixact"), wal, true);
        int n = 2 * MultiXactStore.OFFSETS_PER_PAGE + 100; // three offsets pages, several members pages
        for (int i = 1; i <= n; i++) {
            assertEquals(i, s.create(membersFor(i)));
        }
        s.writeDirty(); // a clean stop
        wal.close();
        WriteAheadLog wal2 = openWal();
        MultiXactStore t = new MultiXactStore(data.resolve("pg_multixact"), wal2, true);
        assertEquals(n + 1, t.nextMultiId(), "counters found from the files");
        for (int i = 1; i <= n; i += 97) {
            assertArrayEquals(membersFor(i), t.members(i), "multi " + i);
        }
        assertArrayEquals(membersFor(n), t.members(n), "the newest one, ending at the next offset");
        int next = t.create(new MultiXactMember[] {m(5, MultiXactStatus.FOR_SHARE), m(6, MultiXactStatus.FOR_SHARE)});
        assertEquals(n + 1, next);
        assertArrayEquals(membersFor(n), t.members(n), "unchanged by the next one");
        assertEquals(2, t.members(next).length);
        wal2.close();
    }

    @Test
    void crashRecoveryReplaysCreateRecords() {
        WriteAheadLog wal = openWal();
        Path dir = data.resolve("pg_multixact");
        MultiXactStore s = new MultiXactStore(dir, wal, true);
        for (int i = 1; i <= 300; i++) {
            s.create(membersFor(i));
        }
        s.checkpoint(); // the first 300 are on disk
        long redoFrom = wal.insertPosition();
        for (int i = 301; i <= 2500; i++) {
            s.create(membersFor(i)); // these only in the WAL (plus what eviction wrote)
        }
        wal.flush(wal.insertPosition());
        wal.close(); // crash: the store's dirty pages are lost

        WriteAheadLog wal2 = new WriteAheadLog(WalConfig.defaults(data).withSegmentSize(1024 * 1024)
                .withWalBuffers(16), log.log);
        MultiXactStore r = new MultiXactStore(dir, wal2, true);
        assertTrue(r.nextMultiId() >= 301, "at least what the checkpoint wrote");
        int replayed = 0;
        try (WalReader rd = wal2.reader(0)) {
            WalRecord rec;
            while ((rec = rd.next()) != null) {
                if (rec.rmgr() == ResourceManager.MULTIXACT) {
                    r.redo(rec); // from the start: the first 300 again, harmlessly
                    replayed++;
                }
            }
            wal2.startAt(rd.end());
        }
        assertEquals(2500, replayed);
        assertTrue(redoFrom > 0);
        assertEquals(2501, r.nextMultiId());
        for (int i = 1; i <= 2500; i += 37) {
            assertArrayEquals(membersFor(i), r.members(i), "multi " + i);
        }
        assertArrayEquals(membersFor(2500), r.members(2500));
        assertEquals(2501, r.create(membersFor(1)));
        r.checkpoint();
        wal2.close();
        // and once more, from the files alone
        WriteAheadLog wal3 = openWal();
        MultiXactStore again = new MultiXactStore(dir, wal3, true);
        assertEquals(2502, again.nextMultiId());
        assertArrayEquals(membersFor(1234), again.members(1234));
        wal3.close();
    }
}
