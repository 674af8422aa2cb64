package modgres.sql.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import modgres.sql.exec.spill.ExternalSort;
import modgres.sql.exec.spill.HashPartitions;
import modgres.sql.exec.spill.RowCodec;
import modgres.sql.exec.spill.TempFile;
import modgres.sql.exec.spill.TempFileSpace;

/** Inner nodes: projection, joins, sort, limit, distinct, append and set operations. */
public final class Nodes {
    private Nodes() {
    }

    /** Computes output expressions over the child's rows (PostgreSQL shows it as the node's target list, not a node). */
    public static final class Project extends Plan {
        final Plan child;
        final Ev[] exprs;

        /** The expressions' texts (EXPLAIN VERBOSE's Output), null when not kept. */
        private List<String> texts;

        public Project(Plan child, List<OutCol> cols, Ev[] exprs, List<String> texts) {
            this(child, cols, exprs);
            this.texts = texts;
        }

        public Project(Plan child, List<OutCol> cols, Ev[] exprs) {
            super(cols);
            this.child = child;
            this.exprs = exprs;
            estimate(child.startupCost, child.totalCost + child.rows * 0.0025 * exprs.length, child.rows);
        }

        @Override
        protected void doOpen(ExecState ex) {
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            Object[] in = child.next(ex);
            if (in == null) {
                return null;
            }
            Object[] out = new Object[exprs.length];
            for (int i = 0; i < exprs.length; i++) {
                out[i] = exprs[i].eval(in, ex);
            }
            return out;
        }

        @Override
        public String label() {
            return child.label();
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }

        List<String> texts() {
            return texts;
        }

        /** A projection is printed as its child (PostgreSQL has no projection node). */
        public Plan inner() {
            return child;
        }
    }

    /**
     * PostgreSQL's gating Result: a condition that reads no column of its query level ("One-Time Filter"),
     * checked when the node opens; unless it is true the input does not run at all.
     */
    public static final class OneTimeFilter extends Plan {
        final Plan child;
        final Ev condition;
        final String text;
        private boolean passed;

        public OneTimeFilter(Plan child, Ev condition, String text) {
            super(child.columns);
            this.child = child;
            this.condition = condition;
            this.text = text;
            estimate(child.startupCost, child.totalCost, child.rows);
            this.width = child.width;
        }

        @Override
        protected void doOpen(ExecState ex) {
            passed = Boolean.TRUE.equals(condition.eval(null, ex));
            if (passed) {
                child.open(ex);
            }
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return passed ? child.next(ex) : null;
        }

        @Override
        public String label() {
            return "Result";
        }

        @Override
        public List<String> details(boolean analyze) {
            return List.of("One-Time Filter: " + text);
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }
    }

    /** A filter over any input (used where the input node cannot filter itself, e.g. over a subquery). */
    public static final class Filter extends Plan {
        final Plan child;
        final Ev cond;
        final String text;

        public Filter(Plan child, Ev cond, String text) {
            super(child.columns);
            this.child = child;
            this.cond = cond;
            this.text = text;
            estimate(child.startupCost, child.totalCost + child.rows * 0.0025, child.rows / 3);
        }

        @Override
        protected void doOpen(ExecState ex) {
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
                if (Boolean.TRUE.equals(cond.eval(r, ex))) {
                    return r;
                }
            }
            return null;
        }

        /** Shown as the node it filters, with one more "Filter:" line (PostgreSQL attaches the qual to it). */
        @Override
        public String label() {
            return child.label();
        }

        @Override
        public List<Plan> children() {
            return child.children();
        }

        @Override
        public List<String> details(boolean analyze) {
            List<String> d = new ArrayList<>(child.details(analyze));
            d.add((child instanceof NestLoop || child instanceof HashJoin ? "Join Filter: " : "Filter: ") + text);
            return d;
        }
    }

    public enum JoinKind {
        INNER("Inner"), LEFT("Left"), FULL("Full"), SEMI("Semi"), ANTI("Anti");

        final String pg;

        JoinKind(String pg) {
            this.pg = pg;
        }
    }

    static List<OutCol> concat(Plan a, Plan b) {
        List<OutCol> c = new ArrayList<>(a.columns);
        c.addAll(b.columns);
        return c;
    }

    static Object[] join(Object[] l, int lw, Object[] r, int rw) {
        Object[] o = new Object[lw + rw];
        if (l != null) {
            System.arraycopy(l, 0, o, 0, lw);
        }
        if (r != null) {
            System.arraycopy(r, 0, o, lw, rw);
        }
        return o;
    }

    /**
     * The loop both join methods share: for each outer row, try the inner
     * rows its method offers as candidates ({@link #candidates}), emit the
     * joined rows that pass {@code cond}, the unmatched outer row for LEFT and
     * FULL, the outer row once for SEMI, the unmatched one for ANTI, and at the
     * end the unmatched inner rows for FULL.
     */
    abstract static class Join extends Plan {
        final Plan outer;
        final Plan inner;
        final JoinKind kind;
        final Ev cond;
        List<Object[]> innerRows;
        /** FULL: the inner rows (by position) some outer row matched. */
        private java.util.BitSet innerMatched;
        private Object[] cur;
        private int[] cand;
        private int pos;
        private boolean curMatched;
        private int unmatchedPos = -1;

        Join(Plan outer, Plan inner, JoinKind kind, Ev cond) {
            super(kind == JoinKind.SEMI || kind == JoinKind.ANTI ? outer.columns : concat(outer, inner));
            this.outer = outer;
            this.inner = inner;
            this.kind = kind;
            this.cond = cond;
        }

        /** Reads the inner side once (it does not depend on the outer row): innerRows and any index of them. */
        abstract void build(ExecState ex);

        /** The positions in innerRows of the rows that may match {@code outerRow}; {@link #ALL_INNER}: every one. */
        abstract int[] candidates(Object[] outerRow, ExecState ex);

        /** What candidates() returns when every inner row, in order, is a candidate. */
        static final int[] ALL_INNER = new int[0];

        /** The inner row at {@code i}; the positions asked for only ever go up between restarts from 0. */
        Object[] innerRow(int i) {
            return innerRows.get(i);
        }

        /** The number of inner rows of the current batch. */
        int innerCount() {
            return innerRows.size();
        }

        /** The next outer row to join with the current inner rows: the outer side's, unless the method batches. */
        Object[] nextOuter(ExecState ex) {
            return outer.next(ex);
        }

        /**
         * Called when the outer rows for the current inner rows are done (and, for FULL, the unmatched inner
         * rows returned): loads the next batch of inner rows (innerRows and the method's index of them) and
         * returns true, or returns false when there is none, as for a join done in one batch.
         */
        boolean nextBatch(ExecState ex) {
            return false;
        }

        private boolean advanceBatch(ExecState ex) {
            if (!nextBatch(ex)) {
                return false;
            }
            innerMatched = new java.util.BitSet();
            cur = null;
            unmatchedPos = -1;
            return true;
        }

        @Override
        protected void doOpen(ExecState ex) {
            if (innerRows == null) {
                innerRows = new ArrayList<>();
                build(ex);
            }
            innerMatched = new java.util.BitSet();
            outer.open(ex);
            cur = null;
            unmatchedPos = -1;
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            int lw = outer.columns.size();
            int rw = inner.columns.size();
            while (true) {
                if (unmatchedPos >= 0) {
                    int n = innerCount();
                    while (unmatchedPos < n) {
                        int i = unmatchedPos++;
                        if (!innerMatched.get(i)) {
                            return join(null, lw, innerRow(i), rw);
                        }
                    }
                    if (advanceBatch(ex)) {
                        continue;
                    }
                    return null;
                }
                if (cur == null) {
                    cur = nextOuter(ex);
                    if (cur == null) {
                        if (kind == JoinKind.FULL) {
                            unmatchedPos = 0;
                            continue;
                        }
                        if (advanceBatch(ex)) {
                            continue;
                        }
                        return null;
                    }
                    ex.tick();
                    cur = cur.clone();
                    cand = candidates(cur, ex);
                    pos = 0;
                    curMatched = false;
                }
                boolean every = cand == ALL_INNER;
                int ncand = every ? innerCount() : cand == null ? 0 : cand.length;
                while (pos < ncand) {
                    ex.tick();
                    int i = every ? pos++ : cand[pos++];
                    Object[] row = join(cur, lw, innerRow(i), rw);
                    if (cond == null || Boolean.TRUE.equals(cond.eval(row, ex))) {
                        curMatched = true;
                        if (kind == JoinKind.FULL) {
                            innerMatched.set(i);
                        }
                        if (kind == JoinKind.SEMI) {
                            Object[] c = cur;
                            cur = null;
                            return c;
                        }
                        if (kind == JoinKind.ANTI) {
                            break;
                        }
                        return row;
                    }
                }
                Object[] c = cur;
                boolean matched = curMatched;
                cur = null;
                if (!matched && (kind == JoinKind.LEFT || kind == JoinKind.FULL)) {
                    return join(c, lw, null, rw);
                }
                if (!matched && kind == JoinKind.ANTI) {
                    return c;
                }
            }
        }

        @Override
        public void close() {
            super.close();
            innerRows = null;
        }
    }

    /**
     * Nested Loop over a materialised inner side: any join condition, any join kind. The inner rows are kept
     * in a RowStore (PostgreSQL's Material over the inner side): in memory within work_mem, else in a temporary
     * file read once per outer row, so a large inner side does not fill the heap. Every inner row is a candidate,
     * read in order: one reader, restarted when an outer row starts again from row 0.
     */
    public static final class NestLoop extends Join {
        final String condText;
        private modgres.sql.exec.spill.RowStore store;
        private modgres.sql.exec.spill.RowStore.Reader reader;
        private int readerAt;
        private int count;

        public NestLoop(Plan outer, Plan inner, JoinKind kind, Ev cond, String condText, double selectivity) {
            super(outer, inner, kind, cond);
            this.condText = condText;
            // final_cost_nestloop over a materialized inner side: storing it once (2 operator costs a row),
            // re-reading it per further outer row, and one tuple cost per pair of rows considered
            estimate(outer.startupCost + inner.totalCost, outer.totalCost + inner.totalCost
                    + 2 * 0.0025 * inner.rows + Math.max(0, outer.rows - 1) * 0.0025 * inner.rows
                    + outer.rows * inner.rows * (cond == null ? 0.01 : 0.0125),
                    Math.max(kind == JoinKind.LEFT ? outer.rows : 1, outer.rows * inner.rows * selectivity));
        }

        @Override
        void build(ExecState ex) {
            if (store != null) {
                store.close();
            }
            store = new modgres.sql.exec.spill.RowStore(ex.workMem, ex::tempFiles, codec(types(inner.columns), ex))
                    .account(ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.EXECUTOR));
            inner.open(ex);
            for (Object[] r = inner.next(ex); r != null; r = inner.next(ex)) {
                ex.tick();
                store.add(r.clone());
            }
            long n = store.size();
            if (n > Integer.MAX_VALUE) {
                throw new modgres.api.error.PgException("54000", "nested loop inner side has too many rows");
            }
            count = (int) n;
            reader = null;
        }

        @Override
        int[] candidates(Object[] outerRow, ExecState ex) {
            return ALL_INNER;
        }

        @Override
        Object[] innerRow(int i) {
            if (reader == null || i < readerAt) {
                reader = store.reader();
                readerAt = 0;
            }
            Object[] r = null;
            while (readerAt <= i) {
                r = reader.next();
                readerAt++;
            }
            return r;
        }

        @Override
        int innerCount() {
            return count;
        }

        @Override
        public void close() {
            super.close();
            if (store != null) {
                store.close();
                store = null;
            }
            reader = null;
            count = 0;
        }

        @Override
        public String label() {
            return "Nested Loop" + (kind == JoinKind.INNER ? "" : " " + kind.pg + " Join");
        }

        @Override
        public List<Plan> children() {
            return List.of(outer, inner);
        }

        @Override
        public List<String> details(boolean analyze) {
            return condText == null ? List.of() : List.of("Join Filter: " + condText);
        }
    }

    /** A growable list of ints (row positions of one hash key while a hash table is built). */
    static final class IntList {
        int[] a = new int[2];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return n == a.length ? a : Arrays.copyOf(a, n);
        }
    }

    /*
     * Design notes: Hash Join within hash_mem (PostgreSQL's hybrid hash join, nodeHash.c / nodeHashjoin.c,
     * without the skew optimisation and parallelism).
     *
     * Why: the inner side's hash table may hold work_mem * hash_mem_multiplier; a larger inner side is split by
     * hash into batches, batch 0 in memory, the others in temporary files, and joined one batch at a time.
     *
     * - Planning the size (ExecChooseHashTableSize): from the inner side's estimated rows and width, the bucket
     *   count (a power of two, at least 1024) and the number of batches (a power of two; 1 when the estimate
     *   fits). A row's batch is a mix of its key's hash, modulo nbatch (HashPartitions.mix).
     * - Build: inner rows of batch 0 go into the table, the others to their batch's inner file. When the
     *   table's estimated size (RowCodec.estimate per row plus bookkeeping, plus 8 bytes a bucket) exceeds
     *   hash_mem, nbatch doubles and the rows whose key now belongs to a later batch move to that batch's file
     *   (ExecHashIncreaseNumBatches); a doubling that moves nothing or everything (one huge key) stops
     *   further doubling, and the table then grows beyond hash_mem, as PostgreSQL's does.
     * - Probe: an outer row of the current batch is joined; one of a later batch is written to that batch's
     *   outer file, or dropped when that batch has no inner rows and the join does not return unmatched outer
     *   rows (INNER, SEMI). An outer row with a NULL key matches nothing and is handled at once.
     * - Next batch (the Join loop's nextBatch): the batch's inner file is loaded (doubling nbatch again if it
     *   is too large: rows may still move on to later batches), then its outer file is read; outer rows that
     *   belong to a later batch by now are written on. FULL emits each batch's unmatched inner rows after its
     *   outer rows. Inner rows with NULL keys (kept only for FULL) wait in a file of their own while batched
     *   and are emitted at the end, in memory-sized chunks.
     * - Invariant: every row with batch number b (for the current nbatch) is in memory (b == curbatch) or in
     *   batch b's file (b > curbatch); batches only ever split upwards, so a batch with no inner rows can never
     *   get any.
     * - Not batched (nbatch == 1): the path the join always had (the inner rows and the table are kept across
     *   rescans); batched, a rescan builds everything again, as PostgreSQL does.
     * - Result order differs from the in-memory join's when batched (batch by batch); as a multiset it is the
     *   same.
     */
    /** Hash Join: builds a hash table of the inner side on its keys, probes it with the outer rows. */
    public static final class HashJoin extends Join {
        /** HJTUPLE_OVERHEAD and MAXALIGN(SizeofMinimalTupleHeader): PostgreSQL's per-tuple bytes (sizing). */
        private static final int PG_TUPLE_OVERHEAD = 16 + 16;
        /** Bytes a row costs in the table besides the row itself (list slot, position). */
        private static final int TUPLE_OVERHEAD = 16;
        /** Bytes a distinct key costs in the table (map entry, key list, position list). */
        private static final int KEY_OVERHEAD = 112;
        /** The most batches (the batch file arrays' length); PostgreSQL stops at INT_MAX / 2. */
        static final int MAX_BATCHES = 1 << 14;

        final Ev[] outerKeys;
        final Ev[] innerKeys;
        final int[] keyTypes;
        final String condText;
        final String extraText;
        private final int[] innerTypes;
        private final int[] outerTypes;
        private Map<List<Object>, int[]> table;
        // batching, see the design notes
        private Map<List<Object>, IntList> building;
        private int nbatch = 1;
        private int curbatch;
        private int nbuckets;
        private int maxBuckets;
        private long hashMem;
        private long spaceUsed;
        /** The table's share of the session's memory account (its size as checked against hash_mem). */
        private modgres.sql.exec.spill.MemoryAccount.Charge charge;
        private boolean growEnabled;
        private TempFile[] innerFiles;
        private TempFile[] outerFiles;
        private TempFile outerReading;
        private TempFile nullInner;
        private boolean nullPhase;
        private List<Object> curKey;
        private RowCodec innerCodec;
        private RowCodec outerCodec;
        private final TempFileSpace.Usage disk = new TempFileSpace.Usage();
        // EXPLAIN ANALYZE (the largest over the executions, as PostgreSQL's instrumentation)
        private boolean built;
        private int shownBuckets;
        private int shownBucketsOriginal;
        private int shownBatches;
        private int shownBatchesOriginal;
        private long spacePeak;

        public HashJoin(Plan outer, Plan inner, JoinKind kind, Ev[] outerKeys, Ev[] innerKeys, int[] keyTypes,
                Ev extra, String condText, String extraText, double selectivity) {
            super(outer, inner, kind, extra);
            this.outerKeys = outerKeys;
            this.innerKeys = innerKeys;
            this.keyTypes = keyTypes;
            this.condText = condText;
            this.extraText = extraText;
            this.innerTypes = types(inner.columns);
            this.outerTypes = types(outer.columns);
            // final_cost_hashjoin without batches: building (a key hash and a tuple per inner row), probing
            // (a key hash per outer row) and one tuple cost per row out; asymmetric, so the cheaper side is hashed
            double out = Math.max(kind == JoinKind.LEFT ? outer.rows : 1, outer.rows * inner.rows * selectivity);
            double build = (0.0025 * outerKeys.length + 0.01) * inner.rows;
            estimate(inner.totalCost + build, outer.totalCost + inner.totalCost + build
                    + 0.0025 * outerKeys.length * outer.rows + 0.01 * out, out);
        }

        private List<Object> key(Ev[] keys, Object[] row, ExecState ex) {
            Object[] k = new Object[keys.length];
            for (int i = 0; i < keys.length; i++) {
                Object v = keys[i].eval(row, ex);
                if (v == null) {
                    return null;
                }
                k[i] = ex.types.hashKey(keyTypes[i], v);
            }
            return Arrays.asList(k);
        }

        private boolean keepsOuter() {
            return kind == JoinKind.LEFT || kind == JoinKind.FULL || kind == JoinKind.ANTI;
        }

        private int batchOf(List<Object> key) {
            return HashPartitions.mix(key.hashCode(), 0) & (nbatch - 1);
        }

        private static int nextPow2(long v) {
            long p = Long.highestOneBit(Math.max(1, v));
            return (int) Math.min(1 << 30, p == v ? p : p << 1);
        }

        /** ExecChooseHashTableSize (no skew buckets): nbuckets and nbatch from the inner side's estimates. */
        private void chooseSize() {
            double ntuples = inner.rows <= 0 ? 1000 : inner.rows;
            long tupsize = PG_TUPLE_OVERHEAD + ((inner.width + 7) & ~7L);
            double innerRelBytes = ntuples * tupsize;
            long maxPointers = Math.min(1L << 30, Long.highestOneBit(Math.max(1, hashMem / 8)));
            maxBuckets = (int) maxPointers;
            int nb = nextPow2(Math.max(1024, (long) Math.min(Math.ceil(ntuples), maxPointers)));
            int nbat = 1;
            if (innerRelBytes + 8.0 * nb > hashMem) {
                long bucketSize = tupsize + 8;
                long sb = hashMem <= bucketSize ? 1 : nextPow2(hashMem / bucketSize);
                nb = nextPow2(Math.min(sb, maxPointers));
                double dbatch = Math.ceil(innerRelBytes / Math.max(1, hashMem - 8L * nb));
                nbat = nextPow2(Math.max(2, (long) Math.min(dbatch, maxPointers)));
            }
            nbuckets = nb;
            nbatch = Math.min(nbat, MAX_BATCHES);
        }

        @Override
        protected void doOpen(ExecState ex) {
            if (nbatch > 1 || innerFiles != null) {
                // batched: the batches were consumed, build again
                releaseFiles();
                innerRows = null;
                table = null;
            }
            super.doOpen(ex);
        }

        @Override
        void build(ExecState ex) {
            hashMem = ex.hashMem();
            if (charge != null) {
                charge.release();
            }
            charge = ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.HASH);
            curbatch = 0;
            nullPhase = false;
            spaceUsed = 0;
            boolean canSpill = ex.dataDirectory != null;
            if (canSpill) {
                chooseSize();
            } else {
                nbuckets = 1024;
                maxBuckets = 1 << 30;
                nbatch = 1;
            }
            growEnabled = canSpill;
            int plannedBuckets = nbuckets;
            int plannedBatches = nbatch;
            if (nbatch > 1) {
                innerFiles = new TempFile[nbatch];
                outerFiles = new TempFile[nbatch];
            }
            building = new HashMap<>();
            inner.open(ex);
            for (Object[] r = inner.next(ex); r != null; r = inner.next(ex)) {
                ex.tick();
                List<Object> k = key(innerKeys, r, ex);
                if (k == null) {
                    // a NULL key matches nothing: only FULL needs the row (to return it unmatched)
                    if (kind == JoinKind.FULL) {
                        if (nbatch > 1) {
                            writeNullInner(r, ex);
                        } else {
                            Object[] c = r.clone();
                            innerRows.add(c);
                            spaceUsed += RowCodec.estimate(c) + TUPLE_OVERHEAD;
                            checkSpace(ex);
                        }
                    }
                    continue;
                }
                if (nbatch > 1) {
                    int b = batchOf(k);
                    if (b != 0) {
                        writeInner(b, r, ex);
                        continue;
                    }
                }
                insert(k, r.clone(), ex);
            }
            finishTable();
            built = true;
            shownBucketsOriginal = Math.max(shownBucketsOriginal, plannedBuckets);
            shownBatchesOriginal = Math.max(shownBatchesOriginal, plannedBatches);
        }

        private void insert(List<Object> k, Object[] row, ExecState ex) {
            innerRows.add(row);
            IntList l = building.get(k);
            if (l == null) {
                l = new IntList();
                building.put(k, l);
                spaceUsed += KEY_OVERHEAD;
            }
            l.add(innerRows.size() - 1);
            spaceUsed += RowCodec.estimate(row) + TUPLE_OVERHEAD;
            if (nbatch == 1 && innerRows.size() > nbuckets && nbuckets < maxBuckets) {
                nbuckets *= 2; // ExecHashIncreaseNumBuckets: one tuple per bucket while in a single batch
            }
            checkSpace(ex);
        }

        private void checkSpace(ExecState ex) {
            long used = spaceUsed + 8L * nbuckets;
            if (used > spacePeak) {
                spacePeak = used;
            }
            if (used > hashMem && growEnabled) {
                increaseBatches(ex);
                used = spaceUsed + 8L * nbuckets;
            }
            charge.set(used);
        }

        /** ExecHashIncreaseNumBatches: doubles nbatch, moving the rows that now belong to later batches. */
        private void increaseBatches(ExecState ex) {
            if (nbatch >= MAX_BATCHES) {
                growEnabled = false;
                return;
            }
            nbatch *= 2;
            if (innerFiles == null) {
                innerFiles = new TempFile[nbatch];
                outerFiles = new TempFile[nbatch];
            } else {
                innerFiles = Arrays.copyOf(innerFiles, nbatch);
                outerFiles = Arrays.copyOf(outerFiles, nbatch);
            }
            int n = innerRows.size();
            // per row: 0 = NULL key (in no key's list: FULL, first batch), 1 = stays, 2 = moved to a later batch
            byte[] fate = new byte[n];
            Iterator<Map.Entry<List<Object>, IntList>> it = building.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<List<Object>, IntList> e = it.next();
                IntList l = e.getValue();
                int b = batchOf(e.getKey());
                if (b == curbatch) {
                    for (int i = 0; i < l.n; i++) {
                        fate[l.a[i]] = 1;
                    }
                } else {
                    for (int i = 0; i < l.n; i++) {
                        writeInner(b, innerRows.get(l.a[i]), ex);
                        fate[l.a[i]] = 2;
                    }
                    it.remove();
                }
            }
            int[] newPos = new int[n];
            List<Object[]> kept = new ArrayList<>();
            long used = 0;
            for (int i = 0; i < n; i++) {
                Object[] r = innerRows.get(i);
                newPos[i] = -1;
                if (fate[i] == 1) {
                    newPos[i] = kept.size();
                    kept.add(r);
                    used += RowCodec.estimate(r) + TUPLE_OVERHEAD;
                } else if (fate[i] == 0) {
                    writeNullInner(r, ex); // NULL keys wait in their own file
                }
            }
            for (IntList l : building.values()) {
                for (int i = 0; i < l.n; i++) {
                    l.a[i] = newPos[l.a[i]];
                }
            }
            int moved = n - kept.size();
            innerRows.clear();
            innerRows.addAll(kept);
            spaceUsed = used + (long) KEY_OVERHEAD * building.size();
            if (moved == 0 || moved == n) {
                growEnabled = false; // the split did not help: one key (or one hash) has it all
            }
            shownBatches = Math.max(shownBatches, nbatch);
        }

        private void writeInner(int b, Object[] r, ExecState ex) {
            if (innerCodec == null) {
                innerCodec = codec(innerTypes, ex);
            }
            if (innerFiles[b] == null) {
                innerFiles[b] = ex.tempFiles().create(disk);
            }
            innerCodec.write(innerFiles[b], r);
        }

        private void writeOuter(int b, Object[] r, ExecState ex) {
            if (outerCodec == null) {
                outerCodec = codec(outerTypes, ex);
            }
            if (outerFiles[b] == null) {
                outerFiles[b] = ex.tempFiles().create(disk);
            }
            outerCodec.write(outerFiles[b], r);
        }

        private void writeNullInner(Object[] r, ExecState ex) {
            if (innerCodec == null) {
                innerCodec = codec(innerTypes, ex);
            }
            if (nullInner == null) {
                nullInner = ex.tempFiles().create(disk);
            }
            innerCodec.write(nullInner, r);
        }

        private void finishTable() {
            Map<List<Object>, int[]> t = new HashMap<>(Math.max(16, building.size() * 4 / 3 + 1));
            for (Map.Entry<List<Object>, IntList> e : building.entrySet()) {
                t.put(e.getKey(), e.getValue().toArray());
            }
            table = t;
            building = null;
            spacePeak = Math.max(spacePeak, spaceUsed + 8L * nbuckets);
            charge.set(spaceUsed + 8L * nbuckets);
            shownBuckets = Math.max(shownBuckets, nbuckets);
            shownBatches = Math.max(shownBatches, nbatch);
        }

        @Override
        Object[] nextOuter(ExecState ex) {
            if (nbatch == 1) {
                return outer.next(ex);
            }
            while (!nullPhase) {
                Object[] r;
                if (curbatch == 0) {
                    r = outer.next(ex);
                } else {
                    r = outerReading == null ? null : outerCodec.read(outerReading);
                }
                if (r == null) {
                    return null;
                }
                List<Object> k = key(outerKeys, r, ex);
                if (k != null) {
                    int b = batchOf(k);
                    if (b != curbatch) {
                        ex.tick();
                        if (innerFiles[b] != null || keepsOuter()) {
                            writeOuter(b, r, ex);
                        }
                        continue;
                    }
                }
                curKey = k;
                return r;
            }
            return null;
        }

        @Override
        int[] candidates(Object[] outerRow, ExecState ex) {
            List<Object> k;
            if (nbatch == 1) {
                k = key(outerKeys, outerRow, ex);
            } else {
                k = curKey;
                curKey = null;
            }
            return k == null ? null : table.get(k);
        }

        @Override
        boolean nextBatch(ExecState ex) {
            if (nbatch == 1) {
                return false;
            }
            if (outerReading != null) {
                outerReading.delete();
                outerReading = null;
            }
            if (!nullPhase) {
                while (++curbatch < nbatch) {
                    TempFile in = innerFiles[curbatch];
                    TempFile out = outerFiles[curbatch];
                    innerFiles[curbatch] = null;
                    outerFiles[curbatch] = null;
                    boolean needed = out != null ? in != null || keepsOuter() : in != null && kind == JoinKind.FULL;
                    if (!needed) {
                        if (in != null) {
                            in.delete();
                        }
                        if (out != null) {
                            out.delete();
                        }
                        continue;
                    }
                    loadBatch(in, ex);
                    if (out != null) {
                        out.startReading();
                    }
                    outerReading = out;
                    return true;
                }
                nullPhase = true;
                innerRows = new ArrayList<>();
                table = Map.of();
                if (nullInner != null) {
                    nullInner.startReading();
                }
            }
            // FULL: the inner rows with NULL keys, unmatched by definition, in chunks that fit in memory
            if (nullInner == null) {
                return false;
            }
            innerRows = new ArrayList<>();
            long used = 0;
            for (Object[] r = null; used <= hashMem && (r = innerCodec.read(nullInner)) != null;) {
                innerRows.add(r);
                used += RowCodec.estimate(r) + TUPLE_OVERHEAD;
            }
            charge.set(used);
            if (innerRows.isEmpty()) {
                nullInner.delete();
                nullInner = null;
                return false;
            }
            return true;
        }

        /** Loads batch {@code curbatch}'s inner rows (none when {@code in} is null) into the table. */
        private void loadBatch(TempFile in, ExecState ex) {
            innerRows = new ArrayList<>();
            building = new HashMap<>();
            table = null;
            spaceUsed = 0;
            if (in != null) {
                in.startReading();
                for (Object[] r = innerCodec.read(in); r != null; r = innerCodec.read(in)) {
                    ex.tick();
                    List<Object> k = key(innerKeys, r, ex);
                    if (k == null) {
                        continue; // not written to batch files; here for safety
                    }
                    int b = batchOf(k);
                    if (b != curbatch) {
                        writeInner(b, r, ex);
                        continue;
                    }
                    insert(k, r, ex);
                }
                in.delete();
            }
            finishTable();
        }

        private void releaseFiles() {
            if (innerFiles != null) {
                for (int i = 0; i < innerFiles.length; i++) {
                    if (innerFiles[i] != null) {
                        innerFiles[i].delete();
                    }
                    if (outerFiles[i] != null) {
                        outerFiles[i].delete();
                    }
                }
                innerFiles = null;
                outerFiles = null;
            }
            if (outerReading != null) {
                outerReading.delete();
                outerReading = null;
            }
            if (nullInner != null) {
                nullInner.delete();
                nullInner = null;
            }
            nullPhase = false;
            curKey = null;
        }

        @Override
        public void close() {
            try {
                releaseFiles();
            } finally {
                super.close();
                table = null;
                building = null;
                nbatch = 1;
                if (charge != null) {
                    charge.release();
                }
            }
        }

        /** The number of batches of the current (or last) execution. */
        public int batches() {
            return nbatch;
        }

        /** The Hash node's line of EXPLAIN ANALYZE (show_hash_info); null before the table was built. */
        String hashInfo() {
            if (!built) {
                return null;
            }
            long kb = (spacePeak + 1023) / 1024;
            if (shownBatches != shownBatchesOriginal || shownBuckets != shownBucketsOriginal) {
                return "Buckets: " + shownBuckets + " (originally " + shownBucketsOriginal + ")  Batches: "
                        + shownBatches + " (originally " + shownBatchesOriginal + ")  Memory Usage: " + kb + "kB";
            }
            return "Buckets: " + shownBuckets + "  Batches: " + shownBatches + "  Memory Usage: " + kb + "kB";
        }

        @Override
        public String label() {
            return "Hash" + (kind == JoinKind.INNER ? "" : " " + kind.pg) + " Join";
        }

        @Override
        public List<Plan> children() {
            return List.of(outer, new HashLabel(this));
        }

        @Override
        public List<String> details(boolean analyze) {
            List<String> d = new ArrayList<>();
            d.add("Hash Cond: " + condText);
            if (extraText != null) {
                d.add("Join Filter: " + extraText);
            }
            return d;
        }
    }

    /**
     * The "Hash" line EXPLAIN prints above a hash join's inner side (not executed itself): it shows its input's
     * counts (PostgreSQL's Hash node counts the rows it hashed) and, under EXPLAIN ANALYZE, the hash table's
     * buckets, batches and peak memory.
     */
    static final class HashLabel extends Plan {
        final Plan child;
        final HashJoin join;

        HashLabel(HashJoin join) {
            super(join.inner.columns);
            this.child = join.inner;
            this.join = join;
            estimate(child.totalCost, child.totalCost, child.rows);
            this.analyze = child.analyze;
            this.loops = child.loops;
            this.actualRows = child.actualRows;
            this.firstRowNanos = child.totalNanos;
            this.totalNanos = child.totalNanos;
        }

        @Override
        protected void doOpen(ExecState ex) {
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return null;
        }

        @Override
        public String label() {
            return "Hash";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }

        @Override
        public List<String> details(boolean analyze) {
            String info = analyze ? join.hashInfo() : null;
            return info == null ? List.of() : List.of(info);
        }
    }

    /** A sort key: expression, type, direction and NULLS placement. */
    public record SortKey(Ev expr, int type, boolean descending, boolean nullsFirst, String text) {
    }

    public static Comparator<Object[]> comparator(SortKey[] keys, ExecState ex) {
        return (a, b) -> {
            for (SortKey k : keys) {
                Object x = k.expr.eval(a, ex);
                Object y = k.expr.eval(b, ex);
                int c;
                if (x == null || y == null) {
                    if (x == y) {
                        continue;
                    }
                    // nulls sort as larger than everything unless NULLS FIRST
                    c = x == null ? 1 : -1;
                    if (k.nullsFirst) {
                        c = -c;
                    }
                    return c;
                }
                c = ex.types.compare(k.type, x, y);
                if (c != 0) {
                    return k.descending ? -c : c;
                }
            }
            return 0;
        };
    }

    static int[] types(List<OutCol> cols) {
        int[] t = new int[cols.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = cols.get(i).type();
        }
        return t;
    }

    /** A row codec for temporary files of rows with these column types. */
    static RowCodec codec(int[] types, ExecState ex) {
        TypeSupport ts = ex.types;
        return new RowCodec(types, ts::form, ts::deform);
    }

    /**
     * Sort: reads all input and returns it in order (stable: equal keys keep their input order). Within work_mem
     * the rows are sorted in memory; beyond, by an external merge sort over temporary files (ExternalSort, which
     * has the design notes).
     */
    public static final class Sort extends Plan {
        final Plan child;
        final SortKey[] keys;
        private final int[] types;
        private ExternalSort sort;
        // EXPLAIN ANALYZE: the largest figures over the executions (PostgreSQL's tuplesort keeps its maxima)
        private String externalMethod;
        private long memPeak;
        private long diskKb;

        public Sort(Plan child, SortKey[] keys) {
            super(child.columns);
            this.child = child;
            this.keys = keys;
            this.types = types(child.columns);
            double n = Math.max(2, child.rows);
            estimate(child.totalCost + n * Math.log(n) / Math.log(2) * 0.005, child.totalCost
                    + n * Math.log(n) / Math.log(2) * 0.005 + n * 0.0025, child.rows);
        }

        @Override
        protected void doOpen(ExecState ex) {
            release();
            sort = new ExternalSort(comparator(keys, ex), ex.workMem, ex::tempFiles, codec(types, ex), ex::tick)
                    .account(ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.SORT));
            child.open(ex);
            for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
                ex.tick();
                sort.put(r.clone());
            }
            sort.finish();
            memPeak = Math.max(memPeak, sort.memoryPeak());
            if (sort.external()) {
                externalMethod = sort.method();
                diskKb = Math.max(diskKb, sort.disk().peakKb());
            }
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return sort.next();
        }

        private void release() {
            if (sort != null) {
                if (sort.external()) {
                    diskKb = Math.max(diskKb, sort.disk().peakKb());
                }
                sort.close();
                sort = null;
            }
        }

        @Override
        public void close() {
            try {
                release();
            } finally {
                super.close();
            }
        }

        @Override
        public String label() {
            return "Sort";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }

        @Override
        public List<String> details(boolean analyze) {
            StringBuilder b = new StringBuilder("Sort Key: ");
            for (int i = 0; i < keys.length; i++) {
                b.append(i == 0 ? "" : ", ").append(keys[i].text).append(keys[i].descending ? " DESC" : "");
                if (keys[i].nullsFirst != keys[i].descending) {
                    b.append(keys[i].nullsFirst ? " NULLS FIRST" : " NULLS LAST");
                }
            }
            List<String> d = new ArrayList<>(List.of(b.toString()));
            if (analyze && loops > 0) {
                // the rows are Java objects, not PostgreSQL's sort tuples: memory is RowCodec's per-row estimate
                // (an estimate rather than a measurement); disk is the bytes of the runs, in whole 8 kB blocks
                d.add(externalMethod != null ? "Sort Method: " + externalMethod + "  Disk: " + diskKb + "kB"
                        : "Sort Method: quicksort  Memory: " + Math.max(1, (memPeak + 1023) / 1024) + "kB");
            }
            return d;
        }
    }

    /** Limit: OFFSET then at most LIMIT rows. */
    public static final class Limit extends Plan {
        final Plan child;
        final Ev offset;
        final Ev count;
        private long toSkip;
        private long left;

        public Limit(Plan child, Ev offset, Ev count, double estCount) {
            super(child.columns);
            this.child = child;
            this.offset = offset;
            this.count = count;
            double n = count == null ? child.rows : Math.min(child.rows, estCount);
            estimate(child.startupCost, child.startupCost + (child.totalCost - child.startupCost)
                    * (child.rows == 0 ? 1 : n / child.rows), n);
        }

        private static long num(Ev e, ExecState ex, String what) {
            if (e == null) {
                return -1;
            }
            Object v = e.eval(null, ex);
            if (v == null) {
                return -1;
            }
            long n = ((Number) v).longValue();
            if (n < 0) {
                throw ExecState.error("2201W".equals(what) ? "2201W" : "2201X", what.equals("2201W")
                        ? "LIMIT must not be negative" : "OFFSET must not be negative");
            }
            return n;
        }

        @Override
        protected void doOpen(ExecState ex) {
            long o = num(offset, ex, "2201X");
            toSkip = o < 0 ? 0 : o;
            left = num(count, ex, "2201W");
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            if (left == 0) {
                return null;
            }
            while (toSkip > 0) {
                if (child.next(ex) == null) {
                    return null;
                }
                toSkip--;
            }
            Object[] r = child.next(ex);
            if (r != null && left > 0) {
                left--;
            }
            return r;
        }

        @Override
        public String label() {
            return "Limit";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }
    }

    /** The first {@code n} values of a row as a hash key with each type's equality (NULLs equal, as DISTINCT wants). */
    static List<Object> rowKey(Object[] r, List<OutCol> cols, int n, ExecState ex) {
        Object[] k = new Object[n];
        for (int i = 0; i < n; i++) {
            k[i] = r[i] == null ? null : ex.types.hashKey(cols.get(i).type(), r[i]);
        }
        return Arrays.asList(k);
    }

    /**
     * HashAggregate-style duplicate removal over the first {@code ncols} columns (DISTINCT, UNION), streaming:
     * a row is returned when its key is first seen. Within hash_mem; beyond, as the hash aggregate (Aggregate has
     * the design notes): keys already seen keep dropping their duplicates, rows of new keys go to partition files,
     * each later deduplicated as a batch of its own. A key is returned from one level only: either it was in the
     * table before the spill (and all its later rows are dropped) or all its rows went to one partition.
     */
    public static final class Unique extends Plan {
        /** Bytes a key costs in the set besides its values (set entry, key list; 24 a value for its hash key). */
        private static final int KEY_OVERHEAD = 64;

        final Plan child;
        final int ncols;
        private final int[] types;
        private Set<List<Object>> seen;
        private long hashMem;
        private long memUsed;
        /** The table's share of the session's memory account (memUsed). */
        private modgres.sql.exec.spill.MemoryAccount.Charge charge;
        private HashPartitions spill;
        private final java.util.ArrayDeque<TempFile> batchFiles = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<Integer> batchLevels = new java.util.ArrayDeque<>();
        private TempFile reading;
        private int level;
        private boolean done;
        private RowCodec codec;
        private final TempFileSpace.Usage disk = new TempFileSpace.Usage();
        // EXPLAIN ANALYZE (largest over executions)
        private boolean ran;
        private int batchesUsed;
        private int maxBatchesUsed;
        private long memPeak;

        public Unique(Plan child, int ncols) {
            super(child.columns);
            this.child = child;
            this.ncols = ncols;
            this.types = types(child.columns);
            estimate(child.totalCost, child.totalCost + child.rows * 0.01, child.rows / 2);
        }

        @Override
        protected void doOpen(ExecState ex) {
            release();
            hashMem = ex.dataDirectory == null ? Long.MAX_VALUE : ex.hashMem();
            seen = new HashSet<>();
            memUsed = 0;
            charge = ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.HASH_AGG);
            level = 0;
            done = false;
            batchesUsed = 1;
            ran = true;
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            while (!done) {
                Object[] r = reading == null ? child.next(ex) : codec.read(reading);
                if (r == null) {
                    nextBatch();
                    continue;
                }
                List<Object> k = rowKey(r, columns, ncols, ex);
                if (spill == null) {
                    if (seen.add(k)) {
                        memUsed += RowCodec.estimate(r, ncols) + KEY_OVERHEAD + 24L * ncols;
                        charge.set(memUsed);
                        if (memUsed > hashMem) {
                            enterSpillMode(ex);
                        }
                        return r;
                    }
                } else if (!seen.contains(k)) {
                    ex.tick();
                    spill.write(spill.partitionOf(k.hashCode()), r);
                }
            }
            return null;
        }

        private void enterSpillMode(ExecState ex) {
            if (codec == null) {
                codec = codec(types, ex);
            }
            double entry = (double) memUsed / Math.max(1, seen.size());
            double expected = reading == null ? rows : reading.rows();
            spill = new HashPartitions(ex.tempFiles(), disk, codec, HashPartitions.choose(expected, entry, hashMem),
                    level + 1);
        }

        /** The current input is consumed: its partitions become batches; the next batch is read, if any. */
        private void nextBatch() {
            memPeak = Math.max(memPeak, memUsed);
            charge.release(); // the table is dropped: done, or a new one for the next batch
            if (spill != null) {
                for (int p = 0; p < spill.count(); p++) {
                    TempFile f = spill.take(p);
                    if (f != null) {
                        batchFiles.add(f);
                        batchLevels.add(spill.level());
                        batchesUsed++;
                    }
                }
                spill = null;
            }
            maxBatchesUsed = Math.max(maxBatchesUsed, batchesUsed);
            if (reading != null) {
                reading.delete();
                reading = null;
            }
            if (batchFiles.isEmpty()) {
                done = true;
                seen = null;
                return;
            }
            reading = batchFiles.poll();
            level = batchLevels.poll();
            seen = new HashSet<>();
            memUsed = 0;
        }

        private void release() {
            if (spill != null) {
                spill.delete();
                spill = null;
            }
            if (reading != null) {
                reading.delete();
                reading = null;
            }
            for (TempFile f : batchFiles) {
                f.delete();
            }
            batchFiles.clear();
            batchLevels.clear();
            seen = null;
            if (charge != null) {
                charge.release();
            }
        }

        @Override
        public void close() {
            try {
                release();
            } finally {
                super.close();
            }
        }

        @Override
        public String label() {
            return "HashAggregate";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }

        @Override
        public List<String> details(boolean analyze) {
            if (!analyze || !ran) {
                return List.of();
            }
            // as the hash aggregate's (show_hashagg_info); a LIMIT may have stopped the node early
            int b = Math.max(maxBatchesUsed, batchesUsed);
            long m = Math.max(memPeak, memUsed);
            String line = "Batches: " + b + "  Memory Usage: " + Math.max(1, (m + 1023) / 1024) + "kB";
            return List.of(b > 1 ? line + "  Disk Usage: " + disk.peakKb() + "kB" : line);
        }
    }

    /** Append: the rows of each child in turn (UNION ALL). */
    public static final class Append extends Plan {
        final List<Plan> parts;
        private int cur;

        public Append(List<OutCol> cols, List<Plan> parts) {
            super(cols);
            this.parts = parts;
            double r = 0;
            double c = 0;
            for (Plan p : parts) {
                r += p.rows;
                c += p.totalCost;
            }
            estimate(0, c, r);
        }

        @Override
        protected void doOpen(ExecState ex) {
            cur = 0;
            if (!parts.isEmpty()) {
                parts.get(0).open(ex);
            }
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            while (cur < parts.size()) {
                Object[] r = parts.get(cur).next(ex);
                if (r != null) {
                    return r;
                }
                cur++;
                if (cur < parts.size()) {
                    parts.get(cur).open(ex);
                }
            }
            return null;
        }

        @Override
        public String label() {
            return "Append";
        }

        @Override
        public List<Plan> children() {
            return parts;
        }
    }

    /** INTERSECT [ALL] / EXCEPT [ALL] by counting rows of both sides. */
    public static final class SetOp extends Plan {
        final Plan left;
        final Plan right;
        final boolean intersect;
        final boolean all;
        private Iterator<Object[]> it;
        /** The table's share of the session's memory account (kept in memory, not spilled: see architecture.md). */
        private modgres.sql.exec.spill.MemoryAccount.Charge charge;

        public SetOp(Plan left, Plan right, boolean intersect, boolean all) {
            super(left.columns);
            this.left = left;
            this.right = right;
            this.intersect = intersect;
            this.all = all;
            estimate(left.totalCost + right.totalCost, left.totalCost + right.totalCost, left.rows / 2);
        }

        private List<Object> key(Object[] r, ExecState ex) {
            return rowKey(r, columns, columns.size(), ex);
        }

        @Override
        protected void doOpen(ExecState ex) {
            Map<List<Object>, long[]> counts = new java.util.LinkedHashMap<>();
            Map<List<Object>, Object[]> firstRow = new HashMap<>();
            if (charge != null) {
                charge.release();
            }
            charge = ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.HASH_AGG);
            long bytes = 0;
            left.open(ex);
            for (Object[] r = left.next(ex); r != null; r = left.next(ex)) {
                List<Object> k = key(r, ex);
                counts.computeIfAbsent(k, x -> new long[2])[0]++;
                if (firstRow.putIfAbsent(k, r.clone()) == null) {
                    bytes += 2 * RowCodec.estimate(r) + 160; // the key and the row, two map entries, the counts
                    charge.set(bytes);
                }
            }
            right.open(ex);
            for (Object[] r = right.next(ex); r != null; r = right.next(ex)) {
                long[] c = counts.get(key(r, ex));
                if (c != null) {
                    c[1]++;
                }
            }
            List<Object[]> out = new ArrayList<>();
            for (Map.Entry<List<Object>, long[]> e : counts.entrySet()) {
                long l = e.getValue()[0];
                long r = e.getValue()[1];
                long n = intersect ? (all ? Math.min(l, r) : (r > 0 ? 1 : 0))
                        : (all ? Math.max(0, l - r) : (r == 0 ? 1 : 0));
                for (long i = 0; i < n; i++) {
                    out.add(firstRow.get(e.getKey()));
                }
            }
            charge.set(bytes + 8L * out.size());
            it = out.iterator();
        }

        @Override
        public void close() {
            super.close();
            it = null;
            if (charge != null) {
                charge.release();
            }
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return it.hasNext() ? it.next() : null;
        }

        @Override
        public String label() {
            return "HashSetOp " + (intersect ? "Intersect" : "Except") + (all ? " All" : "");
        }

        @Override
        public List<Plan> children() {
            return List.of(left, right);
        }
    }
}
