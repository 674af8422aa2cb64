package modgres.storage.heap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.page.StorageManager;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/*
 * Design notes: the WAL records of the heap (resource managers HEAP and
 * HEAP2) and of relation storage (SMGR), their info codes, the layout of their
 * main data and block data, and their pg_waldump-style descriptions.
 *
 * Info codes are PostgreSQL's (heapam_xlog.h, storage_xlog.h). The main data
 * is our own compact little-endian layout, close to PostgreSQL's structs but
 * without their padding; README.md draws every record. Invariants:
 *   - main data never depends on whether a block got a full-page image (block
 *     data is dropped when an image is taken, main data never is);
 *   - every record that changes a heap page names the page as a block
 *     reference, so the WAL decides about full-page images.
 */
final class HeapWal {

    // ---- HEAP (10)
    static final byte XLOG_HEAP_INSERT = 0x00;
    static final byte XLOG_HEAP_DELETE = 0x10;
    static final byte XLOG_HEAP_UPDATE = 0x20;
    static final byte XLOG_HEAP_TRUNCATE = 0x30;
    static final byte XLOG_HEAP_HOT_UPDATE = 0x40;
    static final byte XLOG_HEAP_CONFIRM = 0x50;
    static final byte XLOG_HEAP_LOCK = 0x60;
    static final byte XLOG_HEAP_INPLACE = 0x70;
    static final byte XLOG_HEAP_OPMASK = 0x70;
    /** Flag: the (first) block is re-initialised by redo and holds only the record's tuple. */
    static final byte XLOG_HEAP_INIT_PAGE = (byte) 0x80;

    // ---- HEAP2 (9)
    static final byte XLOG_HEAP2_PRUNE = 0x10;
    static final byte XLOG_HEAP2_VACUUM = 0x20;
    static final byte XLOG_HEAP2_FREEZE_PAGE = 0x30;
    static final byte XLOG_HEAP2_VISIBLE = 0x40;
    static final byte XLOG_HEAP2_MULTI_INSERT = 0x50;

    // ---- SMGR (2)
    static final byte XLOG_SMGR_CREATE = 0x10;
    static final byte XLOG_SMGR_TRUNCATE = 0x20;
    /** xl_smgr_truncate flags. */
    static final int SMGR_TRUNCATE_HEAP = 0x0001;
    static final int SMGR_TRUNCATE_VM = 0x0002;
    static final int SMGR_TRUNCATE_FSM = 0x0004;

    // ---- xl_heap_* infobits (XLHL_*): how xmax was set
    static final int XLHL_XMAX_IS_MULTI = 0x01;
    static final int XLHL_XMAX_LOCK_ONLY = 0x02;
    static final int XLHL_XMAX_EXCL_LOCK = 0x04;
    static final int XLHL_XMAX_KEYSHR_LOCK = 0x08;
    static final int XLHL_KEYS_UPDATED = 0x10;

    /** xl_heap_header: t_infomask2 (2), t_infomask (2), t_hoff (1); the tuple's bytes from offset 23 follow. */
    static final int TUPLE_HEADER = 5;

    /** Bytes per tuple in a FREEZE_PAGE plan: offset (2), t_infomask (2), t_infomask2 (2), t_xmax (4). */
    static final int FREEZE_ENTRY = 10;

    private HeapWal() {
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------ main data

    /** INSERT: offnum (2), flags (1). */
    static byte[] insert(int offnum, int flags) {
        byte[] b = new byte[3];
        le(b).putShort(0, (short) offnum).put(2, (byte) flags);
        return b;
    }

    /** DELETE: xmax (4), offnum (2), infobits (1), flags (1). LOCK has the same layout (xmax = the locker). */
    static byte[] delete(int xmax, int offnum, int infobits, int flags) {
        byte[] b = new byte[8];
        le(b).putInt(0, xmax).putShort(4, (short) offnum).put(6, (byte) infobits).put(7, (byte) flags);
        return b;
    }

    /** UPDATE / HOT_UPDATE: old xmax (4), old offnum (2), old infobits (1), flags (1), new xmax (4), new offnum (2). */
    static byte[] update(int oldXmax, int oldOff, int oldInfobits, int flags, int newXmax, int newOff) {
        byte[] b = new byte[14];
        le(b).putInt(0, oldXmax).putShort(4, (short) oldOff).put(6, (byte) oldInfobits).put(7, (byte) flags)
                .putInt(8, newXmax).putShort(12, (short) newOff);
        return b;
    }

    /** PRUNE: latestRemovedXid (4), nredirected (2), ndead (2), nunused (2). Block data: the offsets. */
    static byte[] prune(int latestRemovedXid, int nredirected, int ndead, int nunused) {
        byte[] b = new byte[10];
        le(b).putInt(0, latestRemovedXid).putShort(4, (short) nredirected).putShort(6, (short) ndead)
                .putShort(8, (short) nunused);
        return b;
    }

    /** VACUUM: nunused (2). Block data: the offsets. */
    static byte[] vacuum(int nunused) {
        byte[] b = new byte[2];
        le(b).putShort(0, (short) nunused);
        return b;
    }

    /** FREEZE_PAGE: cutoff xid (4), ntuples (2). Block data: the plan, {@value #FREEZE_ENTRY} bytes a tuple. */
    /** INPLACE: offnum (2); the block's data is the tuple from t_bits on (null bitmap, padding, data). */
    static byte[] inplace(int offnum) {
        byte[] b = new byte[2];
        le(b).putShort(0, (short) offnum);
        return b;
    }

    /** MULTI_INSERT flag (XLH_INSERT_LAST_IN_MULTI): the last record of one multi-insert call. */
    static final int XLH_INSERT_LAST_IN_MULTI = 0x02;

    /**
     * MULTI_INSERT: flags (1), ntuples (2), then, unless the record has
     * {@link #XLOG_HEAP_INIT_PAGE} (the tuples are then at offsets 1..ntuples),
     * each tuple's offset (2). Block data: per tuple its WAL form's length (2)
     * and the WAL form ({@value #TUPLE_HEADER}-byte header + the tuple's bytes from offset 23).
     */
    static byte[] multiInsert(int flags, int ntuples, int[] offsets, boolean init) {
        byte[] b = new byte[3 + (init ? 0 : ntuples * 2)];
        ByteBuffer w = le(b);
        w.put(0, (byte) flags).putShort(1, (short) ntuples);
        if (!init) {
            for (int i = 0; i < ntuples; i++) {
                w.putShort(3 + i * 2, (short) offsets[i]);
            }
        }
        return b;
    }

    static byte[] freeze(int cutoffXid, int ntuples) {
        byte[] b = new byte[6];
        le(b).putInt(0, cutoffXid).putShort(4, (short) ntuples);
        return b;
    }

    /** SMGR CREATE: tablespace, database, relfilenode, fork (4 each). */
    static byte[] smgrCreate(RelFileNode rel, ForkNumber fork) {
        byte[] b = new byte[16];
        le(b).putInt(0, rel.tablespace()).putInt(4, rel.database()).putInt(8, rel.relfilenode())
                .putInt(12, fork.ordinal());
        return b;
    }

    /** SMGR TRUNCATE: new length in blocks (4), tablespace, database, relfilenode (4 each), flags (4). */
    static byte[] smgrTruncate(int nblocks, RelFileNode rel, int flags) {
        byte[] b = new byte[20];
        le(b).putInt(0, nblocks).putInt(4, rel.tablespace()).putInt(8, rel.database()).putInt(12, rel.relfilenode())
                .putInt(16, flags);
        return b;
    }

    static RelFileNode rel(ByteBuffer m, int at) {
        return new RelFileNode(m.getInt(at), m.getInt(at + 4), m.getInt(at + 8));
    }

    /** An array of 16-bit offsets as block data. */
    static byte[] offsets(int[] a, int n) {
        byte[] b = new byte[n * 2];
        ByteBuffer w = le(b);
        for (int i = 0; i < n; i++) {
            w.putShort(i * 2, (short) a[i]);
        }
        return b;
    }

    static int offsetAt(byte[] data, int from, int i) {
        return (data[from + i * 2] & 0xFF) | (data[from + i * 2 + 1] & 0xFF) << 8;
    }

    // ------------------------------------------------------------------ describe

    /** What pg_waldump prints after {@code desc:} for a record of HEAP, HEAP2 or SMGR. */
    static String describe(WalRecord r) {
        ByteBuffer m = r.mainDataBuffer();
        int info = r.info() & 0xFF;
        try {
            switch (r.rmgr()) {
                case ResourceManager.HEAP:
                    return describeHeap(m, info);
                case ResourceManager.HEAP2:
                    return describeHeap2(m, info);
                case ResourceManager.SMGR:
                    return describeSmgr(m, info);
                default:
                    return "UNKNOWN (" + ResourceManager.name(r.rmgr()) + ")";
            }
        } catch (IndexOutOfBoundsException e) {
            return "(corrupt main data, " + r.mainData().length + " bytes)";
        }
    }

    /** The record's name as pg_waldump's {@code rm_identify} gives it ({@code INSERT+INIT}, {@code PRUNE}, ...). */
    static String identify(WalRecord r) {
        int info = r.info() & 0xFF;
        switch (r.rmgr()) {
            case ResourceManager.HEAP: {
                String init = (info & 0x80) != 0 ? "+INIT" : "";
                switch (info & XLOG_HEAP_OPMASK) {
                    case XLOG_HEAP_INSERT: return "INSERT" + init;
                    case XLOG_HEAP_DELETE: return "DELETE";
                    case XLOG_HEAP_UPDATE: return "UPDATE" + init;
                    case XLOG_HEAP_TRUNCATE: return "TRUNCATE";
                    case XLOG_HEAP_HOT_UPDATE: return "HOT_UPDATE" + init;
                    case XLOG_HEAP_CONFIRM: return "HEAP_CONFIRM";
                    case XLOG_HEAP_LOCK: return "LOCK";
                    case XLOG_HEAP_INPLACE: return "INPLACE";
                    default: return null;
                }
            }
            case ResourceManager.HEAP2:
                switch (info & XLOG_HEAP_OPMASK) {
                    case XLOG_HEAP2_PRUNE: return "PRUNE";
                    case XLOG_HEAP2_VACUUM: return "VACUUM";
                    case XLOG_HEAP2_FREEZE_PAGE: return "FREEZE_PAGE";
                    case XLOG_HEAP2_VISIBLE: return "VISIBLE";
                    case XLOG_HEAP2_MULTI_INSERT: return (info & 0x80) != 0 ? "MULTI_INSERT+INIT" : "MULTI_INSERT";
                    default: return null;
                }
            case ResourceManager.SMGR:
                return info == (XLOG_SMGR_CREATE & 0xFF) ? "CREATE" : info == XLOG_SMGR_TRUNCATE ? "TRUNCATE" : null;
            default:
                return null;
        }
    }

    private static String describeHeap(ByteBuffer m, int info) {
        switch (info & XLOG_HEAP_OPMASK) {
            case XLOG_HEAP_INSERT:
                return "off " + (m.getShort(0) & 0xFFFF) + " flags " + hex2(m.get(2));
            case XLOG_HEAP_DELETE:
                return "off " + (m.getShort(4) & 0xFFFF) + " flags " + hex2(m.get(7)) + " " + infobits(m.get(6));
            case XLOG_HEAP_UPDATE:
            case XLOG_HEAP_HOT_UPDATE:
                return "off " + (m.getShort(4) & 0xFFFF) + " xmax " + Integer.toUnsignedString(m.getInt(0)) + " flags "
                        + hex2(m.get(7)) + " " + infobits(m.get(6)) + "; new off " + (m.getShort(12) & 0xFFFF)
                        + " xmax " + Integer.toUnsignedString(m.getInt(8));
            case XLOG_HEAP_LOCK:
                return "off " + (m.getShort(4) & 0xFFFF) + ": xid " + Integer.toUnsignedString(m.getInt(0))
                        + ": flags " + hex2(m.get(7)) + " " + infobits(m.get(6));
            case XLOG_HEAP_INPLACE:
                return "off " + (m.getShort(0) & 0xFFFF);
            default:
                return "UNKNOWN";
        }
    }

    private static String describeHeap2(ByteBuffer m, int info) {
        switch (info & XLOG_HEAP_OPMASK) {
            case XLOG_HEAP2_PRUNE:
                return "latestRemovedXid " + Integer.toUnsignedString(m.getInt(0)) + " nredirected "
                        + (m.getShort(4) & 0xFFFF) + " ndead " + (m.getShort(6) & 0xFFFF);
            case XLOG_HEAP2_VACUUM:
                return "nunused " + (m.getShort(0) & 0xFFFF);
            case XLOG_HEAP2_FREEZE_PAGE:
                return "cutoff xid " + Integer.toUnsignedString(m.getInt(0)) + " ntuples " + (m.getShort(4) & 0xFFFF);
            case XLOG_HEAP2_MULTI_INSERT:
                return (m.getShort(1) & 0xFFFF) + " tuples flags " + hex2(m.get(0));
            default:
                return "UNKNOWN";
        }
    }

    private static String describeSmgr(ByteBuffer m, int info) {
        if (info == XLOG_SMGR_CREATE) {
            return relpath(rel(m, 0), ForkNumber.of(m.getInt(12)));
        }
        if (info == XLOG_SMGR_TRUNCATE) {
            return relpath(rel(m, 4), ForkNumber.MAIN) + " to " + Integer.toUnsignedString(m.getInt(0))
                    + " blocks flags " + m.getInt(16);
        }
        return "UNKNOWN";
    }

    /** PostgreSQL's {@code out_infobits}: each set bit's name followed by a space. */
    static String infobits(int bits) {
        StringBuilder sb = new StringBuilder();
        if ((bits & XLHL_XMAX_IS_MULTI) != 0) {
            sb.append("IS_MULTI ");
        }
        if ((bits & XLHL_XMAX_LOCK_ONLY) != 0) {
            sb.append("LOCK_ONLY ");
        }
        if ((bits & XLHL_XMAX_EXCL_LOCK) != 0) {
            sb.append("EXCL_LOCK ");
        }
        if ((bits & XLHL_XMAX_KEYSHR_LOCK) != 0) {
            sb.append("KEYSHR_LOCK ");
        }
        if ((bits & XLHL_KEYS_UPDATED) != 0) {
            sb.append("KEYS_UPDATED ");
        }
        return sb.toString();
    }

    private static String hex2(byte b) {
        String s = Integer.toHexString(b & 0xFF).toUpperCase();
        return s.length() == 1 ? "0x0" + s : "0x" + s;
    }

    /** PostgreSQL's {@code relpathperm}, as pg_waldump shows SMGR records. */
    static String relpath(RelFileNode rel, ForkNumber fork) {
        String node = Integer.toUnsignedString(rel.relfilenode()) + fork.fileSuffix();
        if (rel.tablespace() == StorageManager.GLOBAL_TABLESPACE) {
            return "global/" + node;
        }
        String db = Integer.toUnsignedString(rel.database());
        if (rel.tablespace() == StorageManager.DEFAULT_TABLESPACE) {
            return "base/" + db + "/" + node;
        }
        return "pg_tblspc/" + Integer.toUnsignedString(rel.tablespace()) + "/PG_15_202209061/" + db + "/" + node;
    }
}
