package modgres.storage.heap;

import static modgres.api.page.HeapTupleHeader.HEAP_COMBOCID;
import static modgres.api.page.HeapTupleHeader.HEAP_LOCK_MASK;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_COMMITTED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_EXCL_LOCK;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_INVALID;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_IS_MULTI;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_LOCK_ONLY;
import static modgres.api.page.HeapTupleHeader.HEAP_XMIN_COMMITTED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMIN_FROZEN;
import static modgres.api.page.HeapTupleHeader.HEAP_XMIN_INVALID;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

import modgres.api.access.Tid;
import modgres.api.buffer.BufferPool;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.Page;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.MultiXactManager;
import modgres.api.txn.MultiXactMember;
import modgres.api.txn.Snapshot;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.Wal;

/*
 * Design notes: tuple visibility, PostgreSQL's heapam_visibility.c for the
 * snapshot kinds the heap needs:
 *
 *   mvcc      HeapTupleSatisfiesMVCC     fetch, scan, isVisible, crosschecks
 *   update    HeapTupleSatisfiesUpdate   delete, update, lock: a TM result
 *   dirty     HeapTupleSatisfiesDirty    tupleState (uniqueness checks)
 *   vacuum    HeapTupleSatisfiesVacuum   pruning and vacuum, against oldestXmin
 *
 * Each rule works on the header's raw values (xmin, xmax, t_cid, t_infomask)
 * and returns its answer together with the hint bits it learnt (packed in a
 * long: answer in the low half, hints in the high half), so the same code
 * serves tuples on a page (hints then set on the page) and tuples already
 * copied out (isVisible: hints dropped).
 *
 * Hint bits (t_infomask XMIN_COMMITTED, XMIN_INVALID, XMAX_COMMITTED,
 * XMAX_INVALID) are set under a shared content lock followed by markDirty, as
 * the BufferPool allows, but only when both rules below hold:
 *
 *  1. Torn pages: not on a page whose next change would need a full-page
 *     image (Wal.needsFullPageImage(pd_lsn)). Pages are checksummed on write,
 *     so a torn write of a hint-only change would fail its checksum after a
 *     crash unless the WAL holds an image of the page from after the REDO
 *     pointer; a page changed since the REDO pointer has one. (PostgreSQL
 *     logs an image for the hint instead, XLogSaveBufferForHint; we skip the
 *     hint and look the transaction up again next time.)
 *  2. Durable commits: a COMMITTED hint only once the commit record is known
 *     flushed. The transaction manager does not tell a commit's LSN, so we
 *     bound it: the commit record was inserted before the status became
 *     COMMITTED, hence before the insert position read after seeing that
 *     status. That bound is remembered per xid in a small cache, and the hint
 *     is set once Wal.flushedPosition() has passed it. (PostgreSQL compares
 *     the real commit LSN, TransactionIdGetCommitLSN.) INVALID hints need no
 *     such care: a transaction whose abort is lost is aborted anyway.
 *
 * MultiXacts (HEAP_XMAX_IS_MULTI): xmax names several members. A lock-only
 * multi (HEAP_XMAX_LOCK_ONLY) hides nothing, like a single locker; it "runs"
 * while any member runs. Otherwise the multi's one update member (status
 * NO_KEY_UPDATE / UPDATE) is the deleter and every rule below works on its
 * xid instead of the raw xmax (updateXidOf). XMAX_COMMITTED is never set on a
 * multi (the update xid is looked up each time, as PostgreSQL), and
 * XMAX_INVALID only once no member runs and the updater (if any) did not
 * commit: setHints enforces both, so the rules may propose hints freely.
 */
final class Visibility {

    // answers of satisfiesUpdate (TM_Result)
    static final int TM_OK = 0;
    static final int TM_INVISIBLE = 1;
    static final int TM_SELF_MODIFIED = 2;
    static final int TM_UPDATED = 3;
    static final int TM_DELETED = 4;
    static final int TM_BEING_MODIFIED = 5;

    // answers of satisfiesVacuum (HTSV_Result)
    static final int HT_DEAD = 0;
    static final int HT_LIVE = 1;
    static final int HT_RECENTLY_DEAD = 2;
    static final int HT_INSERT_IN_PROGRESS = 3;
    static final int HT_DELETE_IN_PROGRESS = 4;

    // answers of satisfiesDirty
    static final int DIRTY_DEAD = 0;
    static final int DIRTY_LIVE = 1;
    static final int DIRTY_INSERT_IN_PROGRESS = 2;
    static final int DIRTY_DELETE_IN_PROGRESS = 3;

    private static final int BOUND_SLOTS = 4096;

    private final TransactionManager tm;
    private final Wal wal;
    final ComboCids combos;
    /** Per xid (by low bits): an LSN at or past its commit record's end. */
    private final AtomicReferenceArray<CommitBound> bounds = new AtomicReferenceArray<>(BOUND_SLOTS);

    private record CommitBound(int xid, long lsn) {
    }

    Visibility(TransactionManager tm, Wal wal) {
        this.tm = tm;
        this.wal = wal;
        this.combos = new ComboCids(tm);
    }

    static long answer(int answer, int hints) {
        return (long) hints << 32 | (answer & 0xFFFFFFFFL);
    }

    static int answerOf(long r) {
        return (int) r;
    }

    static int hintsOf(long r) {
        return (int) (r >>> 32);
    }

    // ------------------------------------------------------------------ header predicates

    static boolean xmaxLockedOnly(int infomask) {
        return (infomask & HEAP_XMAX_LOCK_ONLY) != 0
                || (infomask & (HEAP_XMAX_IS_MULTI | HEAP_LOCK_MASK)) == HEAP_XMAX_EXCL_LOCK;
    }

    static boolean isMulti(int infomask) {
        return (infomask & (HEAP_XMAX_IS_MULTI | HEAP_XMAX_INVALID)) == HEAP_XMAX_IS_MULTI;
    }

    /** The members of a multi xmax (none when there is no MultiXact service). */
    MultiXactMember[] members(int multi) {
        MultiXactManager mx = tm.multiXacts();
        return mx == null ? new MultiXactMember[0] : mx.members(multi);
    }

    /** The update member's xid of a multi ({@link Xid#INVALID} when it has none: only lockers). */
    int updateXid(int multi) {
        for (MultiXactMember m : members(multi)) {
            if (m.status().isUpdate()) {
                return m.xid();
            }
        }
        return Xid.INVALID;
    }

    /** True while any member of the multi runs ({@code MultiXactIdIsRunning}). */
    boolean multiRunning(int multi) {
        for (MultiXactMember m : members(multi)) {
            if (tm.isRunning(m.xid())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the xmax (a single id or a multi) still holds the row: its transaction, or any member, runs. */
    boolean xmaxRunning(int xmax, int infomask) {
        return isMulti(infomask) ? multiRunning(xmax) : tm.isRunning(xmax);
    }

    /**
     * The deleting/updating transaction a raw xmax stands for: the xmax itself,
     * or for a multi that is not lock-only its update member
     * ({@code HeapTupleHeaderGetUpdateXid}).
     */
    int updateXidOf(int xmax, int infomask) {
        if (isMulti(infomask) && !xmaxLockedOnly(infomask)) {
            return updateXid(xmax);
        }
        return xmax;
    }

    static boolean xminFrozen(int infomask) {
        return (infomask & HEAP_XMIN_FROZEN) == HEAP_XMIN_FROZEN;
    }

    /** The command id of the insert, resolving a combo id. */
    int cmin(int xmin, int rawCid, int infomask) {
        if ((infomask & HEAP_COMBOCID) != 0) {
            long p = combos.lookup(xmin, rawCid);
            if (p != -1) {
                return (int) (p >>> 32);
            }
        }
        return rawCid;
    }

    /** The command id of the delete, update or lock, resolving a combo id. */
    int cmax(int xmin, int rawCid, int infomask) {
        if ((infomask & HEAP_COMBOCID) != 0) {
            long p = combos.lookup(xmin, rawCid);
            if (p != -1) {
                return (int) p;
            }
        }
        return rawCid;
    }

    private static boolean cidAtOrAfter(int a, int b) {
        return Integer.compareUnsigned(a, b) >= 0;
    }

    private boolean committed(int xid) {
        return tm.status(xid) == XidStatus.COMMITTED;
    }

    /** {@code bit} when a COMMITTED hint for {@code xid} (just seen committed) may be set now, else 0. */
    private int committedHint(int xid, int bit, boolean wantHints) {
        if (!wantHints) {
            return 0;
        }
        long flushed = wal.flushedPosition();
        int slot = xid & (BOUND_SLOTS - 1);
        CommitBound b = bounds.get(slot);
        if (b == null || b.xid() != xid) {
            long ip = wal.insertPosition();
            // A position just past a WAL page header: no record ends inside the header.
            long inPage = ip % Wal.PAGE_SIZE;
            if (inPage <= 40) {
                ip -= inPage;
            }
            b = new CommitBound(xid, ip);
            bounds.set(slot, b);
        }
        return Long.compareUnsigned(flushed, b.lsn()) >= 0 ? bit : 0;
    }

    // ------------------------------------------------------------------ MVCC

    /** {@code HeapTupleSatisfiesMVCC}: answer 1 visible, 0 not; plus the hints learnt. */
    long mvcc(int xmin, int xmax, int rawCid, int infomask, Snapshot s, boolean wantHints) {
        xmax = updateXidOf(xmax, infomask);
        int hints = 0;
        CurrentTransaction cur = s.current();
        int curcid = s.commandId();
        if ((infomask & HEAP_XMIN_COMMITTED) == 0) {
            if ((infomask & HEAP_XMIN_INVALID) != 0) {
                return answer(0, 0);
            }
            if (cur.isCurrent(xmin)) {
                if (cidAtOrAfter(cmin(xmin, rawCid, infomask), curcid)) {
                    return answer(0, 0); // inserted after the scan started
                }
                if ((infomask & HEAP_XMAX_INVALID) != 0 || xmaxLockedOnly(infomask)) {
                    return answer(1, 0);
                }
                if (!cur.isCurrent(xmax)) {
                    return answer(1, HEAP_XMAX_INVALID); // the deleting subtransaction aborted
                }
                return answer(cidAtOrAfter(cmax(xmin, rawCid, infomask), curcid) ? 1 : 0, 0);
            }
            if (s.isRunning(xmin)) {
                return answer(0, 0);
            }
            if (committed(xmin)) {
                hints |= committedHint(xmin, HEAP_XMIN_COMMITTED, wantHints);
            } else {
                return answer(0, HEAP_XMIN_INVALID);
            }
        } else if (!xminFrozen(infomask) && s.isRunning(xmin)) {
            return answer(0, 0);
        }
        // the inserter is visible
        if ((infomask & HEAP_XMAX_INVALID) != 0 || xmaxLockedOnly(infomask)) {
            return answer(1, hints);
        }
        if ((infomask & HEAP_XMAX_COMMITTED) == 0) {
            if (cur.isCurrent(xmax)) {
                return answer(cidAtOrAfter(cmax(xmin, rawCid, infomask), curcid) ? 1 : 0, hints);
            }
            if (s.isRunning(xmax)) {
                return answer(1, hints);
            }
            if (!committed(xmax)) {
                return answer(1, hints | HEAP_XMAX_INVALID);
            }
            hints |= committedHint(xmax, HEAP_XMAX_COMMITTED, wantHints);
        } else if (s.isRunning(xmax)) {
            return answer(1, hints);
        }
        return answer(0, hints);
    }

    /** MVCC visibility of the tuple at {@code t}, setting hints on the page as allowed. */
    boolean mvcc(BufferPool pool, int buffer, ByteBuffer page, int t, Snapshot s) {
        long r = mvcc(HeapTupleHeader.xmin(page, t), HeapTupleHeader.xmax(page, t), HeapTupleHeader.cid(page, t),
                HeapTupleHeader.infomask(page, t), s, true);
        setHints(pool, buffer, page, t, hintsOf(r));
        return answerOf(r) != 0;
    }

    // ------------------------------------------------------------------ update

    /**
     * {@code HeapTupleSatisfiesUpdate}: may {@code curcid} of the transaction
     * {@code cur} change the tuple at {@code t}? Sets hints (the caller holds
     * the exclusive lock).
     */
    int satisfiesUpdate(BufferPool pool, int buffer, ByteBuffer page, int t, int curcid, CurrentTransaction cur,
            long self) {
        int xmin = HeapTupleHeader.xmin(page, t);
        int xmax = HeapTupleHeader.xmax(page, t);
        int rawCid = HeapTupleHeader.cid(page, t);
        int infomask = HeapTupleHeader.infomask(page, t);
        boolean updated = HeapTupleHeader.ctidBlock(page, t) != Tid.block(self)
                || HeapTupleHeader.ctidOffset(page, t) != Tid.offset(self);
        int rawXmax = xmax;
        xmax = updateXidOf(xmax, infomask);
        if ((infomask & HEAP_XMIN_COMMITTED) == 0) {
            if ((infomask & HEAP_XMIN_INVALID) != 0) {
                return TM_INVISIBLE;
            }
            if (cur.isCurrent(xmin)) {
                if (cidAtOrAfter(cmin(xmin, rawCid, infomask), curcid)) {
                    return TM_INVISIBLE; // inserted after the scan started
                }
                if ((infomask & HEAP_XMAX_INVALID) != 0) {
                    return TM_OK;
                }
                if (xmaxLockedOnly(infomask)) {
                    return xmaxRunning(rawXmax, infomask) ? TM_BEING_MODIFIED : TM_OK;
                }
                if (!cur.isCurrent(xmax)) {
                    setHints(pool, buffer, page, t, HEAP_XMAX_INVALID); // the deleting subtransaction aborted
                    return TM_OK;
                }
                return cidAtOrAfter(cmax(xmin, rawCid, infomask), curcid) ? TM_SELF_MODIFIED : TM_INVISIBLE;
            }
            if (tm.isRunning(xmin)) {
                return TM_INVISIBLE;
            }
            if (committed(xmin)) {
                setHints(pool, buffer, page, t, committedHint(xmin, HEAP_XMIN_COMMITTED, true));
            } else {
                setHints(pool, buffer, page, t, HEAP_XMIN_INVALID);
                return TM_INVISIBLE;
            }
        }
        // the inserter committed
        if ((infomask & HEAP_XMAX_INVALID) != 0) {
            return TM_OK;
        }
        if ((infomask & HEAP_XMAX_COMMITTED) != 0) {
            if (xmaxLockedOnly(infomask)) {
                return TM_OK;
            }
            return updated ? TM_UPDATED : TM_DELETED;
        }
        if (isMulti(infomask)) {
            if (xmaxLockedOnly(infomask)) {
                if (multiRunning(rawXmax)) {
                    return TM_BEING_MODIFIED;
                }
                setHints(pool, buffer, page, t, HEAP_XMAX_INVALID); // every locker is gone
                return TM_OK;
            }
            if (cur.isCurrent(xmax)) {
                return cidAtOrAfter(cmax(xmin, rawCid, infomask), curcid) ? TM_SELF_MODIFIED : TM_INVISIBLE;
            }
            if (tm.isRunning(xmax)) {
                return TM_BEING_MODIFIED;
            }
            if (committed(xmax)) {
                return updated ? TM_UPDATED : TM_DELETED;
            }
            if (multiRunning(rawXmax)) {
                return TM_BEING_MODIFIED; // the updater aborted, lockers remain
            }
            setHints(pool, buffer, page, t, HEAP_XMAX_INVALID);
            return TM_OK;
        }
        if (cur.isCurrent(xmax)) {
            if (xmaxLockedOnly(infomask)) {
                return TM_BEING_MODIFIED;
            }
            return cidAtOrAfter(cmax(xmin, rawCid, infomask), curcid) ? TM_SELF_MODIFIED : TM_INVISIBLE;
        }
        if (tm.isRunning(xmax)) {
            return TM_BEING_MODIFIED;
        }
        if (!committed(xmax)) {
            setHints(pool, buffer, page, t, HEAP_XMAX_INVALID); // aborted or crashed
            return TM_OK;
        }
        if (xmaxLockedOnly(infomask)) {
            setHints(pool, buffer, page, t, HEAP_XMAX_INVALID); // a finished locker holds nothing
            return TM_OK;
        }
        setHints(pool, buffer, page, t, committedHint(xmax, HEAP_XMAX_COMMITTED, true));
        return updated ? TM_UPDATED : TM_DELETED;
    }

    // ------------------------------------------------------------------ dirty

    /** {@code HeapTupleSatisfiesDirty}: answer one of DIRTY_*, with the xid to wait for in the high half. */
    long satisfiesDirty(BufferPool pool, int buffer, ByteBuffer page, int t, CurrentTransaction cur) {
        int xmin = HeapTupleHeader.xmin(page, t);
        int infomask = HeapTupleHeader.infomask(page, t);
        int xmax = updateXidOf(HeapTupleHeader.xmax(page, t), infomask);
        if ((infomask & HEAP_XMIN_COMMITTED) == 0) {
            if ((infomask & HEAP_XMIN_INVALID) != 0) {
                return DIRTY_DEAD;
            }
            if (cur.isCurrent(xmin)) {
                if ((infomask & HEAP_XMAX_INVALID) != 0 || xmaxLockedOnly(infomask)) {
                    return DIRTY_LIVE;
                }
                if (!cur.isCurrent(xmax)) {
                    setHints(pool, buffer, page, t, HEAP_XMAX_INVALID);
                    return DIRTY_LIVE;
                }
                return DIRTY_DEAD;
            }
            if (tm.isRunning(xmin)) {
                return answer(DIRTY_INSERT_IN_PROGRESS, xmin);
            }
            if (committed(xmin)) {
                setHints(pool, buffer, page, t, committedHint(xmin, HEAP_XMIN_COMMITTED, true));
            } else {
                setHints(pool, buffer, page, t, HEAP_XMIN_INVALID);
                return DIRTY_DEAD;
            }
        }
        if ((infomask & HEAP_XMAX_INVALID) != 0 || xmaxLockedOnly(infomask)) {
            return DIRTY_LIVE;
        }
        if ((infomask & HEAP_XMAX_COMMITTED) != 0) {
            return DIRTY_DEAD;
        }
        if (cur.isCurrent(xmax)) {
            return DIRTY_DEAD;
        }
        if (tm.isRunning(xmax)) {
            return answer(DIRTY_DELETE_IN_PROGRESS, xmax);
        }
        if (!committed(xmax)) {
            setHints(pool, buffer, page, t, HEAP_XMAX_INVALID);
            return DIRTY_LIVE;
        }
        setHints(pool, buffer, page, t, committedHint(xmax, HEAP_XMAX_COMMITTED, true));
        return DIRTY_DEAD;
    }

    // ------------------------------------------------------------------ vacuum

    /** {@code HeapTupleSatisfiesVacuum}: one of HT_*. Sets hints (pruning holds the exclusive lock). */
    int satisfiesVacuum(BufferPool pool, int buffer, ByteBuffer page, int t, int oldestXmin) {
        int xmin = HeapTupleHeader.xmin(page, t);
        int rawXmax = HeapTupleHeader.xmax(page, t);
        int infomask = HeapTupleHeader.infomask(page, t);
        int xmax = updateXidOf(rawXmax, infomask);
        if ((infomask & HEAP_XMIN_COMMITTED) == 0) {
            if ((infomask & HEAP_XMIN_INVALID) != 0) {
                return HT_DEAD;
            }
            if (tm.isRunning(xmin)) {
                if ((infomask & HEAP_XMAX_INVALID) != 0 || xmaxLockedOnly(infomask)) {
                    return HT_INSERT_IN_PROGRESS;
                }
                // inserted and then deleted by the same transaction: deleting; else the deleter aborted
                return xmax == xmin ? HT_DELETE_IN_PROGRESS : HT_INSERT_IN_PROGRESS;
            }
            if (committed(xmin)) {
                setHints(pool, buffer, page, t, committedHint(xmin, HEAP_XMIN_COMMITTED, true));
            } else {
                setHints(pool, buffer, page, t, HEAP_XMIN_INVALID);
                return HT_DEAD;
            }
        }
        if ((infomask & HEAP_XMAX_INVALID) != 0) {
            return HT_LIVE;
        }
        if (xmaxLockedOnly(infomask)) {
            if ((infomask & HEAP_XMAX_COMMITTED) == 0 && !xmaxRunning(rawXmax, infomask)) {
                setHints(pool, buffer, page, t, HEAP_XMAX_INVALID);
            }
            return HT_LIVE;
        }
        if ((infomask & HEAP_XMAX_COMMITTED) == 0) {
            if (tm.isRunning(xmax)) {
                return HT_DELETE_IN_PROGRESS;
            }
            if (committed(xmax)) {
                setHints(pool, buffer, page, t, committedHint(xmax, HEAP_XMAX_COMMITTED, true));
            } else {
                setHints(pool, buffer, page, t, HEAP_XMAX_INVALID);
                return HT_LIVE;
            }
        }
        // the deleter committed: dead to everyone once it precedes the horizon
        return Xid.precedes(xmax, oldestXmin) ? HT_DEAD : HT_RECENTLY_DEAD;
    }

    // ------------------------------------------------------------------ hints

    /** Sets hint bits on the page when the rules in the notes above allow it, and marks the buffer dirty. */
    void setHints(BufferPool pool, int buffer, ByteBuffer page, int t, int hints) {
        if (hints == 0 || pool == null) {
            return;
        }
        int m = HeapTupleHeader.infomask(page, t);
        if (isMulti(m) && (hints & (HEAP_XMAX_COMMITTED | HEAP_XMAX_INVALID)) != 0) {
            hints &= ~HEAP_XMAX_COMMITTED; // the update member is looked up each time
            if ((hints & HEAP_XMAX_INVALID) != 0) {
                int multi = HeapTupleHeader.xmax(page, t);
                int upd = updateXidOf(multi, m);
                if (multiRunning(multi) || Xid.isNormal(upd) && committed(upd)) {
                    hints &= ~HEAP_XMAX_INVALID;
                }
            }
        }
        if ((m | hints) == m) {
            return;
        }
        if (wal.needsFullPageImage(Page.lsn(page))) {
            return;
        }
        HeapTupleHeader.setInfomask(page, t, m | hints);
        pool.markDirty(buffer);
    }
}
