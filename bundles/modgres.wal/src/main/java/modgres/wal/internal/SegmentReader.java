package modgres.wal.internal;

import static modgres.wal.format.WalFormat.FIRST_IS_CONTRECORD;
import static modgres.wal.format.WalFormat.PAGE;
import static modgres.wal.format.WalFormat.PH_INFO;
import static modgres.wal.format.WalFormat.PH_REM_LEN;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.function.LongConsumer;

import modgres.api.wal.Lsn;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.wal.format.InvalidRecordException;
import modgres.wal.format.RecordDecoder;
import modgres.wal.format.WalFormat;

/**
 * Reads records forward from the segment files, as PostgreSQL's xlogreader
 * does. Every page is checked when it is first read (magic, flags, its own
 * address, timeline, and on a segment's first page the system id and sizes);
 * every record's header (length, resource manager, prev-link) and CRC. A
 * record continued on the next page must find that page marked as a
 * continuation with exactly the remaining length. The first failure is the
 * end of valid WAL: {@link #next()} returns null from then on, and
 * {@link #end()} tells where the next record would go and why reading stopped.
 *
 * <p>Bytes missing from a short file read as zeros, so a truncated segment
 * ends the log where its data ends.
 */
final class SegmentReader implements WalReader {
    private final SegmentFiles files;
    private final WalIo io;
    private final long segmentSize;
    private final int timeline;
    private final long systemId;
    private final long limit;
    private final LongConsumer progress;

    private final byte[] page = new byte[PAGE];
    private final ByteBuffer pageView = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
    private long loadedPage = -1;
    private WalIo.WalFile file;
    private long fileSegno = -1;

    /** Where the next record starts (a page boundary is skipped over its header). */
    private long next;
    private long expectedPrev = Lsn.INVALID;
    private long lastRecord = Lsn.INVALID;
    private boolean first = true;
    private WalEnd end;
    private byte[] buf = new byte[256];

    /**
     * @param fromLsn a record start, or a page/segment boundary to search forward from
     * @param limit   read nothing at or beyond this LSN (the flushed end of a running log), or -1
     * @param progress told the end LSN of each record read (may be null)
     */
    SegmentReader(SegmentFiles files, WalIo io, long segmentSize, int timeline, long systemId, long fromLsn,
            long limit, LongConsumer progress) {
        this.files = files;
        this.io = io;
        this.segmentSize = segmentSize;
        this.timeline = timeline;
        this.systemId = systemId;
        this.limit = limit;
        this.progress = progress;
        this.next = fromLsn;
    }

    @Override
    public WalEnd end() {
        return end != null ? end : new WalEnd(lastRecord, next, "");
    }

    @Override
    public WalRecord next() {
        if (end != null) {
            return null;
        }
        try {
            if (first) {
                next = findFirstRecord(next);
            }
            long lsn = next;
            if (lsn % PAGE == 0) {
                loadPage(lsn);
                int h = WalFormat.headerSize(lsn, segmentSize);
                if ((pageView.getShort(PH_INFO) & FIRST_IS_CONTRECORD) != 0) {
                    throw new InvalidRecordException("contrecord is requested by " + Lsn.format(lsn));
                }
                lsn += h;
            }
            WalRecord r = readRecord(lsn);
            first = false;
            lastRecord = r.lsn();
            expectedPrev = r.lsn();
            next = r.isSwitch() ? ceilSegment(r.endLsn()) : r.endLsn();
            if (progress != null) {
                progress.accept(r.endLsn());
            }
            return r;
        } catch (InvalidRecordException e) {
            stop(e.getMessage());
            return null;
        }
    }

    private void stop(String reason) {
        end = new WalEnd(lastRecord, next, reason);
        closeFile();
    }

    private long ceilSegment(long lsn) {
        long off = lsn & (segmentSize - 1);
        return off == 0 ? lsn : lsn - off + segmentSize;
    }

    /**
     * At a page boundary, skips the header and the tail of a record continued
     * from the previous page (PostgreSQL's {@code XLogFindNextRecord});
     * inside a page, {@code lsn} is taken as a record start.
     */
    private long findFirstRecord(long lsn) throws InvalidRecordException {
        long inPage = lsn % PAGE;
        if (inPage != 0 && inPage >= WalFormat.headerSize(lsn - inPage, segmentSize)) {
            return lsn;
        }
        long p = lsn - inPage;
        while (true) {
            loadPage(p);
            int h = WalFormat.headerSize(p, segmentSize);
            long rem = Integer.toUnsignedLong(pageView.getInt(PH_REM_LEN));
            if ((pageView.getShort(PH_INFO) & FIRST_IS_CONTRECORD) == 0 || rem == 0) {
                return p; // a record (or the end) starts right after the header
            }
            long after = h + WalFormat.align(rem);
            if (after < PAGE) {
                next = p + after;
                return next;
            }
            p += PAGE;
            next = p;
        }
    }

    private WalRecord readRecord(long lsn) throws InvalidRecordException {
        if (limit >= 0 && lsn + WalRecord.HEADER_SIZE > limit) {
            throw new InvalidRecordException("end of flushed WAL at " + Lsn.format(lsn));
        }
        long pageLsn = lsn - lsn % PAGE;
        loadPage(pageLsn);
        int off = (int) (lsn - pageLsn);
        int totLen = pageView.getInt(off);
        if (totLen == 0) {
            throw new InvalidRecordException("invalid record length at " + Lsn.format(lsn) + ": wanted "
                    + WalRecord.HEADER_SIZE + ", got 0");
        }
        boolean headerChecked = false;
        if (PAGE - off >= WalRecord.HEADER_SIZE) {
            RecordDecoder.checkHeader(ByteBuffer.wrap(page, off, WalRecord.HEADER_SIZE).slice()
                    .order(ByteOrder.LITTLE_ENDIAN), lsn, first ? Lsn.INVALID : expectedPrev);
            headerChecked = true;
        } else if (totLen < WalRecord.HEADER_SIZE || totLen > WalRecord.MAX_TOTAL_LENGTH) {
            throw new InvalidRecordException("invalid record length at " + Lsn.format(lsn) + ": wanted "
                    + WalRecord.HEADER_SIZE + ", got " + Integer.toUnsignedString(totLen));
        }
        int got = 0;
        int n = Math.min(totLen, PAGE - off);
        append(got, page, off, n, totLen);
        got += n;
        long cur = lsn + n;
        while (got < totLen) {
            // cur is a page boundary: the record continues on the next page
            loadPage(cur);
            int info = pageView.getShort(PH_INFO);
            if ((info & FIRST_IS_CONTRECORD) == 0) {
                throw new InvalidRecordException("there is no contrecord flag at " + Lsn.format(cur));
            }
            long rem = Integer.toUnsignedLong(pageView.getInt(PH_REM_LEN));
            if (rem != totLen - got) {
                throw new InvalidRecordException("invalid contrecord length " + rem + " (expected "
                        + (totLen - got) + ") at " + Lsn.format(cur));
            }
            int h = WalFormat.headerSize(cur, segmentSize);
            n = Math.min(totLen - got, PAGE - h);
            append(got, page, h, n, totLen);
            got += n;
            cur += h + n;
            if (!headerChecked && got >= WalRecord.HEADER_SIZE) {
                RecordDecoder.checkHeader(ByteBuffer.wrap(buf, 0, WalRecord.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN),
                        lsn, first ? Lsn.INVALID : expectedPrev);
                headerChecked = true;
            }
        }
        long endLsn = WalFormat.align(cur);
        if (limit >= 0 && cur > limit) {
            throw new InvalidRecordException("end of flushed WAL at " + Lsn.format(lsn));
        }
        byte[] rec = buf.length == totLen ? buf : Arrays.copyOf(buf, totLen);
        RecordDecoder.checkCrc(rec, lsn);
        return RecordDecoder.decode(rec, lsn, endLsn);
    }

    /** Copies into the record buffer, growing it as pages prove valid (a garbage length allocates nothing big). */
    private void append(int at, byte[] src, int from, int n, int totLen) {
        if (at + n > buf.length) {
            int size = (int) Math.min(totLen, Math.max((long) buf.length * 2, at + n));
            buf = Arrays.copyOf(buf, size);
        }
        System.arraycopy(src, from, buf, at, n);
    }

    private void loadPage(long pageLsn) throws InvalidRecordException {
        if (pageLsn == loadedPage) {
            return;
        }
        if (limit >= 0 && pageLsn >= limit) {
            throw new InvalidRecordException("end of flushed WAL at " + Lsn.format(pageLsn));
        }
        loadedPage = -1;
        long segno = pageLsn / segmentSize;
        try {
            if (segno != fileSegno) {
                closeFile();
                try {
                    file = io.openForRead(files.path(segno));
                } catch (NoSuchFileException e) {
                    throw new InvalidRecordException("could not open file \"" + files.display(segno)
                            + "\": No such file or directory");
                }
                fileSegno = segno;
            }
            ByteBuffer dst = ByteBuffer.wrap(page);
            long at = pageLsn - segno * segmentSize;
            while (dst.hasRemaining()) {
                int r = file.read(dst, at);
                if (r < 0) {
                    break;
                }
                at += r;
            }
            Arrays.fill(page, dst.position(), PAGE, (byte) 0);
        } catch (IOException e) {
            throw new InvalidRecordException("could not read from file \"" + files.display(segno) + "\": "
                    + e.getMessage());
        }
        String bad = WalFormat.checkPageHeader(pageView, pageLsn, timeline, systemId, segmentSize);
        if (bad != null) {
            throw new InvalidRecordException(bad);
        }
        loadedPage = pageLsn;
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // reading only
            }
            file = null;
            fileSegno = -1;
        }
    }

    @Override
    public void close() {
        if (end == null) {
            end = new WalEnd(lastRecord, next, "reader closed");
        }
        closeFile();
    }
}
