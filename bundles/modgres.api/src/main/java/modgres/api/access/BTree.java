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
