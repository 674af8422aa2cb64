package modgres.api.txn;

import java.util.Arrays;

/**
 * An MVCC snapshot (PostgreSQL's {@code SnapshotData}, MVCC kind): every
 * transaction id below {@link #xmin()} had finished when it was taken, every id
 * at or above {@link #xmax()} had not started, and between them exactly the
 * ids of {@link #inProgress()} were running (subtransaction ids included).
 * Together with the session's {@link CurrentTransaction} and command id it
 * decides which tuple versions a statement sees.
 *
 * <p>Immutable except {@link #commandId}, which the owning session advances
 * (a snapshot is never shared between sessions).
 */
public final class Snapshot {

    private final int xmin;
    private final int xmax;
    private final int[] xip;
    private final CurrentTransaction current;
    private volatile int commandId;

    /**
     * @param xip the running ids; sorted by this constructor (unsigned order is not required: membership only)
     */
    public Snapshot(int xmin, int xmax, int[] xip, CurrentTransaction current, int commandId) {
        this.xmin = xmin;
        this.xmax = xmax;
        this.xip = xip.clone();
        Arrays.sort(this.xip);
        this.current = current;
        this.commandId = commandId;
    }

    public int xmin() {
        return xmin;
    }

    public int xmax() {
        return xmax;
    }

    /** A copy of the running ids. */
    public int[] inProgress() {
        return xip.clone();
    }

    public CurrentTransaction current() {
        return current;
    }

    /** Tuples changed by the own transaction with a command id below this are visible ({@code curcid}). */
    public int commandId() {
        return commandId;
    }

    public void setCommandId(int cid) {
        this.commandId = cid;
    }

    /** True when {@code xid} counts as still running for this snapshot ({@code XidInMVCCSnapshot}). */
    public boolean isRunning(int xid) {
        if (!Xid.isNormal(xid)) {
            return false;
        }
        if (Xid.precedes(xid, xmin)) {
            return false;
        }
        if (!Xid.precedes(xid, xmax)) {
            return true;
        }
        return Arrays.binarySearch(xip, xid) >= 0;
    }

    /** A copy with another command id (for a statement that must see its own earlier changes). */
    public Snapshot withCommandId(int cid) {
        return new Snapshot(xmin, xmax, xip, current, cid);
    }

    @Override
    public String toString() {
        // The txid_current_snapshot() text form: xmin:xmax:xip,...
        StringBuilder b = new StringBuilder().append(Xid.toString(xmin)).append(':').append(Xid.toString(xmax))
                .append(':');
        for (int i = 0; i < xip.length; i++) {
            b.append(i == 0 ? "" : ",").append(Xid.toString(xip[i]));
        }
        return b.toString();
    }
}
