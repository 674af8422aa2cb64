package modgres.storage.nbtree;

import modgres.api.wal.WalRecord;

/*
 * Design notes: the WAL records of resource manager BTREE (11), with
 * PostgreSQL 15's info codes (nbtxlog.h) and main-data structs. Block ids are
 * positions in the record (the API has no gaps), so where PostgreSQL leaves
 * an optional block id unused the later ones move down; the layouts:
 *
 *   INSERT_LEAF  0x00  main {offnum u16}                blk0 leaf (STANDARD) data = tuple
 *   INSERT_UPPER 0x10  main {offnum u16}                blk0 internal page, data = tuple;
 *                                                       blk1 left child: clear INCOMPLETE_SPLIT
 *   INSERT_META  0x20  as INSERT_UPPER + blk2 metapage (WILL_INIT) data = xl_btree_metadata
 *                      (replayed; never written: the fast root only moves with page deletion)
 *   SPLIT_L/_R   0x30/0x40  main {level u32, firstrightoff u16, newitemoff u16, postingoff u16}
 *                      blk0 left (the original page; STANDARD) data = [new item if _L] + left high key
 *                      blk1 new right page (WILL_INIT) data = its tuples in order (high key first)
 *                      blk2 old right sibling, if any: btpo_prev := right
 *                      blk2/3 (level > 0) the child whose split this insert completes: clear flag
 *   VACUUM       0xC0  main {ndeleted u16, nupdated u16}  blk0 leaf, data = deleted offsets u16[]
 *   DELETE       0x70  main {latestRemovedXid u32, ndeleted u16, nupdated u16}  as VACUUM (replay only)
 *   NEWROOT      0xA0  main {rootblk u32, level u32}  blk0 new root (WILL_INIT) data = its tuples;
 *                      blk1 metapage (WILL_INIT) data = xl_btree_metadata; blk2 (level > 0) left
 *                      child: clear INCOMPLETE_SPLIT
 *   META_CLEANUP 0xE0  blk0 metapage (WILL_INIT) data = xl_btree_metadata; written by create()
 *                      (its redo also creates the main fork if it is missing) and at the end of a
 *                      bottom-up build (BtSort), whose pages are XLOG FPI records
 *
 *   xl_btree_metadata (28 B): version, root, level, fastroot, fastlevel,
 *   last_cleanup_num_delpages (u32 each), allequalimage (bool), 3 bytes pad.
 */
final class BtXlog {
    static final byte INSERT_LEAF = 0x00;
    static final byte INSERT_UPPER = 0x10;
    static final byte INSERT_META = 0x20;
    static final byte SPLIT_L = 0x30;
    static final byte SPLIT_R = 0x40;
    static final byte INSERT_POST = 0x50;
    static final byte DEDUP = 0x60;
    static final byte DELETE = 0x70;
    static final byte UNLINK_PAGE = (byte) 0x80;
    static final byte UNLINK_PAGE_META = (byte) 0x90;
    static final byte NEWROOT = (byte) 0xA0;
    static final byte MARK_PAGE_HALFDEAD = (byte) 0xB0;
    static final byte VACUUM = (byte) 0xC0;
    static final byte REUSE_PAGE = (byte) 0xD0;
    static final byte META_CLEANUP = (byte) 0xE0;

    private static final String[] NAMES = {"INSERT_LEAF", "INSERT_UPPER", "INSERT_META", "SPLIT_L", "SPLIT_R",
        "INSERT_POST", "DEDUP", "DELETE", "UNLINK_PAGE", "UNLINK_PAGE_META", "NEWROOT", "MARK_PAGE_HALFDEAD",
        "VACUUM", "REUSE_PAGE", "META_CLEANUP"};

    private BtXlog() {
    }

    /** {@code btree_identify}: the record kind's name, {@code UNKNOWN} for an unused code. */
    static String identify(byte info) {
        int i = (info & 0xF0) >>> 4;
        return i < NAMES.length ? NAMES[i] : "UNKNOWN";
    }

    static byte[] insertMain(int offnum) {
        byte[] m = new byte[2];
        BtPage.u16(m, 0, offnum);
        return m;
    }

    static byte[] splitMain(int level, int firstRightOff, int newItemOff) {
        byte[] m = new byte[10];
        BtPage.u32(m, 0, level);
        BtPage.u16(m, 4, firstRightOff);
        BtPage.u16(m, 6, newItemOff);
        BtPage.u16(m, 8, 0);
        return m;
    }

    static byte[] newRootMain(int rootBlk, int level) {
        byte[] m = new byte[8];
        BtPage.u32(m, 0, rootBlk);
        BtPage.u32(m, 4, level);
        return m;
    }

    static byte[] vacuumMain(int ndeleted) {
        byte[] m = new byte[4];
        BtPage.u16(m, 0, ndeleted);
        BtPage.u16(m, 2, 0);
        return m;
    }

    /** {@code btree_desc} after {@code btree_identify}, as PostgreSQL 15's {@code pg_waldump} prints it. */
    static String describe(WalRecord r) {
        byte info = (byte) (r.info() & 0xF0);
        String name = identify(info);
        byte[] m = r.mainData();
        try {
            switch (info) {
                case INSERT_LEAF, INSERT_UPPER, INSERT_META:
                    return name + " off " + BtPage.u16(m, 0);
                case SPLIT_L, SPLIT_R:
                    return name + " level " + Integer.toUnsignedString(BtPage.u32(m, 0)) + ", firstrightoff "
                            + BtPage.u16(m, 4) + ", newitemoff " + BtPage.u16(m, 6) + ", postingoff "
                            + BtPage.u16(m, 8);
                case VACUUM:
                    return name + " ndeleted " + BtPage.u16(m, 0) + "; nupdated " + BtPage.u16(m, 2);
                case DELETE:
                    return name + " latestRemovedXid " + Integer.toUnsignedString(BtPage.u32(m, 0)) + "; ndeleted "
                            + BtPage.u16(m, 4) + "; nupdated " + BtPage.u16(m, 6);
                case NEWROOT:
                    return name + " lev " + Integer.toUnsignedString(BtPage.u32(m, 4));
                case META_CLEANUP: {
                    byte[] d = r.blockCount() > 0 ? r.block(0).data() : null;
                    return d == null ? name
                            : name + " last_cleanup_num_delpages " + Integer.toUnsignedString(BtPage.u32(d, 20));
                }
                default:
                    return name;
            }
        } catch (IndexOutOfBoundsException e) {
            return name + " (malformed, main data " + m.length + " bytes)";
        }
    }
}
