package modgres.sql.exec.spill;

/*
 * Design notes: one session's (backend's) memory accounting, what the console's
 * modgres:memory and pg_backend_memory_contexts show.
 *
 * Why: every executor structure that grows with its input already estimates
 * its size against work_mem to decide when to spill (RowCodec.estimate plus
 * bookkeeping); the account adds those same estimates up, so the figure shown
 * is the figure the limits are enforced on, not a second measure.
 *
 * Who writes, who reads: the session's own thread is the only writer. An
 * operator holds a Charge (one per structure: a sort's buffer, a hash table, a
 * row store) and sets it to its current estimate whenever that changes; the
 * Charge turns it into a delta on the account's context and total. Readers in
 * other threads (the console) see the totals through opaque accesses (a
 * plain store on x86/ARM, no fence, no atomic read-modify-write): they may be
 * slightly stale, never torn. Per-context figures are read by the owner only
 * (its own pg_backend_memory_contexts).
 *
 * Query life cycle (nesting counted: a statement run from inside another
 * does not end the outer one):
 *
 *   idle ──beginQuery──▶ running (queryPeak = what is held now)
 *   running ──charges set/released──▶ running (current, queryPeak, sessionPeak follow)
 *   running ──endQuery (outermost)──▶ idle: current and every context back to 0,
 *                                      the epoch advances
 *
 * Invariants: current == sum(contexts); queryPeak >= current; sessionPeak >=
 * queryPeak. A Charge remembers the epoch it was last set in: an operator an
 * error left unreleased (or a cached plan's operator opened again in a later
 * query) starts from 0 in the new epoch, so a leak of one query never
 * distorts the next one's figures.
 */

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A session's accounted executor memory, temporary buffers and temporary files; see the design notes. */
public final class MemoryAccount {

    /** Where the bytes are held, named as PostgreSQL's memory contexts for the same purpose. */
    public enum Context {
        /** Rows kept for re-reading: CTEs, materialised inner sides, window partitions, working tables. */
        EXECUTOR("ExecutorState"),
        /** Sort buffers. */
        SORT("TupleSort main"),
        /** Hash join tables. */
        HASH("HashTableContext"),
        /** Hash aggregation, hashed DISTINCT / set operations. */
        HASH_AGG("HashAgg meta context"),
        /** Window partitions. */
        WINDOW("WindowAgg Partition"),
        /** The result rows built for the client. */
        PORTAL("PortalContext");

        public final String pgName;

        Context(String pgName) {
            this.pgName = pgName;
        }
    }

    private static final VarHandle CURRENT;
    private static final VarHandle QUERY_PEAK;
    private static final VarHandle SESSION_PEAK;
    private static final VarHandle TEMP_FILES;
    private static final VarHandle TEMP_FILE_BYTES;
    private static final VarHandle TEMP_BUFFERS_USED;
    private static final VarHandle TEMP_BUFFERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CURRENT = l.findVarHandle(MemoryAccount.class, "current", long.class);
            QUERY_PEAK = l.findVarHandle(MemoryAccount.class, "queryPeak", long.class);
            SESSION_PEAK = l.findVarHandle(MemoryAccount.class, "sessionPeak", long.class);
            TEMP_FILES = l.findVarHandle(MemoryAccount.class, "tempFiles", int.class);
            TEMP_FILE_BYTES = l.findVarHandle(MemoryAccount.class, "tempFileBytes", long.class);
            TEMP_BUFFERS_USED = l.findVarHandle(MemoryAccount.class, "tempBuffersUsed", int.class);
            TEMP_BUFFERS = l.findVarHandle(MemoryAccount.class, "tempBuffers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long current;
    private long queryPeak;
    private long sessionPeak;
    private int tempFiles;
    private long tempFileBytes;
    private int tempBuffersUsed;
    private int tempBuffers;
    private final long[] contexts = new long[Context.values().length];
    private final long[] contextPeaks = new long[Context.values().length];
    private int depth;
    private int epoch;

    /** One structure's share of the account: set to its current estimate, released (0) when it goes. */
    public final class Charge {
        private final int context;
        private long held;
        private int chargedIn = epoch;

        Charge(Context context) {
            this.context = context.ordinal();
        }

        /** The structure now holds {@code bytes} (estimated). */
        public void set(long bytes) {
            if (chargedIn != epoch) { // left over from an earlier query: its bytes were already dropped
                chargedIn = epoch;
                held = 0;
            }
            long d = bytes - held;
            if (d != 0) {
                held = bytes;
                add(context, d);
            }
        }

        /** Adds {@code bytes} to what the structure holds. */
        public void grow(long bytes) {
            set((chargedIn != epoch ? 0 : held) + bytes);
        }

        /** The structure holds nothing any more. */
        public void release() {
            set(0);
        }

        /** What this charge holds now. */
        public long held() {
            return chargedIn != epoch ? 0 : held;
        }
    }

    /** A new charge in {@code context}, holding nothing. */
    public Charge charge(Context context) {
        return new Charge(context);
    }

    private void add(int context, long delta) {
        long c = current + delta;
        long[] ctx = contexts;
        long v = ctx[context] + delta;
        ctx[context] = v;
        if (v > contextPeaks[context]) {
            contextPeaks[context] = v;
        }
        CURRENT.setOpaque(this, c);
        if (c > queryPeak) {
            QUERY_PEAK.setOpaque(this, c);
            if (c > sessionPeak) {
                SESSION_PEAK.setOpaque(this, c);
            }
        }
    }

    /** A statement starts (nested ones count: only the outermost resets the query's peak). */
    public void beginQuery() {
        if (depth++ == 0) {
            QUERY_PEAK.setOpaque(this, current);
            for (int i = 0; i < contexts.length; i++) {
                contextPeaks[i] = contexts[i];
            }
        }
    }

    /** A statement ended (also after an error): the outermost one drops whatever its operators still held. */
    public void endQuery() {
        if (depth > 0 && --depth == 0) {
            java.util.Arrays.fill(contexts, 0);
            CURRENT.setOpaque(this, 0L);
            epoch++;
        }
    }

    /** Temporary files changed: {@code files} more (or fewer), {@code bytes} more (or fewer) written. */
    public void tempFiles(int files, long bytes) {
        TEMP_FILES.setOpaque(this, tempFiles + files);
        TEMP_FILE_BYTES.setOpaque(this, tempFileBytes + bytes);
    }

    /** The local (temporary-table) buffers: {@code used} holding a page, of {@code size} (temp_buffers). */
    public void tempBuffers(int used, int size) {
        TEMP_BUFFERS_USED.setOpaque(this, used);
        TEMP_BUFFERS.setOpaque(this, size);
    }

    // ---------------------------------------------------------------- readers (any thread)

    /** Bytes held by executor structures now. */
    public long current() {
        return (long) CURRENT.getOpaque(this);
    }

    /** The most held at once during the current (or last) query. */
    public long queryPeak() {
        return (long) QUERY_PEAK.getOpaque(this);
    }

    /** The most held at once during the session. */
    public long sessionPeak() {
        return (long) SESSION_PEAK.getOpaque(this);
    }

    /** Temporary files not yet deleted. */
    public int tempFileCount() {
        return (int) TEMP_FILES.getOpaque(this);
    }

    /** Bytes written to temporary files not yet deleted. */
    public long tempFileBytes() {
        return (long) TEMP_FILE_BYTES.getOpaque(this);
    }

    /** Local buffers holding a page, as last noted by the session. */
    public int tempBuffersUsed() {
        return (int) TEMP_BUFFERS_USED.getOpaque(this);
    }

    /** The local buffer pool's size in buffers (temp_buffers), as last noted by the session. */
    public int tempBuffers() {
        return (int) TEMP_BUFFERS.getOpaque(this);
    }

    // ---------------------------------------------------------------- owner only

    /** Bytes held now in {@code context} (the owning thread only). */
    public long held(Context context) {
        return contexts[context.ordinal()];
    }

    /** The most held in {@code context} during the current (or last) query (the owning thread only). */
    public long peak(Context context) {
        return contextPeaks[context.ordinal()];
    }
}
