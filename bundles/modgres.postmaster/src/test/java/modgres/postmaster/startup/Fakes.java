package modgres.postmaster.startup;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.control.CheckpointStats;
import modgres.api.control.Checkpointer;
import modgres.api.control.ControlData;
import modgres.api.control.ControlFile;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.Xid;
import modgres.api.wal.RedoContext;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.Wal;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalState;

/** In-memory stand-ins for the services around the startup process. */
final class Fakes {
    private Fakes() {
    }

    /** A {@link ServerLog} whose records land in {@code sink}. */
    static ServerLog log(List<LogRecord> sink) {
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String s) {
                        LogRecord r = ServerLog.decode(s);
                        if (r != null) {
                            sink.add(r);
                        }
                    }
                    if (method.getReturnType() == boolean.class) {
                        return true;
                    }
                    return method.getName().equals("getName") ? "test" : null;
                });
        return ServerLog.of(logger, LogContext.process(2, "startup"));
    }

    /** Relation files in memory: the "disk" that survives a crash of the buffer pool. */
    static final class MemoryStorage implements StorageManager {
        final Map<String, List<byte[]>> files = new HashMap<>();
        final List<Boolean> recoveryModes = new ArrayList<>();
        boolean inRecovery;

        private static String key(RelFileNode rel, ForkNumber fork) {
            return rel + fork.fileSuffix();
        }

        @Override
        public synchronized boolean exists(RelFileNode rel, ForkNumber fork) {
            return files.containsKey(key(rel, fork));
        }

        @Override
        public synchronized void create(RelFileNode rel, ForkNumber fork, boolean isRedo) {
            if (files.putIfAbsent(key(rel, fork), new ArrayList<>()) != null && !isRedo) {
                throw new PgException("58P02", "could not create file \"" + relpath(rel, fork) + "\": File exists");
            }
        }

        @Override
        public synchronized void unlink(RelFileNode rel, ForkNumber fork) {
            files.remove(key(rel, fork));
        }

        @Override
        public synchronized void truncate(RelFileNode rel, ForkNumber fork, int nblocks) {
            List<byte[]> f = files.get(key(rel, fork));
            while (f != null && f.size() > nblocks) {
                f.remove(f.size() - 1);
            }
        }

        @Override
        public String relpath(RelFileNode rel, ForkNumber fork) {
            return "base/" + rel.database() + "/" + rel.relfilenode() + fork.fileSuffix();
        }

        @Override
        public synchronized void setInRecovery(boolean on) {
            inRecovery = on;
            recoveryModes.add(on);
        }

        @Override
        public long checksumFailures(int database) {
            return 0;
        }

        @Override
        public synchronized int nblocks(RelFileNode rel, ForkNumber fork) {
            List<byte[]> f = files.get(key(rel, fork));
            return f == null ? 0 : f.size();
        }

        @Override
        public synchronized void read(BufferTag tag, ByteBuffer page) {
            List<byte[]> f = files.get(key(tag.rel(), tag.fork()));
            if (f == null) {
                throw new PgException(SqlState.IO_ERROR, "could not open file \"" + relpath(tag.rel(), tag.fork())
                        + "\": No such file or directory");
            }
            if (tag.block() >= f.size()) {
                if (!inRecovery) {
                    throw new PgException(SqlState.DATA_CORRUPTED, "could not read block " + tag.block());
                }
                page.put(0, new byte[BufferPool.BLOCK_SIZE], 0, BufferPool.BLOCK_SIZE);
                return;
            }
            page.put(0, f.get(tag.block()), 0, BufferPool.BLOCK_SIZE);
        }

        @Override
        public synchronized void write(BufferTag tag, ByteBuffer page) {
            List<byte[]> f = files.computeIfAbsent(key(tag.rel(), tag.fork()), k -> new ArrayList<>());
            while (f.size() <= tag.block()) {
                f.add(new byte[BufferPool.BLOCK_SIZE]);
            }
            byte[] b = new byte[BufferPool.BLOCK_SIZE];
            page.get(0, b, 0, b.length);
            f.set(tag.block(), b);
        }

        @Override
        public synchronized void extend(BufferTag tag, ByteBuffer page) {
            List<byte[]> f = files.computeIfAbsent(key(tag.rel(), tag.fork()), k -> new ArrayList<>());
            if (tag.block() != f.size()) {
                throw new IllegalStateException("extend at " + tag.block() + " of " + f.size());
            }
            byte[] b = new byte[BufferPool.BLOCK_SIZE];
            page.get(0, b, 0, b.length);
            f.add(b);
        }

        @Override
        public void fsync(RelFileNode rel, ForkNumber fork) {
        }

        /** The int at {@code offset} of a block on "disk". */
        synchronized int intAt(RelFileNode rel, int block, int offset) {
            return ByteBuffer.wrap(files.get(key(rel, ForkNumber.MAIN)).get(block))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(offset);
        }
    }

    /** pg_control in memory, with every version written. */
    static final class MemoryControl implements ControlFile {
        ControlData data;
        final List<ControlData> writes = new CopyOnWriteArrayList<>();

        MemoryControl(ControlData data) {
            this.data = data;
        }

        @Override
        public synchronized ControlData read() {
            return data;
        }

        @Override
        public synchronized void write(ControlData d) {
            data = d;
            writes.add(d);
        }
    }

    /** A checkpointer that only records the requests and the WAL's state at each. */
    static final class RecordingCheckpointer implements Checkpointer {
        final Wal wal;
        final List<String> calls = new CopyOnWriteArrayList<>();

        RecordingCheckpointer(Wal wal) {
            this.wal = wal;
        }

        @Override
        public void requestCheckpoint(boolean wait, boolean force) {
            calls.add("wait=" + wait + " force=" + force + " wal=" + wal.state());
        }

        @Override
        public CheckpointStats stats() {
            return new CheckpointStats(0, 0, 0, 0, 0);
        }
    }

    /** The counters a transaction manager keeps for recovery, and the calls it got. */
    static final class Txn {
        long nextFullXid;
        int nextOid;
        final List<String> calls = new CopyOnWriteArrayList<>();

        TransactionManager proxy() {
            return (TransactionManager) Proxy.newProxyInstance(TransactionManager.class.getClassLoader(),
                    new Class<?>[] {TransactionManager.class}, (p, m, args) -> switch (m.getName()) {
                        case "nextFullXid" -> nextFullXid;
                        case "nextOid" -> nextOid;
                        case "recoveryStart" -> {
                            nextFullXid = (Long) args[0];
                            nextOid = (Integer) args[1];
                            calls.add("recoveryStart " + nextFullXid + " " + Integer.toUnsignedString(nextOid));
                            yield null;
                        }
                        case "advancePastXid" -> {
                            int xid = (Integer) args[0];
                            calls.add("advancePastXid " + xid);
                            if (Xid.isNormal(xid) && Xid.precedesOrEquals(Xid.of(nextFullXid), xid)) {
                                nextFullXid = (nextFullXid & 0xFFFF_FFFF_0000_0000L) | Integer.toUnsignedLong(xid + 1);
                            }
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        case "toString" -> "Txn";
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    /**
     * A redo handler for one resource manager whose records carry an int
     * (main data) to put at {@link #MARK} of each block they change.
     */
    static final class MarkHandler implements RedoHandler {
        static final int MARK = 8000;
        final byte rmgr;
        final List<Long> replayed = new CopyOnWriteArrayList<>();
        final List<RedoContext.Action> actions = new CopyOnWriteArrayList<>();
        int startups;
        int cleanups;

        MarkHandler(byte rmgr) {
            this.rmgr = rmgr;
        }

        @Override
        public byte[] resourceManagers() {
            return new byte[] {rmgr};
        }

        @Override
        public void redo(WalRecord record, RedoContext context) {
            if (record != context.record()) {
                throw new AssertionError("the context is for another record");
            }
            replayed.add(record.lsn());
            int mark = record.mainDataBuffer().getInt(0);
            for (int i = 0; i < record.blockCount(); i++) {
                RedoContext.Block b = context.readBlock(i);
                actions.add(b.action());
                switch (b.action()) {
                    case NEEDS_REDO -> {
                        if (Page.isNew(b.page())) {
                            Page.init(b.page(), 0);
                        }
                        b.page().putInt(MARK, mark);
                        context.finish(b);
                    }
                    case RESTORED -> context.finish(b);
                    case DONE -> context.release(b);
                    case NOT_FOUND -> {
                    }
                }
            }
        }

        @Override
        public String describe(WalRecord record) {
            return "MARK " + record.mainDataBuffer().getInt(0);
        }

        @Override
        public void startup() {
            startups++;
        }

        @Override
        public void cleanup() {
            cleanups++;
        }
    }

    static boolean inserting(Wal wal) {
        return wal.state() == WalState.INSERTING;
    }
}
