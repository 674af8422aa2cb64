package modgres.sql.exec;

/*
 * Design notes: TOAST (PostgreSQL's heaptoast.c / toast_internals.c), own code.
 *
 * Where it sits. The heap stores opaque tuple data and refuses tuples over
 * 8160 bytes, so toasting happens here, on the SQL side, where the column
 * types are known: ModifyTable, COPY FROM and foreign-key actions form
 * their tuples through insert/update, and a table scan deforms through
 * detoaster(). Chunks are ordinary heap tuples and B-tree entries of the
 * relation's TOAST table, written through Heap.multiInsert / BTree.insert /
 * Heap.delete, so they are WAL-logged, replayed after a crash and vacuumed
 * like any row.
 *
 * When. A row is toasted when its plain form is longer than
 * TOAST_TUPLE_THRESHOLD (2032 bytes, header included). Then, as PostgreSQL,
 * with maxDataLen = 2032 - header:
 *
 *   1. largest 'x'/'e' value first: compress 'x' inline (pglz or lz4 after
 *      default_toast_compression); a result still over maxDataLen goes out of
 *      line at once (when there is a TOAST table)
 *   2. while too long: largest inline 'x'/'e' value out of line
 *   3. while too long: compress 'm' values
 *   4. with the limit raised to 8160: largest 'm' value out of line
 *
 * Only values longer than a TOAST pointer are candidates; 'p' values are
 * never touched (such rows may still fail with 54000 in the heap).
 *
 * Out of line. Stored bytes (a compressed value's tcinfo + data, else the
 * payload) are cut into chunks of 1996 bytes: rows (chunk_id oid, chunk_seq
 * int4, chunk_data bytea) with a fresh OID as chunk_id (one that the TOAST
 * index does not hold yet), plus index entries (chunk_id, chunk_seq).
 *
 * Life of the chunks (the invariant: every live chunk belongs to exactly one
 * value that a row version points to, or to a row version that died with
 * them in the same transaction):
 *
 *   INSERT            chunks inserted by the inserting command
 *   UPDATE            a column whose new value is the very object the scan
 *                     read (SET did not touch it) keeps the old pointer;
 *                     other old external values' chunks are deleted after
 *                     the heap accepted the update; if it refused (concurrent
 *                     update, retried by EvalPlanQual) the chunks just
 *                     written are deleted again
 *   DELETE            the old external values' chunks deleted
 *   rollback          the chunks' inserter/deleter aborted: as the rows
 *   VACUUM            the main table's vacuum also vacuums its TOAST table
 *   TRUNCATE / DROP   the TOAST table and index get new / no storage
 *
 * Finding the old pointers: a row with external values has a plain form over
 * the threshold (rows are toasted only then, and an update whose plain form
 * fits is stored plain); so only when an upper bound of the old row's plain
 * size passes the threshold is the old version fetched by tid and its
 * pointers read (the version's data never changes).
 *
 * Deleting our own new chunks after a refused update uses command id + 1:
 * the Update rule does not let a command change rows it inserted itself.
 *
 * Reading: the chunks of one value are found through the TOAST index and
 * read whatever their visibility (Heap.fetchAny), as PostgreSQL's toast
 * snapshot: a pointer is only reached through a row version the reader may
 * see, whose chunks vacuum keeps as long as that version. Values are
 * detoasted when the row is deformed (not lazily per column).
 */

import java.util.ArrayList;
import java.util.List;

import modgres.api.access.HeapTuple;
import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.TmResult;
import modgres.api.access.TupleData;
import modgres.api.access.WaitPolicy;
import modgres.api.error.PgException;
import modgres.sql.catalog.Relation;
import modgres.sql.toast.Varlena;
import modgres.sql.types.TupleCodec;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/** TOAST: forming rows with compressed and out-of-line values, reading them back (see the design notes). */
public final class Toasting {
    private Toasting() {
    }

    /** The TOAST table's columns: chunk_id oid, chunk_seq int4, chunk_data bytea. */
    static final int[] CHUNK_TYPES = {26, 23, 17};
    private static final int[] KEY_TYPES = {26, 23};
    private static final int CHUNKS_PER_BATCH = 256;
    /** MAXALIGN(TOAST_POINTER_SIZE): values not longer than this are never toasted. */
    private static final int MIN_CANDIDATE = 24;

    // ------------------------------------------------------------------ reading

    /** The detoaster of {@code rel}'s external values, or null when it has no TOAST table. */
    public static Varlena.Detoaster detoaster(ExecState ex, Relation rel) {
        Relation.Toast toast = rel.toast();
        return toast == null ? null : p -> fetch(ex, toast, p);
    }

    /** The stored bytes of an external value: its chunks in order. */
    static byte[] fetch(ExecState ex, Relation.Toast toast, Varlena.ExternalPointer p) {
        int size = p.extSize();
        int nchunks = (size + Varlena.TOAST_MAX_CHUNK_SIZE - 1) / Varlena.TOAST_MAX_CHUNK_SIZE;
        byte[] out = new byte[size];
        byte[] key = ex.types.indexKey(new int[] {26}, new Object[] {Integer.toUnsignedLong(p.valueId())});
        int expect = 0;
        try (IndexScan s = ex.btree.scan(toast.indexRef(), KeyComparator.BYTEWISE, key, true, key, true, false)) {
            while (s.next()) {
                HeapTuple t = ex.heap.fetchAny(toast.ref(), s.heapTid());
                if (t == null) {
                    continue;
                }
                Object[] c = ex.types.deform(CHUNK_TYPES, t.data());
                int seq = (Integer) c[1];
                byte[] data = (byte[]) c[2];
                if (seq != expect || seq >= nchunks) {
                    throw new PgException("XX000", (seq > expect ? "missing chunk number " + expect
                            : "unexpected chunk number " + seq) + " for toast value "
                            + Integer.toUnsignedString(p.valueId()) + " in pg_toast_"
                            + Integer.toUnsignedString(toast.oid()));
                }
                int want = seq == nchunks - 1 ? size - seq * Varlena.TOAST_MAX_CHUNK_SIZE
                        : Varlena.TOAST_MAX_CHUNK_SIZE;
                if (data.length != want) {
                    throw new PgException("XX000", "unexpected chunk size " + data.length + " (expected " + want
                            + ") in chunk " + seq + " of " + nchunks + " for toast value "
                            + Integer.toUnsignedString(p.valueId()) + " in pg_toast_"
                            + Integer.toUnsignedString(toast.oid()));
                }
                System.arraycopy(data, 0, out, seq * Varlena.TOAST_MAX_CHUNK_SIZE, data.length);
                expect++;
            }
        }
        if (expect != nchunks) {
            throw new PgException("XX000", "missing chunk number " + expect + " for toast value "
                    + Integer.toUnsignedString(p.valueId()) + " in pg_toast_" + Integer.toUnsignedString(toast.oid()));
        }
        return out;
    }

    // ------------------------------------------------------------------ writing

    /** The tuple to insert for {@code values}, toasted when too long. */
    public static TupleData insert(ExecState ex, Relation rel, int[] types, Object[] values) {
        if (!mayHaveBeenToasted(types, values)) {
            return ex.types.form(types, values);
        }
        // the rounds start from the plain form and change nothing when it is short enough
        return new Work(ex, rel, types, values, null, null).run();
    }

    /**
     * An update's new tuple, with what to do once the heap answered: {@link #accepted} deletes the old
     * values no longer referenced, {@link #refused} the chunks written for this attempt.
     */
    public static final class Update {
        public final TupleData tuple;
        private final ExecState ex;
        private final Relation rel;
        private final Varlena.ExternalPointer[] dropOnSuccess;
        private final List<Integer> written;

        Update(ExecState ex, Relation rel, TupleData tuple, Varlena.ExternalPointer[] dropOnSuccess,
                List<Integer> written) {
            this.ex = ex;
            this.rel = rel;
            this.tuple = tuple;
            this.dropOnSuccess = dropOnSuccess;
            this.written = written;
        }

        /** After the heap's answer: {@link TmResult.Status#OK} drops the replaced values, else the new chunks. */
        public void finish(TmResult r) {
            if (r.status() == TmResult.Status.OK) {
                accepted();
            } else {
                refused();
            }
        }

        public void accepted() {
            if (dropOnSuccess != null) {
                for (Varlena.ExternalPointer p : dropOnSuccess) {
                    if (p != null) {
                        deleteValue(ex, rel.toast(), p.valueId(), ex.txn.commandId());
                    }
                }
            }
        }

        public void refused() {
            if (written != null) {
                for (int id : written) {
                    deleteValue(ex, rel.toast(), id, ex.txn.commandId() + 1);
                }
            }
        }
    }

    /** The tuple to replace the version at {@code oldTid} (whose values are {@code oldValues}) with {@code values}. */
    public static Update update(ExecState ex, Relation rel, int[] types, Object[] oldValues, long oldTid,
            Object[] values) {
        Varlena.ExternalPointer[] old = oldPointers(ex, rel, types, oldValues, oldTid);
        if (!mayHaveBeenToasted(types, values)) {
            return new Update(ex, rel, ex.types.form(types, values), old, null);
        }
        TupleData plain = ex.types.form(types, values);
        if (tupleLength(plain) <= Varlena.TOAST_TUPLE_THRESHOLD) {
            return new Update(ex, rel, plain, old, null); // stored plain: no old pointer kept (see the notes)
        }
        Work w = new Work(ex, rel, types, values, oldValues, old);
        TupleData t = w.run();
        if (old != null) {
            for (int i = 0; i < old.length; i++) {
                if (w.reused[i]) {
                    old[i] = null;
                }
            }
        }
        return new Update(ex, rel, t, old, w.written);
    }

    /** After a delete of the version at {@code oldTid} succeeded: its external values' chunks are deleted. */
    public static void deleted(ExecState ex, Relation rel, int[] types, Object[] oldValues, long oldTid) {
        Varlena.ExternalPointer[] old = oldPointers(ex, rel, types, oldValues, oldTid);
        if (old != null) {
            for (Varlena.ExternalPointer p : old) {
                if (p != null) {
                    deleteValue(ex, rel.toast(), p.valueId(), ex.txn.commandId());
                }
            }
        }
    }

    /** The external pointers of the version at {@code tid}, or null when it has none (or no TOAST table). */
    static Varlena.ExternalPointer[] oldPointers(ExecState ex, Relation rel, int[] types, Object[] oldValues,
            long tid) {
        if (rel.toast() == null || !mayHaveBeenToasted(types, oldValues)) {
            return null;
        }
        HeapTuple t = ex.heap.fetchAny(rel.ref(), tid);
        if (t == null) {
            return null;
        }
        Varlena.ExternalPointer[] p = TupleCodec.externals(typeArray(types), t.data());
        for (Varlena.ExternalPointer x : p) {
            if (x != null) {
                return p;
            }
        }
        return null;
    }

    /** False when an upper bound of the row's plain tuple length is within the threshold. */
    static boolean mayHaveBeenToasted(int[] types, Object[] values) {
        long bound = 24 + (types.length + 7) / 8 + 8;
        for (int i = 0; i < types.length && i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            if (v instanceof String s) {
                bound += 3L * s.length() + 8;
            } else if (v instanceof byte[] b) {
                bound += b.length + 8;
            } else if (v instanceof java.math.BigDecimal d) {
                bound += d.precision() + Math.abs(d.scale()) + 24;
            } else if (v instanceof Number || v instanceof Boolean) {
                bound += 16;
            } else {
                return true; // arrays and others: do not guess
            }
            if (bound > Varlena.TOAST_TUPLE_THRESHOLD) {
                return true;
            }
        }
        return false;
    }

    /** t_len of a heap tuple with this data: MAXALIGN(23 + null bitmap) + data. */
    static int tupleLength(TupleData d) {
        int bitmap = d.nullBitmap() == null ? 0 : (d.natts() + 7) / 8;
        return ((23 + bitmap + 7) & ~7) + d.data().length;
    }

    private static Type[] typeArray(int[] oids) {
        Type[] t = new Type[oids.length];
        for (int i = 0; i < oids.length; i++) {
            t[i] = Types.byOid(oids[i] == 28 ? 26 : oids[i]);
        }
        return t;
    }

    /** The toasting of one row (see the design notes for the rounds). */
    private static final class Work {
        final ExecState ex;
        final Relation rel;
        final Type[] types;
        final int[] typeOids;
        final Object[] values;
        /** The value of each attribute as it will be stored (a Varlena.Stored for varlenas), or as given. */
        final Object[] current;
        final byte[][] payload;
        final char[] storage;
        final boolean[] external;
        final boolean[] compressedOrTried;
        final boolean[] reused;
        final List<Integer> written = new ArrayList<>();
        final int hoff;

        Work(ExecState ex, Relation rel, int[] typeOids, Object[] values, Object[] oldValues,
                Varlena.ExternalPointer[] old) {
            this.ex = ex;
            this.rel = rel;
            this.types = typeArray(typeOids);
            this.typeOids = typeOids;
            this.values = values;
            int n = typeOids.length;
            current = values.clone();
            payload = new byte[n][];
            storage = new char[n];
            external = new boolean[n];
            compressedOrTried = new boolean[n];
            reused = new boolean[n];
            boolean nulls = false;
            for (int i = 0; i < n; i++) {
                Object v = values[i];
                nulls |= v == null;
                storage[i] = i < rel.columns().size() ? rel.columns().get(i).storage() : 'x';
                if (v == null || types[i] == null || types[i].typlen() != -1 || v instanceof Varlena.Stored) {
                    continue;
                }
                if (old != null && old[i] != null && oldValues != null && i < oldValues.length && oldValues[i] == v
                        && old[i].toastRelid() == rel.toast().oid()) {
                    current[i] = new Varlena.Stored(old[i].image());
                    external[i] = true;
                    reused[i] = true;
                    continue;
                }
                payload[i] = TupleCodec.payload(types[i], v);
                current[i] = new Varlena.Stored(Varlena.plainImage(payload[i]));
            }
            hoff = (23 + (nulls ? (n + 7) / 8 : 0) + 7) & ~7;
        }

        int size(int i) {
            return ((Varlena.Stored) current[i]).image().length;
        }

        int dataSize() {
            int off = 0;
            for (int i = 0; i < types.length; i++) {
                Object v = current[i];
                if (v == null) {
                    continue;
                }
                Type t = types[i];
                if (v instanceof Varlena.Stored st) {
                    if (!st.shortHeader()) {
                        off = (off + t.alignment() - 1) & -t.alignment();
                    }
                    off += st.image().length;
                } else if (t.typlen() > 0) {
                    off = ((off + t.alignment() - 1) & -t.alignment()) + t.typlen();
                } else {
                    off += TupleCodec.payload(t, v).length + 4 + 3;
                }
            }
            return off;
        }

        /** The largest candidate: inline varlena over MIN_CANDIDATE bytes of the wanted storage kinds. */
        int biggest(boolean forCompression, boolean main) {
            int best = -1;
            int bestSize = MIN_CANDIDATE;
            for (int i = 0; i < types.length; i++) {
                if (payload[i] == null || external[i]) {
                    continue;
                }
                char s = storage[i];
                if (main ? s != 'm' : (s != 'x' && s != 'e')) {
                    continue;
                }
                if (forCompression && compressedOrTried[i]) {
                    continue;
                }
                int sz = size(i);
                if (sz > bestSize) {
                    best = i;
                    bestSize = sz;
                }
            }
            return best;
        }

        void tryCompress(int i) {
            compressedOrTried[i] = true;
            int method = "lz4".equals(ex.setting.apply("default_toast_compression")) ? Varlena.METHOD_LZ4
                    : Varlena.METHOD_PGLZ;
            byte[] c = Varlena.compress(payload[i], method);
            if (c == null) {
                return;
            }
            byte[] img = Varlena.compressedImage(c, payload[i].length, method);
            // the saving must beat the worst padding a 4-byte header may cost (toast_compress_datum)
            if (img.length < payload[i].length + 4 - 2) {
                current[i] = new Varlena.Stored(img);
            }
        }

        void externalize(int i) {
            byte[] img = ((Varlena.Stored) current[i]).image();
            boolean compressed = (img[0] & 3) == 2;
            byte[] stored;
            int extInfo;
            if (compressed) {
                stored = java.util.Arrays.copyOfRange(img, 4, img.length);
                int method = (stored[3] & 0xFF) >>> 6;
                extInfo = stored.length | (method << 30);
            } else {
                stored = payload[i];
                extInfo = stored.length;
            }
            int valueId = store(stored);
            Varlena.ExternalPointer p = new Varlena.ExternalPointer(payload[i].length + 4, extInfo, valueId,
                    rel.toast().oid());
            current[i] = new Varlena.Stored(p.image());
            external[i] = true;
        }

        /** Writes the chunks of one value; returns its chunk_id. */
        int store(byte[] stored) {
            Relation.Toast toast = rel.toast();
            int valueId = newValueId(toast);
            written.add(valueId);
            int nchunks = (stored.length + Varlena.TOAST_MAX_CHUNK_SIZE - 1) / Varlena.TOAST_MAX_CHUNK_SIZE;
            int xid = ex.txn.xid();
            int cid = ex.txn.commandId();
            for (int first = 0; first < nchunks; first += CHUNKS_PER_BATCH) {
                int n = Math.min(CHUNKS_PER_BATCH, nchunks - first);
                TupleData[] batch = new TupleData[n];
                for (int k = 0; k < n; k++) {
                    int seq = first + k;
                    int from = seq * Varlena.TOAST_MAX_CHUNK_SIZE;
                    byte[] data = java.util.Arrays.copyOfRange(stored, from,
                            Math.min(stored.length, from + Varlena.TOAST_MAX_CHUNK_SIZE));
                    batch[k] = ex.types.form(CHUNK_TYPES, new Object[] {Integer.toUnsignedLong(valueId), seq, data});
                }
                long[] tids = ex.heap.multiInsert(toast.ref(), batch, xid, cid, 0, 100);
                for (int k = 0; k < n; k++) {
                    byte[] key = ex.types.indexKey(KEY_TYPES,
                            new Object[] {Integer.toUnsignedLong(valueId), first + k});
                    try {
                        ex.btree.insert(toast.indexRef(), KeyComparator.BYTEWISE, key, tids[k], null);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new PgException("57014", "canceling statement due to user request");
                    }
                }
                ex.tick();
            }
            return valueId;
        }

        /** A new OID no entry of the TOAST index uses (GetNewOidWithIndex). */
        int newValueId(Relation.Toast toast) {
            while (true) {
                int id = ex.txn.newOid();
                byte[] key = ex.types.indexKey(new int[] {26}, new Object[] {Integer.toUnsignedLong(id)});
                try (IndexScan s = ex.btree.scan(toast.indexRef(), KeyComparator.BYTEWISE, key, true, key, true,
                        false)) {
                    if (!s.next()) {
                        return id;
                    }
                }
            }
        }

        TupleData run() {
            boolean hasToast = rel.toast() != null;
            int maxDataLen = Varlena.TOAST_TUPLE_THRESHOLD - hoff;
            int size = dataSize();
            while (size > maxDataLen) {
                int i = biggest(true, false);
                if (i < 0) {
                    break;
                }
                if (storage[i] == 'x') {
                    tryCompress(i);
                } else {
                    compressedOrTried[i] = true;
                }
                if (size(i) > maxDataLen && hasToast) {
                    externalize(i);
                }
                size = dataSize();
            }
            while (size > maxDataLen && hasToast) {
                int i = biggest(false, false);
                if (i < 0) {
                    break;
                }
                externalize(i);
                size = dataSize();
            }
            while (size > maxDataLen) {
                int i = biggest(true, true);
                if (i < 0) {
                    break;
                }
                tryCompress(i);
                size = dataSize();
            }
            maxDataLen = Varlena.TOAST_TUPLE_TARGET_MAIN - hoff;
            while (size > maxDataLen && hasToast) {
                int i = biggest(false, true);
                if (i < 0) {
                    break;
                }
                externalize(i);
                size = dataSize();
            }
            return ex.types.form(typeOids, current);
        }
    }

    /** Deletes the chunks of one value (as command {@code cid}). */
    static void deleteValue(ExecState ex, Relation.Toast toast, int valueId, int cid) {
        byte[] key = ex.types.indexKey(new int[] {26}, new Object[] {Integer.toUnsignedLong(valueId)});
        List<Long> tids = new ArrayList<>();
        try (IndexScan s = ex.btree.scan(toast.indexRef(), KeyComparator.BYTEWISE, key, true, key, true, false)) {
            while (s.next()) {
                tids.add(s.heapTid());
            }
        }
        for (long tid : tids) {
            try {
                ex.heap.delete(toast.ref(), tid, ex.txn.xid(), cid, null, WaitPolicy.BLOCK, ex.txn.lockTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            }
        }
    }
}
