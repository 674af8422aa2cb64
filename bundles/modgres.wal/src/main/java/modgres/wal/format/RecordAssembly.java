package modgres.wal.format;

import static modgres.wal.format.WalFormat.*;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.RelFileNode;
import modgres.api.wal.BlockReference;
import modgres.api.wal.Lsn;
import modgres.api.wal.WalRecord;

/**
 * Turns a {@link WalRecord} into the bytes the log stores, in a scratch area
 * that one thread reuses for every record it inserts, so that inserting
 * allocates nothing beyond the record itself.
 *
 * <p>Two steps, as PostgreSQL's {@code XLogRecordAssemble} and
 * {@code XLogInsertRecord}: {@link #assemble} decides which blocks get a
 * full-page image, builds the header and block headers, copies the images
 * (without their hole) and computes the CRC-32C of everything after the fixed
 * header; after space is reserved, {@link #finish} fills in the prev-link and
 * completes the CRC over the fixed header. The CRC thus covers the whole
 * record, its own field excepted, and can be started before the record's
 * position is known.
 *
 * <p>The bytes to copy are then {@link #pieceCount()} pieces:
 * {@link #pieceArray}/{@link #pieceLength}, in order.
 */
public final class RecordAssembly {

    private final byte[] header = new byte[WalRecord.HEADER_SIZE + WalRecord.MAX_BLOCKS * MAX_BLOCK_HEADER + 5];
    private final ByteBuffer headerView = le(header);
    private final byte[][] images = new byte[WalRecord.MAX_BLOCKS][];
    private final int[] imageLength = new int[WalRecord.MAX_BLOCKS];
    private final boolean[] hasImage = new boolean[WalRecord.MAX_BLOCKS];
    private final boolean[] hasData = new boolean[WalRecord.MAX_BLOCKS];
    private final CRC32C crc = new CRC32C();

    private final byte[][] pieces = new byte[2 + 2 * WalRecord.MAX_BLOCKS][];
    private final int[] pieceLengths = new int[2 + 2 * WalRecord.MAX_BLOCKS];
    private int pieceCount;

    private WalRecord record;
    private int headerLength;
    private int totalLength;
    private int imageCount;
    private long fpwLsn;
    private long redo;
    private boolean doPageWrites;

    /**
     * Assembles {@code rec} for a log whose REDO pointer is {@code redo}, with
     * full-page writes on or off. Blocks flagged neither FORCE_IMAGE nor
     * NO_IMAGE get an image when page writes are on and their page LSN is at
     * or before {@code redo}.
     */
    public void assemble(WalRecord rec, long redo, boolean doPageWrites) {
        this.record = rec;
        this.redo = redo;
        this.doPageWrites = doPageWrites;
        fpwLsn = Lsn.INVALID;
        imageCount = 0;
        int n = rec.blockCount();
        int at = WalRecord.HEADER_SIZE;
        long payload = 0;
        RelFileNode prevRel = null;
        pieceCount = 1;
        for (int i = 0; i < n; i++) {
            BlockReference b = rec.block(i);
            int flags = b.flags();
            ByteBuffer page = b.page();
            boolean image;
            if ((flags & BlockReference.FORCE_IMAGE) != 0) {
                image = true;
            } else if ((flags & BlockReference.NO_IMAGE) != 0 || !doPageWrites) {
                image = false;
            } else {
                long pageLsn = BufferPool.getPageLsn(page);
                image = Long.compareUnsigned(pageLsn, redo) <= 0;
                if (!image && (fpwLsn == Lsn.INVALID || Long.compareUnsigned(pageLsn, fpwLsn) < 0)) {
                    fpwLsn = pageLsn;
                }
            }
            byte[] data = b.data();
            boolean withData = data != null && data.length > 0
                    && (!image || (flags & BlockReference.KEEP_DATA) != 0);
            hasImage[i] = image;
            hasData[i] = withData;
            boolean sameRel = prevRel != null && prevRel.equals(b.rel());
            int forkFlags = b.fork().ordinal() | (image ? BKPBLOCK_HAS_IMAGE : 0) | (withData ? BKPBLOCK_HAS_DATA : 0)
                    | ((flags & BlockReference.WILL_INIT) == BlockReference.WILL_INIT ? BKPBLOCK_WILL_INIT : 0)
                    | (sameRel ? BKPBLOCK_SAME_REL : 0);
            header[at] = (byte) i;
            header[at + 1] = (byte) forkFlags;
            headerView.putShort(at + 2, (short) (withData ? data.length : 0));
            at += BLOCK_HEADER;
            if (image) {
                int holeOffset = 0;
                int holeLength = 0;
                if ((flags & BlockReference.STANDARD) != 0) {
                    int lower = (page.get(12) & 0xFF) | (page.get(13) & 0xFF) << 8;
                    int upper = (page.get(14) & 0xFF) | (page.get(15) & 0xFF) << 8;
                    if (lower >= 24 && upper > lower && upper <= PAGE) {
                        holeOffset = lower;
                        holeLength = upper - lower;
                    }
                }
                byte[] img = images[i];
                if (img == null) {
                    img = images[i] = new byte[PAGE];
                }
                int len = PAGE - holeLength;
                if (holeLength == 0) {
                    page.get(0, img, 0, PAGE);
                } else {
                    page.get(0, img, 0, holeOffset);
                    page.get(holeOffset + holeLength, img, holeOffset, PAGE - holeOffset - holeLength);
                }
                imageLength[i] = len;
                headerView.putShort(at, (short) len);
                headerView.putShort(at + 2, (short) holeOffset);
                header[at + 4] = (byte) (holeLength > 0 ? BKPIMAGE_HAS_HOLE : 0);
                at += IMAGE_HEADER;
                payload += len;
                imageCount++;
                pieces[pieceCount] = img;
                pieceLengths[pieceCount++] = len;
            }
            if (withData) {
                payload += data.length;
                pieces[pieceCount] = data;
                pieceLengths[pieceCount++] = data.length;
            }
            if (!sameRel) {
                RelFileNode rel = b.rel();
                headerView.putInt(at, rel.tablespace());
                headerView.putInt(at + 4, rel.database());
                headerView.putInt(at + 8, rel.relfilenode());
                at += REL_SIZE;
                prevRel = rel;
            }
            headerView.putInt(at, b.block());
            at += BLOCKNO_SIZE;
        }
        byte[] main = rec.mainData();
        if (main.length > 0) {
            if (main.length < 256) {
                header[at] = (byte) BLOCK_ID_DATA_SHORT;
                header[at + 1] = (byte) main.length;
                at += 2;
            } else {
                header[at] = (byte) BLOCK_ID_DATA_LONG;
                headerView.putInt(at + 1, main.length);
                at += 5;
            }
            payload += main.length;
            pieces[pieceCount] = main;
            pieceLengths[pieceCount++] = main.length;
        }
        headerLength = at;
        pieces[0] = header;
        pieceLengths[0] = at;
        long total = at + payload;
        if (total > WalRecord.MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("WAL record would be " + total + " bytes (limit "
                    + WalRecord.MAX_TOTAL_LENGTH + ")");
        }
        totalLength = (int) total;
        headerView.putInt(REC_TOT_LEN, totalLength);
        headerView.putInt(REC_XID, rec.xid());
        header[REC_INFO] = rec.info();
        header[REC_RMID] = rec.rmgr();
        header[18] = 0;
        header[19] = 0;
        crc.reset();
        crc.update(header, WalRecord.HEADER_SIZE, headerLength - WalRecord.HEADER_SIZE);
        for (int p = 1; p < pieceCount; p++) {
            crc.update(pieces[p], 0, pieceLengths[p]);
        }
    }

    /** Sets {@code xl_prev} and completes the CRC; call once after {@link #assemble}. */
    public void finish(long prevLsn) {
        headerView.putLong(REC_PREV, prevLsn);
        crc.update(header, 0, REC_CRC);
        headerView.putInt(REC_CRC, (int) crc.getValue());
    }

    /** {@code xl_tot_len}. */
    public int totalLength() {
        return totalLength;
    }

    /** The space the record takes in the log: {@link #totalLength()} rounded up to 8. */
    public int alignedLength() {
        return align(totalLength);
    }

    /** The number of full-page images taken. */
    public int images() {
        return imageCount;
    }

    /**
     * The lowest page LSN among the blocks that could have had an image but did
     * not get one ({@link Lsn#INVALID} if none): if the REDO pointer has moved
     * to or past it since {@link #assemble}, the record must be assembled again.
     */
    public long fpwLsn() {
        return fpwLsn;
    }

    public long redoUsed() {
        return redo;
    }

    public boolean doPageWritesUsed() {
        return doPageWrites;
    }

    public WalRecord record() {
        return record;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public byte[] pieceArray(int i) {
        return pieces[i];
    }

    public int pieceLength(int i) {
        return pieceLengths[i];
    }

    /** The header bytes (fixed header, block headers, main data header). */
    public byte[] header() {
        return header;
    }

    public int headerLength() {
        return headerLength;
    }

    /** Drops references to the caller's arrays, so the scratch keeps no record alive. */
    public void clear() {
        record = null;
        for (int p = 1; p < pieceCount; p++) {
            pieces[p] = null;
        }
    }

    /** Assembles {@code rec} into one array (tests and tools): as inserted with the given prev-link. */
    public static byte[] encode(WalRecord rec, long prevLsn, long redo, boolean doPageWrites) {
        RecordAssembly a = new RecordAssembly();
        a.assemble(rec, redo, doPageWrites);
        a.finish(prevLsn);
        byte[] out = new byte[a.totalLength()];
        int at = 0;
        for (int p = 0; p < a.pieceCount(); p++) {
            System.arraycopy(a.pieceArray(p), 0, out, at, a.pieceLength(p));
            at += a.pieceLength(p);
        }
        return out;
    }
}
