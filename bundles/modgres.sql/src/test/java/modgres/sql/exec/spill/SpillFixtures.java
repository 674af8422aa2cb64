package modgres.sql.exec.spill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import modgres.api.access.TupleData;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.LockMode;
import modgres.api.txn.Snapshot;
import modgres.sql.catalog.TxnContext;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.OutCol;
import modgres.sql.exec.Plan;
import modgres.sql.exec.TypeSupport;
import modgres.sql.types.Compare;
import modgres.sql.types.KeyEncoding;
import modgres.sql.types.TupleCodec;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/** Executor fixtures for the spill tests: a type system over modgres.sql.types, a transaction, a row source. */
final class SpillFixtures {
    static final int INT8 = 20;
    static final int TEXT = 25;
    static final int NUMERIC = 1700;

    private SpillFixtures() {
    }

    /** The engine's TypeSupport, as TypeSystemImpl implements it (without the session parts). */
    static final class Types4Test implements TypeSupport {
        private static Type[] types(int[] t) {
            Type[] out = new Type[t.length];
            for (int i = 0; i < t.length; i++) {
                out[i] = Types.byOid(t[i]);
            }
            return out;
        }

        @Override
        public TupleData form(int[] t, Object[] values) {
            return TupleCodec.form(types(t), values);
        }

        @Override
        public Object[] deform(int[] t, TupleData data) {
            return TupleCodec.deform(types(t), data);
        }

        @Override
        public int compare(int type, Object a, Object b) {
            return Compare.compare(Types.byOid(type), a, b);
        }

        @Override
        public Object hashKey(int type, Object v) {
            return new HashKey(Types.byOid(type), v);
        }

        private record HashKey(Type type, Object v) {
            @Override
            public boolean equals(Object o) {
                return o instanceof HashKey k && Compare.equal(type, v, k.v);
            }

            @Override
            public int hashCode() {
                return Compare.hash(type, v);
            }
        }

        @Override
        public byte[] indexKey(int[] types, Object[] values) {
            return KeyEncoding.encode(types(types), values, null);
        }

        @Override
        public String output(int type, Object v) {
            return String.valueOf(v);
        }
    }

    /** A transaction that only knows its pid and collects end-of-transaction actions. */
    static final class Txn implements TxnContext {
        final List<Runnable> onCommit = new ArrayList<>();
        final List<Runnable> onAbort = new ArrayList<>();

        @Override
        public int pid() {
            return 4242;
        }

        @Override
        public int database() {
            return 5;
        }

        @Override
        public int xid() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int commandId() {
            return 0;
        }

        @Override
        public Snapshot snapshot() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commandCounterIncrement() {
        }

        @Override
        public void lockRelation(int relationOid, LockMode mode) {
        }

        @Override
        public String databaseName() {
            return "postgres";
        }

        @Override
        public int nextXid() {
            return 0;
        }

        @Override
        public boolean tryLockRelation(int relationOid, LockMode mode) {
            return true;
        }

        @Override
        public void onCommit(Runnable r) {
            onCommit.add(r);
        }

        @Override
        public void onAbort(Runnable r) {
            onAbort.add(r);
        }

        @Override
        public void catalogChanged() {
        }

        @Override
        public int newOid() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long lockTimeout() {
            return 0;
        }

        @Override
        public boolean usesTransactionSnapshot() {
            return false;
        }

        @Override
        public CurrentTransaction current() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void waitFor(int xid) {
        }
    }

    /** An ExecState with {@code workMem} bytes of work_mem and temporary files under {@code dataDir}. */
    static ExecState exec(long workMem, Path dataDir) {
        ExecState ex = new ExecState(null, null, new Txn(), new Types4Test(), new Object[0], null);
        ex.workMem = workMem;
        ex.dataDirectory = dataDir;
        return ex;
    }

    /** A plan returning given rows (copies, so that callers may keep theirs), optionally failing at a row. */
    static final class Source extends Plan {
        final List<Object[]> data;
        int failAt = -1;
        int opens;
        int closes;
        private int pos;

        Source(List<OutCol> cols, List<Object[]> data) {
            super(cols);
            this.data = data;
            estimate(0, data.size() * 0.01, data.size());
        }

        @Override
        protected void doOpen(ExecState ex) {
            opens++;
            pos = 0;
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            if (pos == failAt) {
                throw new IllegalStateException("failure at row " + pos);
            }
            return pos < data.size() ? data.get(pos++).clone() : null;
        }

        @Override
        public void close() {
            closes++;
        }

        @Override
        public String label() {
            return "Source";
        }
    }

    static List<OutCol> cols(Object... nameType) {
        List<OutCol> c = new ArrayList<>();
        for (int i = 0; i < nameType.length; i += 2) {
            c.add(OutCol.of((String) nameType[i], (Integer) nameType[i + 1]));
        }
        return c;
    }

    /** Opens, reads to the end, closes. */
    static List<Object[]> drain(Plan p, ExecState ex) {
        List<Object[]> out = new ArrayList<>();
        try {
            p.open(ex);
            for (Object[] r = p.next(ex); r != null; r = p.next(ex)) {
                out.add(r.clone());
            }
        } finally {
            p.close();
        }
        return out;
    }

    /** The entries of the temporary files' directory (none when it does not exist). */
    static List<Path> tempFiles(Path dataDir) {
        Path d = dataDir.resolve(TempFileSpace.TEMP_DIR);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
