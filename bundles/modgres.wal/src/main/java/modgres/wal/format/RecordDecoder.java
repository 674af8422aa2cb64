package modgres.wal.format;

import static modgres.wal.format.WalFormat.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.wal.BlockReference;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/**
 * Checks and decodes records read back from the log, as PostgreSQL's
 * {@code ValidXLogRecordHeader}, {@code ValidXLogRecord} and
 * {@code DecodeXLogRecord} do. Messages follow PostgreSQL's wording.
 */
public final class RecordDecoder {

    private RecordDecoder() {
    }

    /**
     * Checks a record's fixed header (the first {@value WalRecord#HEADER_SIZE}
     * bytes of {@code header}). With {@code expectedPrev} valid, the prev-link
     * must equal it; otherwise (the first record of a scan) it must lie before
     * the record.
     */
    public static void checkHeader(ByteBuffer header, long lsn, long expectedPrev) throws InvalidRecordException {
        int totLen = header.getInt(REC_TOT_LEN);
        if (totLen < WalRecord.HEADER_SIZE || totLen > WalRecord.MAX_TOTAL_LENGTH) {
            throw new InvalidRecordException("invalid record length at " + Lsn.format(lsn) + ": wanted "
                    + WalRecord.HEADER_SIZE + ", got " + Integer.toUnsignedString(totLen));
        }
        byte rmid = header.get(REC_RMID);
        if (!ResourceManager.isValid(rmid)) {
            throw new InvalidRecordException("invalid resource manager ID " + (rmid & 0xFF) + " at "
                    + Lsn.format(lsn));
        }
        long prev = header.getLong(REC_PREV);
        if (expectedPrev != Lsn.INVALID) {
            if (prev != expectedPrev) {
                throw new InvalidRecordException("record with incorrect prev-link " + Lsn.format(prev) + " at "
                        + Lsn.format(lsn));
            }
        } else if (Long.compareUnsigned(prev, lsn) >= 0) {
            throw new InvalidRecordException("record with incorrect prev-link " + Lsn.format(prev) + " at "
                    + Lsn.format(lsn));
        }
    }

    /** Checks the CRC-32C of a whole record in {@code rec[0, totLen)}. */
    public static void checkCrc(byte[] rec, long lsn) throws InvalidRecordException {
        ByteBuffer v = le(rec);
        int totLen = v.getInt(REC_TOT_LEN);
        if (totLen < WalRecord.HEADER_SIZE || totLen > rec.length) {
            throw new InvalidRecordException("record with invalid length at " + Lsn.format(lsn));
        }
        CRC32C crc = new CRC32C();
        crc.update(rec, WalRecord.HEADER_SIZE, totLen - WalRecord.HEADER_SIZE);
        crc.update(rec, 0, REC_CRC);
        if ((int) crc.getValue() != v.getInt(REC_CRC)) {
            throw new InvalidRecordException("incorrect resource manager data checksum in record at "
                    + Lsn.format(lsn));
        }
    }

    /**
     * Decodes a whole, checked record (header, CRC) into a {@link WalRecord}
     * located at {@code lsn .. endLsn}.
     */
    public static WalRecord decode(byte[] rec, long lsn, long endLsn) throws InvalidRecordException {
        ByteBuffer v = le(rec);
        int totLen = v.getInt(REC_TOT_LEN);
        int at = WalRecord.HEADER_SIZE;
        int remaining = totLen - at;
        int maxBlockId = -1;
        List<BlockReference> blocks = new ArrayList<>(2);
        int[] dataLen = new int[WalRecord.MAX_BLOCKS];
        int[] imageLen = new int[WalRecord.MAX_BLOCKS];
        int[] holeOffset = new int[WalRecord.MAX_BLOCKS];
        int[] forkFlags = new int[WalRecord.MAX_BLOCKS];
        RelFileNode[] rels = new RelFileNode[WalRecord.MAX_BLOCKS];
        int[] blockNos = new int[WalRecord.MAX_BLOCKS];
        int mainLen = 0;
        long datatotal = 0;
        RelFileNode rel = null;
        while (remaining > datatotal) {
            if (remaining - datatotal < 1) {
                break;
            }
            int id = rec[at] & 0xFF;
            if (id == BLOCK_ID_DATA_SHORT) {
                need(remaining, 2, lsn);
                mainLen = rec[at + 1] & 0xFF;
                at += 2;
                remaining -= 2;
                datatotal += mainLen;
                break;
            } else if (id == BLOCK_ID_DATA_LONG) {
                need(remaining, 5, lsn);
                mainLen = v.getInt(at + 1);
                if (mainLen < 0) {
                    throw new InvalidRecordException("record with invalid length at " + Lsn.format(lsn));
                }
                at += 5;
                remaining -= 5;
                datatotal += mainLen;
                break;
            } else if (id < WalRecord.MAX_BLOCKS) {
                if (id <= maxBlockId) {
                    throw new InvalidRecordException("out-of-order block_id " + id + " at " + Lsn.format(lsn));
                }
                if (id != maxBlockId + 1) {
                    throw new InvalidRecordException("invalid block_id " + id + " at " + Lsn.format(lsn));
                }
                maxBlockId = id;
                need(remaining, BLOCK_HEADER, lsn);
                int ff = rec[at + 1] & 0xFF;
                int dlen = v.getShort(at + 2) & 0xFFFF;
                at += BLOCK_HEADER;
                remaining -= BLOCK_HEADER;
                if ((ff & BKPBLOCK_FORK_MASK) > ForkNumber.INIT.ordinal()) {
                    throw new InvalidRecordException("invalid fork number " + (ff & BKPBLOCK_FORK_MASK) + " at "
                            + Lsn.format(lsn));
                }
                boolean hasData = (ff & BKPBLOCK_HAS_DATA) != 0;
                if (hasData && dlen == 0) {
                    throw new InvalidRecordException("BKPBLOCK_HAS_DATA set, but no data included at "
                            + Lsn.format(lsn));
                }
                if (!hasData && dlen != 0) {
                    throw new InvalidRecordException("BKPBLOCK_HAS_DATA not set, but data length is " + dlen
                            + " at " + Lsn.format(lsn));
                }
                dataLen[id] = dlen;
                datatotal += dlen;
                if ((ff & BKPBLOCK_HAS_IMAGE) != 0) {
                    need(remaining, IMAGE_HEADER, lsn);
                    int ilen = v.getShort(at) & 0xFFFF;
                    int hoff = v.getShort(at + 2) & 0xFFFF;
                    int binfo = rec[at + 4] & 0xFF;
                    at += IMAGE_HEADER;
                    remaining -= IMAGE_HEADER;
                    boolean hole = (binfo & BKPIMAGE_HAS_HOLE) != 0;
                    if ((binfo & ~BKPIMAGE_HAS_HOLE) != 0 || ilen == 0 || ilen > PAGE
                            || hole && (hoff == 0 || ilen == PAGE || hoff + (PAGE - ilen) > PAGE)
                            || !hole && (hoff != 0 || ilen != PAGE)) {
                        throw new InvalidRecordException("invalid block image (length " + ilen + ", hole offset "
                                + hoff + ", info 0x" + Integer.toHexString(binfo) + ") at " + Lsn.format(lsn));
                    }
                    imageLen[id] = ilen;
                    holeOffset[id] = hoff;
                    datatotal += ilen;
                }
                if ((ff & BKPBLOCK_SAME_REL) != 0) {
                    if (rel == null) {
                        throw new InvalidRecordException("BKPBLOCK_SAME_REL set but no previous rel at "
                                + Lsn.format(lsn));
                    }
                } else {
                    need(remaining, REL_SIZE, lsn);
                    rel = new RelFileNode(v.getInt(at), v.getInt(at + 4), v.getInt(at + 8));
                    at += REL_SIZE;
                    remaining -= REL_SIZE;
                }
                need(remaining, BLOCKNO_SIZE, lsn);
                blockNos[id] = v.getInt(at);
                at += BLOCKNO_SIZE;
                remaining -= BLOCKNO_SIZE;
                rels[id] = rel;
                forkFlags[id] = ff;
            } else {
                throw new InvalidRecordException("invalid block_id " + id + " at " + Lsn.format(lsn));
            }
        }
        if (remaining != datatotal) {
            throw new InvalidRecordException("record with invalid length at " + Lsn.format(lsn));
        }
        for (int id = 0; id <= maxBlockId; id++) {
            int ff = forkFlags[id];
            byte[] image = null;
            if ((ff & BKPBLOCK_HAS_IMAGE) != 0) {
                image = new byte[PAGE];
                int ilen = imageLen[id];
                if (ilen == PAGE) {
                    System.arraycopy(rec, at, image, 0, PAGE);
                } else {
                    int hoff = holeOffset[id];
                    int holeLen = PAGE - ilen;
                    System.arraycopy(rec, at, image, 0, hoff);
                    System.arraycopy(rec, at + hoff, image, hoff + holeLen, ilen - hoff);
                }
                at += ilen;
            }
            byte[] data = null;
            if (dataLen[id] > 0) {
                data = new byte[dataLen[id]];
                System.arraycopy(rec, at, data, 0, data.length);
                at += data.length;
            }
            blocks.add(BlockReference.decoded(rels[id], ForkNumber.of(ff & BKPBLOCK_FORK_MASK), blockNos[id],
                    (ff & BKPBLOCK_WILL_INIT) != 0, image, data));
        }
        byte[] main = new byte[mainLen];
        System.arraycopy(rec, at, main, 0, mainLen);
        return WalRecord.decoded(lsn, endLsn, totLen, v.getInt(REC_XID), v.getLong(REC_PREV), rec[REC_INFO],
                rec[REC_RMID], v.getInt(REC_CRC), blocks, main);
    }

    private static void need(long remaining, int n, long lsn) throws InvalidRecordException {
        if (remaining < n) {
            throw new InvalidRecordException("record with invalid length at " + Lsn.format(lsn));
        }
    }
}
