package modgres.sql.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import modgres.api.error.PgException;

/*
 * Design notes: SERIALIZABLE as serializable snapshot isolation (Cahill's
 * SSI, the idea behind PostgreSQL's predicate.c), with predicate locks on
 * index keys for point look-ups and on whole relations for other reads.
 *
 * A SERIALIZABLE transaction runs on one snapshot like REPEATABLE READ, and
 * additionally records which relations it read (SIREAD "locks", which block
 * nobody) and which it wrote. Two serializable transactions are concurrent
 * when neither committed before the other started (took its snapshot). A
 * rw-antidependency R -> W exists when R read a relation that a concurrent W
 * wrote: R did not see W's change. Every cycle in the serialization graph of
 * snapshot isolation contains a "pivot", a transaction with both an incoming
 * and an outgoing rw-antidependency (T1 -> pivot -> T2). So:
 *
 *   read(rel)  by R: each concurrent W that wrote rel      -> R ->rw W
 *   write(rel) by W: each concurrent R that read rel       -> R ->rw W
 *   a new edge whose committed end is already a pivot       -> 40001 now (the
 *                                                              committed one cannot be undone)
 *   commit of a pivot (in and out edges to live partners)   -> 40001 instead of the commit
 *   abort                                                   -> its edges vanish
 *
 *   ACTIVE --commit check ok--> COMMITTED --no concurrent active left--> forgotten
 *      \--abort / 40001--> gone (partners no longer count it)
 *
 * Granularity. A read is either of a relation (a sequential, bitmap or
 * range index scan) or of one index key (a scan with every column of an
 * index equal to a value: what the row at that key is, or that there is
 * none). A write is of a relation, "keyed" when the executor reports the
 * keys of every row version it writes or removes in every index of the
 * relation (INSERT, UPDATE, DELETE through ModifyTable) and "unkeyed"
 * otherwise (COPY, a rewrite...). The dependency tests, both ways:
 *
 *   relation read of rel   vs  any write of rel
 *   key read (rel, ix, k)  vs  an unkeyed write of rel, or a keyed write
 *                              that wrote key k in index ix
 *
 * A key read that finds nothing still depends on a later insert of that key
 * (the insert writes k in ix): phantoms of point look-ups are caught.
 *
 * This is the conservative rule of the original SSI paper: it never lets an
 * anomaly through (write skew, read-only anomalies) but may abort
 * transactions PostgreSQL would let commit, and relation granularity makes
 * that likelier still for relation reads (PostgreSQL tracks tuples and
 * index pages, and only falls back to relations when its lock table is
 * full). The error is
 * PostgreSQL's: 40001 "could not serialize access due to read/write
 * dependencies among transactions"; the client retries.
 *
 * One instance per server (per transaction manager); every method holds the
 * instance's monitor, which is cheap next to a statement and only
 * SERIALIZABLE transactions come here.
 */
final class SerializableConflicts {

    static final String DETAIL_PIVOT = "Reason code: Canceled on identification as a pivot, during commit attempt.";
    static final String DETAIL_CONFLICT_IN = "Reason code: Canceled on conflict out to pivot, during read.";
    static final String DETAIL_CONFLICT_OUT = "Reason code: Canceled on identification as a pivot, during write.";

    /** Weak: a transaction manager that is gone (its bundle stopped) takes its instance with it. */
    private static final Map<Object, SerializableConflicts> BY_SERVER = new WeakHashMap<>();

    /** The instance shared by every session of a server ({@code key}: its transaction manager). */
    static synchronized SerializableConflicts of(Object key) {
        return BY_SERVER.computeIfAbsent(key, k -> new SerializableConflicts());
    }

    /** One serializable transaction's record. */
    static final class Sxact {
        final long startSeq;
        long commitSeq;
        boolean aborted;
        final Set<Long> reads = new HashSet<>();
        /** Relations written: true while every write to it reported its keys (keyed), false once one did not. */
        final Map<Long, Boolean> writes = new java.util.HashMap<>();
        final Set<KeyRef> readKeys = new HashSet<>();
        /** Relations with a key read in {@link #readKeys} (an unkeyed write of one conflicts with them all). */
        final Set<Long> keyReadRelations = new HashSet<>();
        final Set<KeyRef> writeKeys = new HashSet<>();
        /** Transactions that read what this one wrote (they ->rw this). */
        final Set<Sxact> in = new HashSet<>();
        /** Transactions that wrote what this one read (this ->rw they). */
        final Set<Sxact> out = new HashSet<>();

        Sxact(long startSeq) {
            this.startSeq = startSeq;
        }

        boolean active() {
            return commitSeq == 0 && !aborted;
        }
    }

    /** One key of one index of a relation (content equality of the key bytes). */
    record KeyRef(long relation, int index, java.nio.ByteBuffer key) {
    }

    private final List<Sxact> live = new ArrayList<>();
    private long seq;

    /** A transaction takes its snapshot. */
    synchronized Sxact begin() {
        Sxact s = new Sxact(++seq);
        live.add(s);
        return s;
    }

    private static boolean concurrent(Sxact a, Sxact b) {
        return (a.commitSeq == 0 || a.commitSeq > b.startSeq) && (b.commitSeq == 0 || b.commitSeq > a.startSeq);
    }

    private static boolean hasLive(Set<Sxact> s) {
        for (Sxact x : s) {
            if (!x.aborted) {
                return true;
            }
        }
        return false;
    }

    /** {@code me} read relation {@code rel} of database {@code db}. */
    synchronized void read(Sxact me, int db, int rel) {
        long key = key(db, rel);
        if (!me.reads.add(key)) {
            return;
        }
        for (Sxact w : live) {
            if (w != me && !w.aborted && w.writes.containsKey(key) && concurrent(me, w)) {
                edge(me, w, me);
            }
        }
    }

    /** {@code me} looked up {@code key} (every column equal) in index {@code index} of relation {@code rel}. */
    synchronized void readKey(Sxact me, int db, int rel, int index, byte[] key) {
        KeyRef k = new KeyRef(key(db, rel), index, java.nio.ByteBuffer.wrap(key));
        if (me.reads.contains(k.relation()) || !me.readKeys.add(k)) {
            return; // the whole relation counts as read already, or this key does
        }
        me.keyReadRelations.add(k.relation());
        for (Sxact w : live) {
            if (w != me && !w.aborted && concurrent(me, w)) {
                Boolean keyed = w.writes.get(k.relation());
                if (keyed != null && (!keyed || w.writeKeys.contains(k))) {
                    edge(me, w, me);
                }
            }
        }
    }

    /**
     * {@code me} wrote (inserted into, updated or deleted from) relation {@code rel}; {@code keyed}: the
     * executor reports the index keys of every row version it writes ({@link #writeKey}).
     */
    synchronized void write(Sxact me, int db, int rel, boolean keyed) {
        long key = key(db, rel);
        Boolean was = me.writes.get(key);
        if (was != null && (!was || keyed)) {
            return; // nothing new: written before, and as keyed as now (or unkeyed already)
        }
        me.writes.put(key, keyed);
        for (Sxact r : live) {
            if (r != me && !r.aborted && concurrent(me, r)) {
                boolean relationRead = was == null && r.reads.contains(key);
                if (relationRead || !keyed && r.keyReadRelations.contains(key)) {
                    edge(r, me, me);
                }
            }
        }
    }

    /** A row version {@code me} writes or removes has {@code key} in index {@code index} of {@code rel}. */
    synchronized void writeKey(Sxact me, int db, int rel, int index, byte[] key) {
        KeyRef k = new KeyRef(key(db, rel), index, java.nio.ByteBuffer.wrap(key));
        if (!me.writeKeys.add(k)) {
            return;
        }
        for (Sxact r : live) {
            if (r != me && !r.aborted && r.readKeys.contains(k) && concurrent(me, r)) {
                edge(r, me, me);
            }
        }
    }

    /** Records reader ->rw writer; fails {@code current} when the other end is a committed pivot now. */
    private void edge(Sxact reader, Sxact writer, Sxact current) {
        reader.out.add(writer);
        writer.in.add(reader);
        Sxact other = current == reader ? writer : reader;
        if (other.commitSeq != 0 && hasLive(other.in) && hasLive(other.out)) {
            fail(current, current == reader ? DETAIL_CONFLICT_IN : DETAIL_CONFLICT_OUT);
        }
    }

    /** At commit: a pivot fails with 40001 (and counts as aborted); otherwise the commit may go on. */
    synchronized void preCommit(Sxact me) {
        if (me.aborted) {
            throw serializationFailure(DETAIL_PIVOT);
        }
        if (hasLive(me.in) && hasLive(me.out)) {
            fail(me, DETAIL_PIVOT);
        }
        me.commitSeq = ++seq;
        forgetOld();
    }

    /** The transaction rolled back (or its commit failed): it no longer counts for anybody. */
    synchronized void abort(Sxact me) {
        me.aborted = true;
        live.remove(me);
        forgetOld();
    }

    /** Committed transactions nobody active overlaps any more cannot take part in a new edge. */
    private void forgetOld() {
        long oldestActiveStart = Long.MAX_VALUE;
        for (Sxact s : live) {
            if (s.active()) {
                oldestActiveStart = Math.min(oldestActiveStart, s.startSeq);
            }
        }
        long horizon = oldestActiveStart;
        live.removeIf(s -> s.commitSeq != 0 && s.commitSeq <= horizon);
    }

    /** How many transactions are tracked (for tests). */
    synchronized int tracked() {
        return live.size();
    }

    private void fail(Sxact me, String detail) {
        me.aborted = true;
        live.remove(me);
        throw serializationFailure(detail);
    }

    static PgException serializationFailure(String detail) {
        return new PgException("40001", "could not serialize access due to read/write dependencies among "
                + "transactions", detail, "The transaction might succeed if retried.");
    }

    private static long key(int db, int rel) {
        return (long) db << 32 | (rel & 0xFFFFFFFFL);
    }
}
