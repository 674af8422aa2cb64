package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.backend.Peer;
import modgres.api.error.PgException;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlSession;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.storage.fsm.FreeSpaceMapComponent;
import modgres.storage.heap.HeapComponent;
import modgres.storage.nbtree.BTreeComponent;
import modgres.storage.smgr.MdStorage;
import modgres.txn.LockManagerComponent;
import modgres.txn.TransactionManagerComponent;
import modgres.wal.internal.SyncMethod;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/**
 * The engine with tables: the real WAL, storage manager, buffer pool, heap,
 * B-tree, lock and transaction managers (without OSGi) on a temporary data
 * directory, wired into the engine as its service references would be.
 * Statements run through a session's simple query protocol and come back as
 * the RecordingSink's short strings, or as psql-like tables (see {@link #table}).
 */
abstract class DataEngineTestBase {
    @TempDir
    Path dataDir;
    SqlEngineComponent engine;
    SqlSession session;
    /** The buffer pool of the engine's storage (for services a subclass adds). */
    SharedBufferPool pool;
    private WriteAheadLog wal;
    private MdStorage smgr;

    private static final Logger LOGGER = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (method.getReturnType() == boolean.class) {
                    return false;
                }
                if (method.getName().equals("getName") || method.getName().equals("toString")) {
                    return "test";
                }
                return null;
            });

    private static final LoggerFactory LOGGERS = (LoggerFactory) Proxy.newProxyInstance(
            LoggerFactory.class.getClassLoader(), new Class<?>[] {LoggerFactory.class}, (proxy, method, args) -> {
                if (method.getName().equals("getLogger")) {
                    return LOGGER;
                }
                if (method.getName().equals("toString")) {
                    return "LoggerFactory";
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @BeforeEach
    void setUpData() throws Exception {
        Files.createDirectories(dataDir.resolve("global"));
        Files.writeString(dataDir.resolve("global/pg_authid.bootstrap"),
                "# rolname\trolsuper\trolpassword\npostgres\tt\t\n");
        ServerLog log = ServerLog.of(LOGGER, LogContext.process(1, "test"));
        smgr = new MdStorage(dataDir, 1024, 64, true, log);
        wal = new WriteAheadLog(WalConfig.defaults(dataDir).withSegmentSize(1024 * 1024).withWalBuffers(16)
                .withSync(SyncMethod.FDATASYNC, false), log);
        wal.startAt(wal.findEnd(0));
        pool = new SharedBufferPool(512, smgr);
        pool.setWalFlusher(wal::flush);
        FreeSpaceMapComponent fsm = new FreeSpaceMapComponent(pool, smgr, LOGGERS);
        TestSettings settings = new TestSettings(dataDir);
        LockManagerComponent locks = new LockManagerComponent();
        TransactionManagerComponent tm = new TransactionManagerComponent(wal, locks, settings, LOGGER);
        engine = new SqlEngineComponent(settings);
        inject("heap", new HeapComponent(pool, wal, smgr, fsm, tm));
        inject("btree", new BTreeComponent(pool, wal, smgr));
        inject("transactions", tm);
        inject("locks", locks);
        inject("wal", wal);
        inject("tempStorage", new modgres.storage.local.TempRelationStorageComponent(dataDir, true, smgr, tm, pool, log));
        moreServices();
        session = engine.open(new SessionInfo(4242, "postgres", "postgres", new Peer(true, null, 0), Map.of()));
    }

    /** A subclass's further services, injected before the first session opens. */
    void moreServices() throws Exception {
    }

    void inject(String field, Object service) throws ReflectiveOperationException {
        Field f = SqlEngineComponent.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(engine, service);
    }

    @AfterEach
    void tearDownData() throws IOException {
        session.close();
        wal.close();
        smgr.close();
    }

    /** The protocol events of a statement (or several): "T a:23", "D 1|x", "C SELECT 1", "N NOTICE ...". */
    List<String> run(String sql) {
        RecordingSink sink = new RecordingSink();
        session.simpleQuery(sql, sink);
        return sink.events;
    }

    /** Runs statements whose results do not matter (set-up). */
    void exec(String... sql) {
        for (String s : sql) {
            run(s);
        }
    }

    PgException error(String sql) {
        return assertThrows(PgException.class, () -> run(sql));
    }

    /** Checks an error's SQLSTATE and message. */
    PgException error(String sql, String state, String message) {
        PgException e = error(sql);
        assertEquals(state + " " + message, e.sqlState() + " " + e.getMessage());
        return e;
    }

    /**
     * A query's rows as psql prints them with {@code -A -F '|'} (unaligned, header first, NULL as empty):
     * the format the PostgreSQL 15 outputs in the tests were taken in.
     */
    List<String> table(String sql) {
        List<String> out = new ArrayList<>();
        for (String e : run(sql)) {
            if (e.startsWith("T ")) {
                StringBuilder h = new StringBuilder();
                for (String c : e.substring(2).split(" ")) {
                    h.append(h.isEmpty() ? "" : "|").append(c, 0, c.lastIndexOf(':'));
                }
                out.add(h.toString());
            } else if (e.startsWith("D ")) {
                List<String> fields = new ArrayList<>();
                for (String f : e.substring(2).split("\\|", -1)) {
                    fields.add(f.equals("NULL") ? "" : f);
                }
                out.add(String.join("|", fields));
            }
        }
        return out;
    }

    /** EXPLAIN's lines without the cost figures (PostgreSQL's COSTS OFF). */
    List<String> plan(String sql) {
        List<String> out = new ArrayList<>();
        for (String e : run("EXPLAIN " + sql)) {
            if (e.startsWith("D ")) {
                out.add(e.substring(2).replaceAll("  \\(cost=[^)]*\\)", ""));
            }
        }
        return out;
    }
}
