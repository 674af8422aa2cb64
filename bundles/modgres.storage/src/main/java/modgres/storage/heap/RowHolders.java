package modgres.storage.heap;

import static modgres.api.page.HeapTupleHeader.HEAP_KEYS_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_INVALID;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_IS_MULTI;

import java.util.ArrayList;
import java.util.List;

import modgres.api.access.RowLockMode;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.MultiXactManager;
import modgres.api.txn.MultiXactMember;
import modgres.api.txn.MultiXactStatus;
import modgres.api.txn.TransactionManager;

/*
 * Design notes: who holds a row, and what its xmax becomes when one more
 * transaction locks, updates or deletes it (PostgreSQL's
 * compute_new_xmax_infomask, MultiXactIdExpand, GetMultiXactIdHintBits and
 * the DoesMultiXactIdConflict part of heap_lock_tuple / heap_update).
 *
 * The holders of a row are read from xmax as a list of (xid, status):
 *
 *   HEAP_XMAX_INVALID / xmax 0          none
 *   single id, lock-only                (xmax, FOR KEY SHARE | FOR SHARE | FOR NO KEY UPDATE | FOR UPDATE)
 *   single id, not lock-only            (xmax, UPDATE if HEAP_KEYS_UPDATED else NO_KEY_UPDATE)
 *   HEAP_XMAX_IS_MULTI                  the MultiXact's members
 *
 * A request (status S by transaction X) waits only for running holders of
 * other transactions whose status conflicts with S (PostgreSQL's row lock
 * table: key share < share < no key update < update, conflicting when the
 * strengths add up to 3 or more); holders of X itself (any of its
 * subtransactions) never conflict. Once no conflicting holder runs, the new
 * xmax is
 *
 *   kept = running holders, without X's own older member of the same xid
 *          unless that one is stronger; plus (X, S)
 *   one member   -> that xid with the single-id bits of its status
 *   more         -> a new MultiXact of them: IS_MULTI, LOCK_ONLY unless one
 *                   member updates, lock bits of the strongest member,
 *                   HEAP_KEYS_UPDATED when the strongest is exclusive
 *
 * Invariants: a multi has at most one update member (an update waits for
 * every running updater, and a committed one ends the row: UPDATED);
 * finished lockers are dropped whenever a new xmax is computed, so a multi
 * never grows with dead members. An update's new version inherits the
 * non-conflicting lockers of other transactions (only FOR KEY SHARE ones can
 * survive a no-key update), so a foreign key's lock keeps protecting the row's
 * key across a concurrent non-key update (heap_update's xmax_new_tuple).
 *
 * Without a MultiXact service (tm.multiXacts() == null) every running holder
 * of another transaction conflicts: one holder at a time, as before.
 */
final class RowHolders {

    private static final MultiXactMember[] NONE = new MultiXactMember[0];

    /** A new xmax: the id and its WAL infobits (XLHL_*). */
    record NewXmax(int xmax, int infobits) {
    }

    private final TransactionManager tm;
    private final Visibility vis;

    RowHolders(TransactionManager tm, Visibility vis) {
        this.tm = tm;
        this.vis = vis;
    }

    static MultiXactStatus lockStatus(RowLockMode mode) {
        switch (mode) {
            case KEY_SHARE:
                return MultiXactStatus.FOR_KEY_SHARE;
            case SHARE:
                return MultiXactStatus.FOR_SHARE;
            case NO_KEY_EXCLUSIVE:
                return MultiXactStatus.FOR_NO_KEY_UPDATE;
            default:
                return MultiXactStatus.FOR_UPDATE;
        }
    }

    /** The holders the raw xmax names (see the notes). */
    MultiXactMember[] of(int xmax, int infomask, int infomask2) {
        if ((infomask & HEAP_XMAX_INVALID) != 0 || xmax == 0) {
            return NONE;
        }
        if ((infomask & HEAP_XMAX_IS_MULTI) != 0) {
            return vis.members(xmax);
        }
        if (Visibility.xmaxLockedOnly(infomask)) {
            RowLockMode m = HeapComponent.lockModeOf(infomask, infomask2);
            return new MultiXactMember[] {new MultiXactMember(xmax, lockStatus(m == null ? RowLockMode.EXCLUSIVE : m))};
        }
        return new MultiXactMember[] {new MultiXactMember(xmax,
                (infomask2 & HEAP_KEYS_UPDATED) != 0 ? MultiXactStatus.UPDATE : MultiXactStatus.NO_KEY_UPDATE)};
    }

    /** The running holders of other transactions that {@code want} must wait for. */
    int[] conflicts(MultiXactMember[] holders, MultiXactStatus want, CurrentTransaction cur) {
        boolean multis = tm.multiXacts() != null;
        int[] out = new int[holders.length];
        int n = 0;
        for (MultiXactMember h : holders) {
            if (cur.isCurrent(h.xid())) {
                continue;
            }
            if (!tm.isRunning(h.xid())) {
                // A finished locker holds nothing; but an updater that ended since the tuple was examined
                // (committed: the row has a newer version; aborted: it has not) must be "waited for" -- a
                // wait that returns at once -- so that the caller examines the tuple again instead of
                // changing a version that is no longer the newest (a lost update).
                if (h.status().isUpdate()) {
                    out[n++] = h.xid();
                }
                continue;
            }
            if (!multis || h.status().conflictsWith(want)) {
                out[n++] = h.xid();
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** True when the own transaction already holds a lock at least as strong as {@code want} (nothing to do). */
    boolean alreadyHeld(MultiXactMember[] holders, MultiXactStatus want, CurrentTransaction cur) {
        for (MultiXactMember h : holders) {
            if (!h.status().isUpdate() && h.status().strength() >= want.strength() && cur.isCurrent(h.xid())
                    && tm.isRunning(h.xid())) {
                return true;
            }
        }
        return false;
    }

    /** The xmax after {@code xid} adds {@code want} to the (non-conflicting) {@code holders}; may create a multi. */
    NewXmax add(MultiXactMember[] holders, int xid, MultiXactStatus want) {
        MultiXactManager mx = tm.multiXacts();
        List<MultiXactMember> kept = new ArrayList<>();
        if (mx != null) {
            for (MultiXactMember h : holders) {
                if (!tm.isRunning(h.xid())) {
                    continue; // finished lockers hold nothing; an aborted updater changed nothing
                }
                if (h.xid() == xid && h.status().strength() <= want.strength()) {
                    continue; // superseded by the new member
                }
                kept.add(h);
            }
        }
        kept.add(new MultiXactMember(xid, want));
        return of(kept, mx);
    }

    /**
     * The xmax the new version of an update starts with: the lockers of other
     * transactions still holding the old one (none: {@code null}).
     */
    NewXmax inheritedLockers(MultiXactMember[] holders, CurrentTransaction cur) {
        MultiXactManager mx = tm.multiXacts();
        if (mx == null) {
            return null;
        }
        List<MultiXactMember> lockers = new ArrayList<>();
        for (MultiXactMember h : holders) {
            if (!h.status().isUpdate() && !cur.isCurrent(h.xid()) && tm.isRunning(h.xid())) {
                lockers.add(h);
            }
        }
        return lockers.isEmpty() ? null : of(lockers, mx);
    }

    private static NewXmax of(List<MultiXactMember> members, MultiXactManager mx) {
        if (members.size() == 1) {
            MultiXactMember m = members.get(0);
            return new NewXmax(m.xid(), singleInfobits(m.status()));
        }
        int strongest = 0;
        boolean update = false;
        for (MultiXactMember m : members) {
            strongest = Math.max(strongest, m.status().strength());
            update |= m.status().isUpdate();
        }
        int bits = HeapWal.XLHL_XMAX_IS_MULTI | (update ? 0 : HeapWal.XLHL_XMAX_LOCK_ONLY);
        switch (strongest) {
            case 0:
                bits |= HeapWal.XLHL_XMAX_KEYSHR_LOCK;
                break;
            case 1:
                bits |= HeapWal.XLHL_XMAX_EXCL_LOCK | HeapWal.XLHL_XMAX_KEYSHR_LOCK;
                break;
            case 2:
                bits |= HeapWal.XLHL_XMAX_EXCL_LOCK;
                break;
            default:
                bits |= HeapWal.XLHL_XMAX_EXCL_LOCK | HeapWal.XLHL_KEYS_UPDATED;
        }
        int multi = mx.create(members.toArray(new MultiXactMember[0]));
        return new NewXmax(multi, bits);
    }

    /** The infobits of a single id in xmax with {@code status}. */
    static int singleInfobits(MultiXactStatus status) {
        switch (status) {
            case FOR_KEY_SHARE:
                return HeapComponent.lockInfobits(RowLockMode.KEY_SHARE);
            case FOR_SHARE:
                return HeapComponent.lockInfobits(RowLockMode.SHARE);
            case FOR_NO_KEY_UPDATE:
                return HeapComponent.lockInfobits(RowLockMode.NO_KEY_EXCLUSIVE);
            case FOR_UPDATE:
                return HeapComponent.lockInfobits(RowLockMode.EXCLUSIVE);
            case NO_KEY_UPDATE:
                return 0;
            default:
                return HeapWal.XLHL_KEYS_UPDATED;
        }
    }
}
