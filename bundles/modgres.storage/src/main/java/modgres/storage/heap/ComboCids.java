package modgres.storage.heap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import modgres.api.txn.TransactionManager;

/*
 * Design notes: combo command ids (PostgreSQL's combocid.c). A tuple has one
 * t_cid field, but a tuple that its own transaction inserts (cmin) and then
 * deletes or updates (cmax) needs both for the own-transaction visibility
 * rules. Such a tuple gets a combo id in t_cid and HEAP_COMBOCID in
 * t_infomask; the pair lives here.
 *
 * PostgreSQL keeps the pairs in backend-local memory. The heap here is one
 * service for every session, so the pairs are kept per inserting
 * (sub)transaction id, i.e. per t_xmin, which is what a reader has in hand.
 * Only the transaction that owns the tuple ever looks its combo id up (for
 * everyone else the tuple's xmin is not "current" and command ids do not
 * matter), so the pairs of a transaction that no longer runs are garbage:
 * they are swept when the table grows, and after a crash the flag on disk is
 * meaningless for the same reason (redo clears it anyway).
 *
 * Thread safety: the map is concurrent; one transaction's pairs are guarded
 * by their own monitor (a transaction's threads are one session, but a
 * sweep may look at them concurrently).
 */
final class ComboCids {
    /** Sweep finished transactions' pairs when more transactions than this have some. */
    private static final int SWEEP_AT = 256;

    /** The size that triggers the next sweep: doubles past what a sweep leaves, so sweeps stay rare. */
    private volatile int sweepAt = SWEEP_AT;

    private final TransactionManager tm;
    private final ConcurrentHashMap<Integer, Pairs> byXmin = new ConcurrentHashMap<>();

    ComboCids(TransactionManager tm) {
        this.tm = tm;
    }

    private static final class Pairs {
        final List<Long> list = new ArrayList<>();
        final Map<Long, Integer> index = new HashMap<>();
    }

    /** The combo id for (cmin, cmax) of a tuple inserted by {@code xmin} ({@code GetComboCommandId}). */
    int combo(int xmin, int cmin, int cmax) {
        Pairs p = byXmin.get(xmin);
        if (p == null) {
            if (byXmin.size() >= sweepAt) {
                sweep();
            }
            p = byXmin.computeIfAbsent(xmin, k -> new Pairs());
        }
        long key = (long) cmin << 32 | (cmax & 0xFFFFFFFFL);
        synchronized (p) {
            Integer id = p.index.get(key);
            if (id == null) {
                id = p.list.size();
                p.list.add(key);
                p.index.put(key, id);
            }
            return id;
        }
    }

    /** (cmin << 32 | cmax) of a combo id, or -1 when unknown (the transaction is gone). */
    long lookup(int xmin, int combo) {
        Pairs p = byXmin.get(xmin);
        if (p == null) {
            return -1;
        }
        synchronized (p) {
            return combo >= 0 && combo < p.list.size() ? p.list.get(combo) : -1;
        }
    }

    /** The number of transactions with pairs (for tests). */
    int size() {
        return byXmin.size();
    }

    private synchronized void sweep() {
        if (byXmin.size() < sweepAt) {
            return; // another thread swept meanwhile
        }
        byXmin.keySet().removeIf(xid -> !tm.isRunning(xid));
        sweepAt = Math.max(SWEEP_AT, byXmin.size() * 2);
    }
}
