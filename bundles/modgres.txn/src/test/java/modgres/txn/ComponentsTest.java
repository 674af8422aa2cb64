package modgres.txn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.error.PgException;
import modgres.api.settings.Settings;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;
import modgres.api.txn.XidStatus;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.txn.testing.TestLog;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

class ComponentsTest {

    @TempDir
    Path data;

    private final TestLog log = new TestLog();

    private Settings settings(Integer deadlockTimeout) {
        return (Settings) Proxy.newProxyInstance(Settings.class.getClassLoader(), new Class<?>[] {Settings.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "dataDirectory" -> data;
                    case "find" -> Optional.empty();
                    case "getInt" -> {
                        if ("deadlock_timeout".equals(args[0]) && deadlockTimeout != null) {
                            yield deadlockTimeout;
                        }
                        throw new PgException("42704", "unrecognized configuration parameter \"" + args[0] + "\"");
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private WriteAheadLog openWal() {
        WriteAheadLog wal = new WriteAheadLog(WalConfig.defaults(data).withSegmentSize(1024 * 1024)
                .withWalBuffers(16), log.log);
        wal.startAt(wal.findEnd(0));
        return wal;
    }

    @Test
    void statusSurvivesARestartOfTheComponents() {
        WriteAheadLog wal = openWal();
        LockManagerComponent locks = new LockManagerComponent();
        TransactionManagerComponent tm = new TransactionManagerComponent(wal, locks, settings(null), log.logger);
        assertTrue(Files.isDirectory(data.resolve("pg_xact")), "created at activation");
        int a = tm.assignXid(1);
        int b = tm.assignXid(2);
        int c = tm.assignXid(3);
        tm.commit(1, a, new int[0], true);
        tm.abort(2, b, new int[0]);
        long next = tm.nextFullXid();
        int oid = tm.nextOid();
        tm.checkpoint(wal.advanceRedoPointer(), true);
        tm.deactivate();
        locks.deactivate();
        wal.close();

        WriteAheadLog wal2 = openWal();
        LockManagerComponent locks2 = new LockManagerComponent();
        TransactionManagerComponent tm2 = new TransactionManagerComponent(wal2, locks2, settings(null), log.logger);
        tm2.recoveryStart(next, oid);
        assertEquals(XidStatus.COMMITTED, tm2.status(a));
        assertEquals(XidStatus.ABORTED, tm2.status(b));
        assertEquals(XidStatus.ABORTED, tm2.status(c), "running at shutdown");
        assertEquals(next, tm2.nextFullXid());
        assertEquals(next, tm2.assignXid(4));
        tm2.deactivate();
        locks2.deactivate();
        wal2.close();
    }

    @Test
    void redoHandlerReplaysAndDescribesXactAndClogRecords() {
        WriteAheadLog wal = openWal();
        LockManagerComponent locks = new LockManagerComponent();
        TransactionManagerComponent tm = new TransactionManagerComponent(wal, locks, settings(null), log.logger);
        assertArrayEquals(new byte[] {ResourceManager.XACT, ResourceManager.CLOG, ResourceManager.MULTIXACT},
                tm.resourceManagers());
        int a = tm.assignXid(1);
        int s = tm.assignSubXid(1, a);
        tm.commit(1, a, new int[] {s}, true);
        wal.flush(wal.insertPosition());
        TransactionManagerComponent replay = new TransactionManagerComponent(wal, new LockManagerComponent(),
                settings(null), log.logger);
        // a different data directory would be a new cluster; here the same pg_xact is read, so wipe the bits
        replay.delegate().commitLog().zeroPage(0, false);
        assertEquals(XidStatus.ABORTED, replay.status(a));
        replay.recoveryStart(3, 16384);
        replay.startup();
        try (WalReader r = wal.reader(0)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                if (rec.rmgr() == ResourceManager.CLOG) {
                    assertEquals("ZEROPAGE page 0", replay.describe(rec));
                    replay.redo(rec, null);
                } else if (rec.rmgr() == ResourceManager.XACT) {
                    assertTrue(replay.describe(rec).matches(
                            "COMMIT \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} UTC; subxacts: " + s),
                            replay.describe(rec));
                    replay.redo(rec, null);
                }
            }
        }
        replay.cleanup();
        assertEquals(XidStatus.COMMITTED, replay.status(a));
        assertEquals(XidStatus.COMMITTED, replay.status(s));
        assertEquals(s + 1, replay.nextFullXid());
        tm.deactivate();
        wal.close();
    }

    @Test
    void lockManagerReadsDeadlockTimeoutFromTheSettingsWhenThere() throws Exception {
        LockManagerComponent lm = new LockManagerComponent();
        assertEquals(1000, lm.deadlockTimeoutMillis(), "no settings service: PostgreSQL's default");
        lm.settings = settings(null);
        assertEquals(1000, lm.deadlockTimeoutMillis(), "a settings service without it");
        lm.settings = settings(120);
        assertEquals(120, lm.deadlockTimeoutMillis());
        // and it is what a wait uses
        LockTag r1 = LockTag.relation(5, 1);
        LockTag r2 = LockTag.relation(5, 2);
        lm.lock(1, r1, LockMode.ACCESS_EXCLUSIVE, 0);
        lm.lock(2, r2, LockMode.ACCESS_EXCLUSIVE, 0);
        CompletableFuture<Throwable> a = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                lm.lock(1, r2, LockMode.ACCESS_EXCLUSIVE, 0);
                a.complete(null);
            } catch (Throwable e) {
                lm.releaseAll(1);
                a.complete(e);
            }
        });
        t.start();
        while (lm.locks().stream().noneMatch(i -> !i.granted())) {
            Thread.sleep(2);
        }
        Thread.sleep(40); // pid 1's check (at ~120 ms) comes before the main thread's
        long start = System.nanoTime();
        lm.lock(2, r1, LockMode.ACCESS_EXCLUSIVE, 0); // closes the cycle; pid 1 is checked first and fails
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        PgException e = assertInstanceOf(PgException.class, a.get(5, TimeUnit.SECONDS));
        assertEquals("40P01", e.sqlState());
        assertTrue(ms < 700, "detected after ~120 ms, not the default second: " + ms);
        t.join();
        lm.releaseAll(2);
        assertEquals(List.of(), lm.locks());
        lm.deactivate();
    }
}
