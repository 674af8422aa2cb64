package modgres.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.wal.BlockReference;
import modgres.api.wal.Lsn;
import modgres.api.wal.RedoContext;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.console.internal.format.WalDumpFormatter;
import modgres.wal.internal.SyncMethod;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/** {@code modgres:waldump} over a real WAL, with pg_waldump's line format. */
class WalDumpTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;
    private WriteAheadLog wal;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        if (wal != null) {
            wal.close();
        }
    }

    private static ServerLog quietLog() {
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
        return ServerLog.of(logger, LogContext.process(1, "test"));
    }

    /** A handler that only describes. */
    private static RedoHandler describing(byte rmgr, String text) {
        return new RedoHandler() {
            @Override
            public byte[] resourceManagers() {
                return new byte[] {rmgr};
            }

            @Override
            public void redo(WalRecord record, RedoContext context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String describe(WalRecord record) {
                return text;
            }
        };
    }

    private String[] lines() {
        String s = out.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? new String[0] : s.split("\n");
    }

    private long[] writeThree() {
        wal = new WriteAheadLog(WalConfig.defaults(dir).withSegmentSize(1 << 20).withWalBuffers(16)
                .withSync(SyncMethod.FDATASYNC, false), quietLog());
        wal.startAt(wal.findEnd(Lsn.INVALID));
        long a = wal.insertPosition();
        wal.insert(WalRecord.builder(ResourceManager.HEAP, (byte) 0).xid(740)
                .block(REL, ForkNumber.MAIN, 0, null, BlockReference.NO_IMAGE, new byte[10])
                .mainData(new byte[3]).build());
        long b = wal.insertPosition();
        ByteBuffer page = ByteBuffer.allocate(8192);
        wal.insert(WalRecord.builder(ResourceManager.XLOG, ResourceManager.XLOG_FPI)
                .block(REL, ForkNumber.FSM, 1, page, BlockReference.FORCE_IMAGE).build());
        long c = wal.insertPosition();
        long end = wal.insert(WalRecord.of(ResourceManager.BTREE, (byte) 0x10, 0, new byte[300]));
        wal.flush(end);
        return new long[] {a, b, c};
    }

    private ModgresCommands commands() {
        return new ModgresCommands(null, null, ModgresCommandsTest.context(Map.of()), wal,
                List.of(describing(ResourceManager.HEAP, "INSERT off 3 flags 0x00"),
                        describing(ResourceManager.XLOG, "FPI")));
    }

    @Test
    void everyRecordIsOneLineInPgWaldumpsFormat() {
        long[] at = writeThree();
        commands().waldump();
        String[] l = lines();
        assertEquals(3, l.length, out.toString());
        assertEquals("rmgr: Heap        len (rec/tot):     59/    59, tx:        740, lsn: "
                + WalDumpFormatter.lsn(at[0]) + ", prev 0/00000000, desc: INSERT off 3 flags 0x00, "
                + "blkref #0: rel 1663/5/16384 blk 0", l[0]);
        assertEquals("rmgr: XLOG        len (rec/tot):     49/  8241, tx:          0, lsn: "
                + WalDumpFormatter.lsn(at[1]) + ", prev " + WalDumpFormatter.lsn(at[0])
                + ", desc: FPI, blkref #0: rel 1663/5/16384 fork fsm blk 1 FPW", l[1]);
        assertEquals("rmgr: Btree       len (rec/tot):    329/   329, tx:          0, lsn: "
                + WalDumpFormatter.lsn(at[2]) + ", prev " + WalDumpFormatter.lsn(at[1]) + ", desc: UNKNOWN (10)",
                l[2]);
        assertEquals("", err.toString(StandardCharsets.UTF_8), "the flushed end of a running log is no error");
    }

    @Test
    void startAndEndSelectTheRecordsBetween() {
        long[] at = writeThree();
        commands().waldump(Lsn.format(at[1]), Lsn.format(at[2]));
        String[] l = lines();
        assertEquals(1, l.length, out.toString());
        assertTrue(l[0].contains("lsn: " + WalDumpFormatter.lsn(at[1])), l[0]);

        out.reset();
        commands().waldump(Lsn.format(at[2]));
        assertEquals(1, lines().length);
    }

    @Test
    void badLocationsAndNoWalAreReported() {
        writeThree();
        commands().waldump("zz");
        commands().waldump("0/2000000", "0/1000000");
        new ModgresCommands(null, null, ModgresCommandsTest.context(Map.of())).waldump();
        assertEquals("pg_waldump: error: invalid WAL location: \"zz\"\n"
                + "pg_waldump: error: end WAL location 0/1000000 is before start WAL location 0/2000000\n"
                + "no WAL: the modgres.wal bundle is not active\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(0, lines().length);
    }
}
