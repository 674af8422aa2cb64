package modgres.api.page;

import modgres.api.buffer.RelFileNode;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The free space map of relations: for each block of a relation's main
 * fork, roughly how many bytes are free, kept in the relation's {@code _fsm}
 * fork in PostgreSQL 15's format, so that an insert finds a page with room
 * without scanning the relation.
 *
 * <p>Free space is recorded in 256 categories of 32 bytes (one byte per
 * block): a recorded amount reads back rounded down to a multiple of 32 (the
 * top category means a whole empty page, {@value #MAX_REQUEST} bytes). A
 * search therefore never returns a page with less room than asked for
 * according to what was recorded; the caller re-checks the page itself (the
 * map is a hint: not WAL-logged, possibly stale after a crash), and records
 * the true amount when it is short.
 *
 * <p>Block numbers are unsigned ints; {@link #INVALID_BLOCK} means none.
 * Methods are thread-safe; they pin FSM pages in the shared buffer pool and
 * hold their content locks briefly, never while calling back.
 */
@ProviderType
public interface FreeSpaceMap {

    /** {@code InvalidBlockNumber}. */
    int INVALID_BLOCK = 0xFFFFFFFF;

    /** {@code MaxFSMRequestSize}: the largest request, the free space of an empty heap page. */
    int MAX_REQUEST = HeapTupleHeader.MAX_TUPLE_SIZE;

    /**
     * {@code RecordPageWithFreeSpace}: records that {@code block} has
     * {@code freeBytes} free (e.g. {@link Page#heapFreeSpace}), extending the
     * map if needed.
     */
    void recordFreeSpace(RelFileNode rel, int block, int freeBytes);

    /**
     * {@code GetPageWithFreeSpace}: a block recorded with at least
     * {@code neededBytes} free, or {@link #INVALID_BLOCK}. Successive searches
     * spread over the relation rather than all returning the first block.
     */
    int findPage(RelFileNode rel, int neededBytes);

    /**
     * {@code RecordAndGetPageWithFreeSpace}: records {@code oldBlock}'s free
     * space (it was too full) and searches for {@code neededBytes}, looking
     * first near {@code oldBlock}.
     */
    int recordAndFindPage(RelFileNode rel, int oldBlock, int oldFreeBytes, int neededBytes);

    /** {@code GetRecordedFreeSpace}: what is recorded for {@code block} (0 if nothing). */
    int recordedFreeSpace(RelFileNode rel, int block);

    /**
     * Forgets the free space of blocks {@code nblocks} and later, and shortens the
     * {@code _fsm} fork accordingly: part of truncating the relation's main fork
     * to {@code nblocks}.
     */
    void truncate(RelFileNode rel, int nblocks);

    /**
     * {@code FreeSpaceMapVacuum}: recomputes the map's upper levels from its
     * leaves (after a crash left them stale, for instance).
     */
    void vacuum(RelFileNode rel);
}
