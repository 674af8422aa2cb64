package modgres.storage.nbtree;

import java.util.function.LongPredicate;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import modgres.api.access.BTree;
import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.RelationRef;
import modgres.api.access.UniqueChecker;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.RelFileNode;
import modgres.api.page.StorageManager;
import modgres.api.wal.Wal;

/**
 * Publishes the B-tree access method as {@link BTree}. References (static,
 * mandatory): the {@link BufferPool} that holds the index pages, the
 * {@link Wal} every change is logged to, and the {@link StorageManager} that
 * creates and removes the index files. Calls are delegated to an
 * {@link NbTree}; the design is in README.md beside this file.
 */
@Component(name = "modgres.storage.nbtree", service = BTree.class, immediate = true)
public final class BTreeComponent implements BTree {
    private final NbTree tree;

    @Activate
    public BTreeComponent(@Reference(name = "BufferPool") BufferPool pool, @Reference(name = "Wal") Wal wal,
            @Reference(name = "StorageManager") StorageManager smgr) {
        tree = new NbTree(pool, wal, smgr);
    }

    @Override
    public void create(RelFileNode index) {
        tree.create(index);
    }

    @Override
    public void dropStorage(RelFileNode index) {
        tree.dropStorage(index);
    }

    @Override
    public void insert(RelationRef index, KeyComparator cmp, byte[] key, long heapTid, UniqueChecker unique)
            throws InterruptedException {
        tree.insert(index, cmp, key, heapTid, unique);
    }

    @Override
    public long build(RelationRef index, KeyComparator cmp, IndexScan sorted, int fillfactor) {
        return tree.build(index, cmp, sorted, fillfactor);
    }

    @Override
    public IndexScan scan(RelationRef index, KeyComparator cmp, byte[] lower, boolean lowerInclusive, byte[] upper,
            boolean upperInclusive, boolean backward) {
        return new BtScan(tree, index, cmp, lower, lowerInclusive, upper, upperInclusive, backward);
    }

    @Override
    public long bulkDelete(RelationRef index, LongPredicate dead) {
        return tree.bulkDelete(index, dead);
    }

    @Override
    public int nblocks(RelFileNode index) {
        return tree.nblocks(index);
    }
}
