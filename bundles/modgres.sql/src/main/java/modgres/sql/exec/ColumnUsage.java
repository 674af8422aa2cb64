package modgres.sql.exec;

/*
 * Design notes: column pruning (PostgreSQL's per-RTE selectedCols and the
 * scans' "needed attributes", slot_getsomeattrs).
 *
 * Why: a table scan used to deform every attribute of every visible tuple;
 * a query reading two columns of a wide table paid for all of them (text,
 * numeric, TOAST fetches). Now each scan deforms only what the statement
 * reads, and EXPLAIN VERBOSE can print what the scan really outputs.
 *
 * Row layout never changes: a scan row is still every attribute position
 * then ctid, xmin, xmax, tableoid; a pruned column is simply left null, so
 * no compiled expression (they read fixed positions) is affected.
 *
 * Who reads what: one ColumnUsage per Planner (per statement, views and
 * subqueries included). Every FROM item over a base table gets a
 * ScanColumns when its Seq Scan is made; the OutCol instances of that scan
 * and of its Item are registered here by identity. Compiling a column
 * reference (Compiler.column, RowExpressions' whole-row and star
 * expansions) calls read(col):
 *
 *   col registered ───────────────> that one scan's bit
 *   else (a copy: renamed alias column, subquery output, a fresh
 *         tableScope of RETURNING / CHECK / ...) with a table OID
 *         ─────────────────────────> the column of EVERY scan of that table
 *                                    (conservative: more read, never less)
 *
 * Inheritance members: a member scan reads its own bits plus its parent
 * FROM item's, mapped by column name (PartitionBounds.Layout), since the
 * query resolves the parent's columns.
 *
 * Invariants:
 *  - usage only grows while the statement is planned; a scan asks for its
 *    mask when it opens (after all expressions, also correlated subqueries
 *    compiled later, were compiled), never at construction;
 *  - anything that consumes a scan row by position without compiling a
 *    reference must either mark what it reads (LockRows' ctid, ModifyTable's
 *    ctid) or cope with nulls: ModifyTable re-fetches the old tuple of an
 *    UPDATE/DELETE target whose attributes were pruned (refetchOldRow);
 *  - ctid and tableoid are always filled (they cost nothing); the mask
 *    reports them only when something reads them. xmin/xmax are filled only
 *    when read. Dropped columns are never needed.
 *  - a scan built outside the Planner (no ScanColumns) produces everything.
 *
 * Lazy deforming (Scans.FilterStages): while a Seq Scan's pushed-down
 * conditions compile, the positions each one reads are recorded
 * (startRecording / stopRecording); the scan then deforms conjunct by
 * conjunct and the output-only columns last, so a row the first condition
 * rejects never builds the other values (PostgreSQL's slot_getattr deforms
 * up to the attribute an expression needs, to the same effect).
 */

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import modgres.sql.catalog.Relation;

/** The columns a statement reads of each FROM item over a table; see the design notes. */
public final class ColumnUsage {

    private record Slot(ScanColumns scan, int index) {
    }

    private final IdentityHashMap<OutCol, Slot> slots = new IdentityHashMap<>();
    /** Per table OID: positions (attnum - 1, natts + k for system column k) read through unregistered columns. */
    private final Map<Integer, BitSet> tableReads = new HashMap<>();
    /** Bumped on every new read: a cached mask is stale when its version differs. */
    private int version;

    /** A new FROM item scanning {@code rel}, its scan's columns {@code cols} registered. */
    ScanColumns newScan(Relation rel, List<OutCol> cols) {
        ScanColumns s = new ScanColumns(this, rel);
        register(s, cols, false);
        return s;
    }

    /**
     * Registers OutCol instances standing for the positions of {@code s}'s row (an Item's columns, a
     * pass-through projection's); {@code override}: they now stand for {@code s} even if registered before.
     */
    void register(ScanColumns s, List<OutCol> cols, boolean override) {
        if (s == null) {
            return;
        }
        for (int i = 0; i < cols.size() && i < s.width; i++) {
            if (override) {
                slots.put(cols.get(i), new Slot(s, i));
            } else {
                slots.putIfAbsent(cols.get(i), new Slot(s, i));
            }
        }
    }

    /** While one scan qual compiles: the positions of that scan it reads (see Scans.SeqScan#stageFilter). */
    private ScanColumns recordingFor;
    private BitSet recorded;
    private boolean recordedElsewhere;

    /** Starts recording what is read of {@code s}; returns the enclosing recording, for {@link #stopRecording}. */
    Object[] startRecording(ScanColumns s) {
        Object[] saved = {recordingFor, recorded, recordedElsewhere};
        recordingFor = s;
        recorded = new BitSet();
        recordedElsewhere = false;
        return saved;
    }

    /**
     * The positions of the recorded scan read since {@link #startRecording}, or null when a read went to the
     * table as a whole (an unregistered column: which positions is not known); the enclosing recording resumes.
     */
    BitSet stopRecording(Object[] saved) {
        BitSet out = recordedElsewhere ? null : recorded;
        recordingFor = (ScanColumns) saved[0];
        recorded = (BitSet) saved[1];
        recordedElsewhere = (Boolean) saved[2];
        return out;
    }

    /** A compiled expression reads column {@code c}. */
    void read(OutCol c) {
        Slot slot = slots.get(c);
        if (recordingFor != null) {
            if (slot != null && slot.scan == recordingFor) {
                recorded.set(slot.index);
            } else if (slot == null && c.tableOid() == recordingFor.rel.oid()) {
                recordedElsewhere = true;
            }
        }
        if (slot != null) {
            if (!slot.scan.read.get(slot.index)) {
                slot.scan.read.set(slot.index);
                version++;
            }
            return;
        }
        if (c.tableOid() == 0 || c.attnum() == 0) {
            return;
        }
        BitSet b = tableReads.computeIfAbsent(c.tableOid(), k -> new BitSet());
        int pos = c.attnum() > 0 ? c.attnum() - 1 : systemOffset(c.attnum());
        if (pos >= 0 && !b.get(pos)) {
            b.set(pos);
            version++;
        }
    }

    /** System column attnum -1 .. -4 (ctid, xmin, xmax, tableoid) as an offset from the first system column. */
    private static int systemOffset(int attnum) {
        return attnum >= -Scans.SYSTEM_COLUMNS.length ? 1_000_000 + (-1 - attnum) : -1;
    }

    private BitSet tableReads(int oid) {
        return tableReads.get(oid);
    }

    /**
     * What one FROM item's scan must fill: its own reads, the reads of its table through unregistered columns,
     * and those of the FROM items it stands in for (inheritance parent), or everything.
     */
    public static final class ScanColumns {
        final ColumnUsage usage;
        final Relation rel;
        final int natts;
        final int width;
        final BitSet read = new BitSet();
        private boolean all;
        /** Parent FROM items whose reads this member scan serves: parent position i -> map[i] here (-1: none). */
        private final List<Object[]> feeds = new ArrayList<>();
        private boolean[] cached;
        private int cachedVersion = -1;

        ScanColumns(ColumnUsage usage, Relation rel) {
            this.usage = usage;
            this.rel = rel;
            this.natts = rel.natts();
            this.width = natts + Scans.SYSTEM_COLUMNS.length;
        }

        /** Something reads the rows positionally: every column counts as read. */
        void readAll() {
            if (!all) {
                all = true;
                usage.version++;
            }
        }

        /** Marks system column {@code k} (0 = ctid .. 3 = tableoid) as read. */
        void readSystem(int k) {
            if (!read.get(natts + k)) {
                read.set(natts + k);
                usage.version++;
            }
        }

        /** This member scan also serves {@code parent}'s reads; {@code attMap[i]}: the parent's attribute i here. */
        void serves(ScanColumns parent, int[] attMap) {
            if (parent != null) {
                feeds.add(new Object[] {parent, attMap});
                usage.version++;
            }
        }

        /**
         * Per position of the scan row, whether the scan fills it for a reader; null when every column is
         * produced. ctid and tableoid are filled even when false here.
         */
        public boolean[] mask() {
            if (cachedVersion == usage.version) {
                return cached;
            }
            boolean[] m = compute(0);
            cached = m;
            cachedVersion = usage.version;
            return m;
        }

        private boolean[] compute(int depth) {
            if (all || depth > 8) {
                return null;
            }
            boolean[] m = new boolean[width];
            apply(m, read, 0);
            BitSet t = usage.tableReads(rel.oid());
            if (t != null) {
                apply(m, t, 1_000_000);
            }
            for (Object[] f : feeds) {
                boolean[] pm = ((ScanColumns) f[0]).compute(depth + 1);
                int[] map = (int[]) f[1];
                if (pm == null) {
                    return null;
                }
                int pn = ((ScanColumns) f[0]).natts;
                for (int i = 0; i < pn && i < pm.length; i++) {
                    if (pm[i]) {
                        int here = map == null ? i : i < map.length ? map[i] : -1;
                        if (here >= 0 && here < natts) {
                            m[here] = true;
                        }
                    }
                }
                for (int k = 0; k < Scans.SYSTEM_COLUMNS.length; k++) {
                    m[natts + k] |= pm[pn + k];
                }
            }
            List<Relation.Column> cols = rel.columns();
            for (int i = 0; i < natts; i++) {
                if (cols.get(i).dropped()) {
                    m[i] = false;
                }
            }
            return m;
        }

        /** Sets the positions of {@code bits}; system columns at {@code sysBase} + k in a table-level set. */
        private void apply(boolean[] m, BitSet bits, int sysBase) {
            for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
                if (sysBase > 0 && i >= sysBase) {
                    int k = i - sysBase;
                    if (k < Scans.SYSTEM_COLUMNS.length) {
                        m[natts + k] = true;
                    }
                } else if (i < width && (sysBase == 0 || i < natts)) {
                    m[i] = true;
                }
            }
        }

        /** Whether some attribute the table has (not dropped) is left out. */
        boolean prunesAttributes() {
            boolean[] m = mask();
            if (m == null) {
                return false;
            }
            List<Relation.Column> cols = rel.columns();
            for (int i = 0; i < natts; i++) {
                if (!m[i] && !cols.get(i).dropped()) {
                    return true;
                }
            }
            return false;
        }
    }
}
