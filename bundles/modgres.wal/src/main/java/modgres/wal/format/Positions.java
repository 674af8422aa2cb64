package modgres.wal.format;

import static modgres.wal.format.WalFormat.LONG_HEADER;
import static modgres.wal.format.WalFormat.PAGE;
import static modgres.wal.format.WalFormat.SHORT_HEADER;

/**
 * Usable byte positions: a count of the bytes of the log that hold records,
 * leaving out the page headers. Reserving space for a record is then a plain
 * addition (as in PostgreSQL's {@code CurrBytePos}); these methods convert to
 * and from LSNs, which count every byte.
 */
public final class Positions {
    private final long segmentSize;
    private final long usablePerPage = PAGE - SHORT_HEADER;
    private final long usablePerSegment;
    private final long firstPageUsable = PAGE - LONG_HEADER;

    public Positions(long segmentSize) {
        if (Long.bitCount(segmentSize) != 1 || segmentSize < PAGE * 2L) {
            throw new IllegalArgumentException("segment size must be a power of two of at least two pages");
        }
        this.segmentSize = segmentSize;
        this.usablePerSegment = (segmentSize / PAGE) * usablePerPage - (LONG_HEADER - SHORT_HEADER);
    }

    public long segmentSize() {
        return segmentSize;
    }

    public long usablePerSegment() {
        return usablePerSegment;
    }

    /**
     * The LSN of usable byte {@code pos}. A position at the start of a page
     * maps to the first byte after the page header: where a record starting
     * there would begin.
     */
    public long toLsn(long pos) {
        long fullSegs = pos / usablePerSegment;
        long left = pos % usablePerSegment;
        long segOff;
        if (left < firstPageUsable) {
            segOff = left + LONG_HEADER;
        } else {
            left -= firstPageUsable;
            long fullPages = left / usablePerPage;
            left %= usablePerPage;
            segOff = (fullPages + 1) * PAGE + left + SHORT_HEADER;
        }
        return fullSegs * segmentSize + segOff;
    }

    /**
     * The LSN of the end of data ending just before usable byte {@code pos}:
     * like {@link #toLsn} except that a position at the start of a page maps to
     * the page boundary itself.
     */
    public long toEndLsn(long pos) {
        long fullSegs = pos / usablePerSegment;
        long left = pos % usablePerSegment;
        long segOff;
        if (left < firstPageUsable) {
            segOff = left > 0 ? left + LONG_HEADER : 0;
        } else {
            left -= firstPageUsable;
            long fullPages = left / usablePerPage;
            left %= usablePerPage;
            segOff = (fullPages + 1) * PAGE + (left > 0 ? left + SHORT_HEADER : 0);
        }
        return fullSegs * segmentSize + segOff;
    }

    /**
     * The usable byte position of {@code lsn}. An LSN at a page boundary (or in
     * a page header) maps to the page's first usable byte.
     */
    public long toPos(long lsn) {
        long fullSegs = lsn / segmentSize;
        long off = lsn % segmentSize;
        long fullPages = off / PAGE;
        long inPage = off % PAGE;
        long pos = fullSegs * usablePerSegment;
        if (fullPages == 0) {
            if (inPage > LONG_HEADER) {
                pos += inPage - LONG_HEADER;
            }
        } else {
            pos += firstPageUsable + (fullPages - 1) * usablePerPage;
            if (inPage > SHORT_HEADER) {
                pos += inPage - SHORT_HEADER;
            }
        }
        return pos;
    }
}
