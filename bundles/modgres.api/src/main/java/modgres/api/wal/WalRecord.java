package modgres.api.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;

/**
 * One WAL record: PostgreSQL's {@code XLogRecord} header, the blocks the
 * record changes, and the main data its redo routine reads.
 *
 * <pre>
 * header (24 bytes)   total length, xid, prev-record LSN, info, resource manager id, CRC-32C
 * block headers       one per block reference (relation, fork, block, image and data lengths)
 * main data header    its length
 * block images + data in block order
 * main data
 * </pre>
 *
 * The exact layout is the WAL implementation's (its README draws it); this
 * class is the shape callers build and readers get back.
 *
 * <p>A record to insert is built with {@link #builder} (or {@link #of} when it
 * changes no block) and handed to {@link Wal#insert}; its position fields
 * ({@link #lsn()}, {@link #endLsn()}, {@link #prev()}, {@link #totalLength()},
 * {@link #crc()}) are 0 and stay 0: the insert returns the position. A record
 * read back by a {@link WalReader} has them all. Records are immutable, but
 * the arrays and pages they refer to are not copied: leave them unchanged
 * until the insert returns, and do not change a decoded record's arrays.
 */
public final class WalRecord {

    /** The size of the fixed header ({@code SizeOfXLogRecord}). */
    public static final int HEADER_SIZE = 24;
    /** The most block references a record may have ({@code XLR_MAX_BLOCK_ID + 1}). */
    public static final int MAX_BLOCKS = 33;
    /** The most data bytes one block reference may carry. */
    public static final int MAX_BLOCK_DATA = 0xFFFF;
    /** The largest record, as PostgreSQL's {@code XLogRecordMaxSize}. */
    public static final int MAX_TOTAL_LENGTH = 1020 * 1024 * 1024;

    private static final byte[] EMPTY = new byte[0];
    private static final BlockReference[] NO_BLOCKS = new BlockReference[0];

    private final byte rmgr;
    private final byte info;
    private final int xid;
    private final BlockReference[] blocks;
    private final byte[] mainData;
    private final long lsn;
    private final long endLsn;
    private final long prev;
    private final int totalLength;
    private final int crc;

    private WalRecord(byte rmgr, byte info, int xid, BlockReference[] blocks, byte[] mainData, long lsn,
            long endLsn, long prev, int totalLength, int crc) {
        this.rmgr = rmgr;
        this.info = info;
        this.xid = xid;
        this.blocks = blocks;
        this.mainData = mainData == null ? EMPTY : mainData;
        this.lsn = lsn;
        this.endLsn = endLsn;
        this.prev = prev;
        this.totalLength = totalLength;
        this.crc = crc;
    }

    /** A record that changes no block: header and main data only (a commit record, say). */
    public static WalRecord of(byte rmgr, byte info, int xid, byte[] mainData) {
        return new WalRecord(rmgr, info, xid, NO_BLOCKS, mainData, 0, 0, 0, 0, 0);
    }

    public static Builder builder(byte rmgr, byte info) {
        return new Builder(rmgr, info);
    }

    /** A record read back from the log (for WAL implementations). */
    public static WalRecord decoded(long lsn, long endLsn, int totalLength, int xid, long prev, byte info,
            byte rmgr, int crc, List<BlockReference> blocks, byte[] mainData) {
        return new WalRecord(rmgr, info, xid, blocks.toArray(NO_BLOCKS), mainData, lsn, endLsn, prev, totalLength,
                crc);
    }

    /** The resource manager id ({@link ResourceManager}). */
    public byte rmgr() {
        return rmgr;
    }

    /** The info byte: the record's kind within its resource manager. */
    public byte info() {
        return info;
    }

    /** The transaction id ({@code xl_xid}), unsigned; 0 when none. */
    public int xid() {
        return xid;
    }

    public int blockCount() {
        return blocks.length;
    }

    /** Block reference {@code i}, {@code 0 <= i < blockCount()}; the index is the record's block id. */
    public BlockReference block(int i) {
        return blocks[i];
    }

    public List<BlockReference> blocks() {
        return List.of(blocks);
    }

    /** The main data; an empty array when there is none. Do not change it. */
    public byte[] mainData() {
        return mainData;
    }

    /** The main data as a little-endian read-only buffer, for decoding. */
    public ByteBuffer mainDataBuffer() {
        return ByteBuffer.wrap(mainData).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Where the record starts (decoded records only). */
    public long lsn() {
        return lsn;
    }

    /**
     * Where the record ends, rounded up to 8 bytes: the value {@link Wal#insert}
     * returned for it, and what a page it changed carries as its LSN (decoded
     * records only).
     */
    public long endLsn() {
        return endLsn;
    }

    /** The start of the previous record ({@code xl_prev}; decoded records only). */
    public long prev() {
        return prev;
    }

    /** {@code xl_tot_len}: header, block headers, images and data (decoded records only). */
    public int totalLength() {
        return totalLength;
    }

    /** {@code xl_crc} (decoded records only). */
    public int crc() {
        return crc;
    }

    /** True for an {@link ResourceManager#XLOG_SWITCH} record. */
    public boolean isSwitch() {
        return rmgr == ResourceManager.XLOG && (info & 0xF0) == ResourceManager.XLOG_SWITCH;
    }

    /**
     * One line in the manner of {@code pg_waldump}: {@code rmgr: Heap len (rec/tot): 59/8251, tx: 735,
     * lsn: 0/01A3C8E0, prev 0/01A3C8A8, info: 0x00, main: 12 bytes, blkref #0: rel 1663/5/16384 blk 0 FPW}.
     */
    @Override
    public String toString() {
        int imageBytes = 0;
        for (BlockReference b : blocks) {
            if (b.hasImage()) {
                imageBytes += b.image().length;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("rmgr: ").append(ResourceManager.name(rmgr));
        sb.append(" len (rec/tot): ").append(totalLength - imageBytes).append('/').append(totalLength);
        sb.append(", tx: ").append(Integer.toUnsignedString(xid));
        sb.append(", lsn: ").append(Lsn.format(lsn)).append(", prev ").append(Lsn.format(prev));
        sb.append(", info: 0x").append(Integer.toHexString(info & 0xFF));
        sb.append(", main: ").append(mainData.length).append(" bytes");
        for (int i = 0; i < blocks.length; i++) {
            sb.append(", blkref #").append(i).append(": ").append(blocks[i]);
        }
        return sb.toString();
    }

    /**
     * Builds a record to insert: blocks in the order given (their index is their
     * block id), each optionally followed by its data, and the main data.
     */
    public static final class Builder {
        private final byte rmgr;
        private final byte info;
        private int xid;
        private BlockReference[] blocks = NO_BLOCKS;
        private int count;
        private byte[] mainData;

        private Builder(byte rmgr, byte info) {
            this.rmgr = rmgr;
            this.info = info;
        }

        /** The transaction id ({@code xl_xid}); 0 (the default) for none. */
        public Builder xid(int xid) {
            this.xid = xid;
            return this;
        }

        /** Adds a block reference; see {@link BlockReference#of} for {@code page} and {@code flags}. */
        public Builder block(RelFileNode rel, ForkNumber fork, int block, ByteBuffer page, int flags) {
            return block(BlockReference.of(rel, fork, block, page, flags, null));
        }

        /** Adds a block reference with data for its redo routine. */
        public Builder block(RelFileNode rel, ForkNumber fork, int block, ByteBuffer page, int flags,
                byte[] data) {
            return block(BlockReference.of(rel, fork, block, page, flags, data));
        }

        public Builder block(BlockReference ref) {
            Objects.requireNonNull(ref, "ref");
            if (ref.page() == null && (ref.flags() & BlockReference.NO_IMAGE) == 0) {
                throw new IllegalArgumentException("a block that may get a full-page image needs its page");
            }
            if (count == MAX_BLOCKS) {
                throw new IllegalArgumentException("too many block references (at most " + MAX_BLOCKS + ")");
            }
            if (count == blocks.length) {
                blocks = Arrays.copyOf(blocks, Math.max(4, count * 2));
            }
            blocks[count++] = ref;
            return this;
        }

        /** The main data (not copied: leave it unchanged until the insert returns). */
        public Builder mainData(byte[] data) {
            this.mainData = data;
            return this;
        }

        public WalRecord build() {
            BlockReference[] b = count == blocks.length ? blocks : Arrays.copyOf(blocks, count);
            return new WalRecord(rmgr, info, xid, b, mainData, 0, 0, 0, 0, 0);
        }
    }
}
