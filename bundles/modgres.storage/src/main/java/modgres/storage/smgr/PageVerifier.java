package modgres.storage.smgr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.page.Page;
import modgres.api.page.PageChecksum;

/**
 * The checksum rules of the storage manager, as PostgreSQL applies them:
 * {@link #verifyRead} is {@code PageIsVerified} plus what
 * {@code ReadBuffer} does with its answer; {@link #forWrite} is
 * {@code PageSetChecksumCopy}.
 */
final class PageVerifier {
    private final boolean checksums;
    private final ServerLog log;
    private volatile boolean ignoreChecksumFailure;
    private volatile boolean zeroDamagedPages;
    private final ConcurrentHashMap<Integer, LongAdder> failures = new ConcurrentHashMap<>();

    /** Per thread: the copy a page is checksummed and written from (direct, so the write copies no more). */
    private static final ThreadLocal<ByteBuffer> WRITE_COPY = ThreadLocal
            .withInitial(() -> ByteBuffer.allocateDirect(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN));

    PageVerifier(boolean checksums, ServerLog log) {
        this.checksums = checksums;
        this.log = log;
    }

    boolean checksums() {
        return checksums;
    }

    void setIgnoreChecksumFailure(boolean on) {
        ignoreChecksumFailure = on;
    }

    void setZeroDamagedPages(boolean on) {
        zeroDamagedPages = on;
    }

    boolean zeroDamagedPages() {
        return zeroDamagedPages;
    }

    long failures(int database) {
        LongAdder n = failures.get(database);
        return n == null ? 0 : n.sum();
    }

    /**
     * Checks a page just read as block {@code block} of fork {@code relpath} of
     * database {@code database}. A page passes when its header is sane and its
     * checksum matches (checksums on), or when it is all zeros (a new page). A
     * checksum mismatch logs {@code WARNING page verification failed, calculated
     * checksum X but expected Y} and is counted; it passes anyway when the header
     * is sane and {@code ignore_checksum_failure} is on. A page that does not pass
     * is zeroed with a WARNING under {@code zero_damaged_pages}, else it is
     * {@code ERROR XX001 invalid page in block N of relation ...}.
     */
    void verifyRead(ByteBuffer page, int block, int database, String relpath) {
        boolean checksumFailure = false;
        boolean headerSane = false;
        int calculated = 0;
        if (!Page.isNew(page)) {
            if (checksums) {
                calculated = PageChecksum.compute(page, block);
                checksumFailure = calculated != Page.checksum(page);
            }
            headerSane = Page.isHeaderSane(page);
            if (headerSane && !checksumFailure) {
                return;
            }
        }
        if (Page.isAllZero(page)) {
            return;
        }
        if (checksumFailure) {
            if (log != null) {
                log.report(Severity.WARNING, SqlState.DATA_CORRUPTED, "page verification failed, calculated checksum "
                        + calculated + " but expected " + Page.checksum(page), null, null);
            }
            failures.computeIfAbsent(database, d -> new LongAdder()).increment();
            if (headerSane && ignoreChecksumFailure) {
                return;
            }
        }
        String where = "invalid page in block " + Integer.toUnsignedString(block) + " of relation " + relpath;
        if (zeroDamagedPages) {
            if (log != null) {
                log.report(Severity.WARNING, SqlState.DATA_CORRUPTED, where + "; zeroing out page", null, null);
            }
            Page.zero(page, 0, Page.SIZE);
            return;
        }
        throw new PgException(SqlState.DATA_CORRUPTED, where);
    }

    /**
     * The bytes to write for a page: with checksums on and a page that is not
     * new, a private copy with {@code pd_checksum} set for {@code block}
     * (positioned at 0, 8192 bytes remaining; a new page is copied unchanged);
     * with checksums off, {@code page} itself, at its position. The copy is
     * taken first because hint bits may change in the shared page while it is
     * written (they are set under a shared lock).
     */
    ByteBuffer forWrite(ByteBuffer page, int base, int block) {
        if (!checksums) {
            return page;
        }
        ByteBuffer copy = WRITE_COPY.get();
        copy.clear();
        copy.put(0, page, base, Page.SIZE);
        if (!Page.isNew(copy)) {
            PageChecksum.set(copy, block);
        }
        return copy;
    }
}
