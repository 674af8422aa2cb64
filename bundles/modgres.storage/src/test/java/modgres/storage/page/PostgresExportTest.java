package modgres.storage.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.storage.fsm.FreeSpaceTree;
import modgres.storage.smgr.MdStorage;

/**
 * Writes a relation with Modgres' page API, storage manager and free space
 * map into the data directory of a stopped PostgreSQL 15 cluster, for
 * {@code src/test/pg/verify-with-postgres15.sh} to check with PostgreSQL's
 * own tools. Runs only when {@code -Dmodgres.pgexport.dir=DATADIR} and
 * {@code -Dmodgres.pgexport.relfilenode=N} (an empty table
 * {@code x (id int4, name text, note text)} in database 5) are given.
 */
@EnabledIfSystemProperty(named = "modgres.pgexport.dir", matches = ".+")
class PostgresExportTest {

    /** PostgreSQL's {@code FrozenTransactionId}: visible to every snapshot. */
    static final int FROZEN_XID = 2;

    @Test
    void writeRelation() {
        Path dataDir = Path.of(System.getProperty("modgres.pgexport.dir"));
        RelFileNode rel = new RelFileNode(StorageManager.DEFAULT_TABLESPACE, 5,
                Integer.parseInt(System.getProperty("modgres.pgexport.relfilenode")));
        MdStorage smgr = new MdStorage(dataDir, StorageManager.SEGMENT_BLOCKS, 100, true, null);
        SharedBufferPool pool = new SharedBufferPool(32, smgr);
        FreeSpaceTree fsm = new FreeSpaceTree(pool, smgr, null);
        assertEquals(0, smgr.nblocks(rel, ForkNumber.MAIN), "the table must be empty");

        // Block 0: rows 1..n until the page is full. Block 1: rows 1001..1040, then every
        // third one removed (unused line pointers) and the page compacted.
        ByteBuffer page = ByteBuffer.allocate(Page.SIZE);
        Page.init(page, 0);
        int id = 1;
        while (addRow(page, 0, id, "row " + id, id % 5 == 0 ? null : "note for row " + id)) {
            id++;
        }
        int rowsOnPage0 = id - 1;
        write(pool, rel, 0, page);
        fsm.recordFreeSpace(rel, 0, Page.heapFreeSpace(page));

        Page.init(page, 0);
        for (int r = 1001; r <= 1040; r++) {
            assertTrue(addRow(page, 1, r, "compacted " + r, r % 2 == 0 ? "even" : null));
        }
        for (int off = 3; off <= Page.maxOffset(page); off += 3) {
            Page.setUnused(page, off);
        }
        Page.repairFragmentation(page);
        write(pool, rel, 1, page);
        fsm.recordFreeSpace(rel, 1, Page.heapFreeSpace(page));

        pool.flushAll(FlushFilter.ALL);
        pool.syncWrittenFiles();
        smgr.close();
        System.out.println("modgres.pgexport: block 0 has rows 1.." + rowsOnPage0 + ", block 1 free "
                + Page.heapFreeSpace(page));
    }

    private static void write(SharedBufferPool pool, RelFileNode rel, int block, ByteBuffer content) {
        int b = pool.extend(rel, ForkNumber.MAIN, null);
        assertEquals(block, pool.blockNumber(b));
        pool.lockContent(b, true);
        try {
            pool.page(b).put(0, content, 0, Page.SIZE);
            pool.markDirty(b);
        } finally {
            pool.unlockContent(b);
            pool.unpin(b);
        }
    }

    /** Adds (id int4, name text, note text) as a frozen heap tuple; false if the page is full. */
    static boolean addRow(ByteBuffer page, int block, int id, String name, String note) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] o = note == null ? null : note.getBytes(StandardCharsets.UTF_8);
        boolean hasNulls = o == null;
        int hoff = HeapTupleHeader.headerSize(3, hasNulls);
        int len = hoff + 4 + 1 + n.length + (o == null ? 0 : 1 + o.length);
        int off = Page.reserveItem(page, len, Page.INVALID_OFFSET, Page.IS_HEAP);
        if (off == Page.INVALID_OFFSET) {
            return false;
        }
        int t = Page.itemOffset(page, off);
        HeapTupleHeader.init(page, t, 3, hasNulls, FROZEN_XID, 0, block, off, HeapTupleHeader.HEAP_HASVARWIDTH);
        HeapTupleHeader.setInfomaskBits(page, t, HeapTupleHeader.HEAP_XMIN_FROZEN);
        if (hasNulls) {
            HeapTupleHeader.setNull(page, t, 2, true);
        }
        int d = t + hoff;
        page.put(d, (byte) id).put(d + 1, (byte) (id >>> 8)).put(d + 2, (byte) (id >>> 16)).put(d + 3,
                (byte) (id >>> 24));
        d += 4;
        d = putShortText(page, d, n);
        if (o != null) {
            putShortText(page, d, o);
        }
        return true;
    }

    /** A short (1-byte header) varlena: header = (total length << 1) | 1 on little-endian machines. */
    private static int putShortText(ByteBuffer page, int at, byte[] text) {
        page.put(at, (byte) ((text.length + 1) << 1 | 1));
        page.put(at + 1, text);
        return at + 1 + text.length;
    }
}
