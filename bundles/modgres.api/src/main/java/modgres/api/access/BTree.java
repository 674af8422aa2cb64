package modgres.api.access;

import java.util.function.LongPredicate;

import modgres.api.buffer.RelFileNode;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The B-tree access method ({@code nbtree}): Lehman and Yao trees of index
 * entries {@code (key, heap tid)} in 8 KiB pages in the shared buffers, with
 * right links and high keys so that searches never block on splits, a
 * metapage at block 0, and every change WAL-logged (resource manager
 * {@code BTREE}, with its redo).
 *
 * <p>Entries are ordered by key (through the caller's {@link KeyComparator})
 * and then by heap tid, so equal keys are kept in tid order (as PostgreSQL 12
 * and later keep them). Keys are opaque byte strings of at most
 * {@value #MAX_KEY_SIZE} bytes.
 */
@ProviderType
public interface BTree {

    /** The largest key an entry may have (about a third of a page, as PostgreSQL's limit). */
    int MAX_KEY_SIZE = 2704;

    /** Creates an empty index (metapage), WAL-logged. */
    void create(RelFileNode index);

    /** Removes the index's files and buffers (not logged; see {@link Heap#dropStorage}). */
    void dropStorage(RelFileNode index);

    /**
     * Inserts an entry. With a {@code unique} checker, every existing entry
     * with an equal key (comparator result 0 for the whole key) is checked
     * first; {@code null} for a non-unique index.
     *
     * @throws modgres.api.error.PgException {@code 54000 index row size … exceeds btree version 4 maximum …} for a too-long key
     */
    void insert(RelationRef index, KeyComparator cmp, byte[] key, long heapTid, UniqueChecker unique)
            throws InterruptedException;

    /**
     * Fills a new index from entries already sorted, bottom up (CREATE INDEX
     * on a filled table, PostgreSQL's {@code nbtsort.c}): leaf pages are
     * filled left to right to {@code fillfactor}, the levels above are made
     * from the pages' high keys (internal pages to 70%), and the metapage is
     * written last; every page is WAL-logged, so that crash recovery restores
     * the whole index. The index must be empty (just {@link #create created},
     * nothing inserted).
     *
     * <p>{@code sorted} yields each entry once, in ascending order of key
     * under {@code cmp} and then heap tid (unsigned), as a scan of the
     * finished index would; the caller sorts, and for a unique index checks
     * for duplicates while doing so (no {@link UniqueChecker} is consulted
     * here). The method reads it to its end and does not close it; its
     * {@link IndexScan#key()} arrays are not changed and may be kept.
     *
     * <p>The default inserts the entries one by one ({@link #insert} without a
     * unique check).
     *
     * @param fillfactor the percentage of each leaf page to fill, 10..100, or 0 for the default 90
     * @return the number of entries
     * @throws modgres.api.error.PgException {@code 54000} for a too-long key (as {@link #insert});
     *         {@code XX000} when the entries are out of order or the index is not empty
     */
    default long build(RelationRef index, KeyComparator cmp, IndexScan sorted, int fillfactor)
            throws InterruptedException {
        long n = 0;
        while (sorted.next()) {
            insert(index, cmp, sorted.key(), sorted.heapTid(), null);
            n++;
        }
        return n;
    }

    /**
     * Scans the entries between two bounds. A null bound is open. With
     * {@code backward} the entries come in descending order.
     */
    IndexScan scan(RelationRef index, KeyComparator cmp, byte[] lower, boolean lowerInclusive, byte[] upper,
            boolean upperInclusive, boolean backward);

    /** Removes every entry whose heap tid {@code dead} accepts (vacuum); returns how many. WAL-logged. */
    long bulkDelete(RelationRef index, LongPredicate dead);

    /** The number of blocks of the index. */
    int nblocks(RelFileNode index);
}
