package modgres.shmem.buffer;

import java.util.concurrent.locks.StampedLock;

/**
 * The buffer mapping table: which buffer holds which block. Split into
 * {@value #PARTITIONS} partitions by the tag's hash, each an open-addressing
 * table (linear probing) under its own {@link StampedLock}, so lookups of
 * different blocks do not meet on one lock, and a lookup usually takes no lock
 * at all (an optimistic read, validated afterwards).
 *
 * <p>An entry is the tag's hash and a buffer id; the tag itself is read from
 * the pool's tag array, which changes only under the write lock of the
 * partitions of the old and the new tag. So a reader under the read lock sees
 * consistent tags, and an optimistic reader may see garbage that the stamp's
 * validation (and the pool's check of the tag after pinning) rejects.
 */
final class MappingTable {
    /** PostgreSQL's {@code NUM_BUFFER_PARTITIONS}. */
    static final int PARTITIONS = 128;
    private static final int PARTITION_SHIFT = 32 - Integer.numberOfTrailingZeros(PARTITIONS);

    private final Partition[] partitions = new Partition[PARTITIONS];

    MappingTable(int nbuffers, int[] tags) {
        int expected = Math.max(1, (nbuffers + PARTITIONS - 1) / PARTITIONS);
        // About four slots per expected entry: partitions fill unevenly, and short probe runs are cheap.
        int capacity = Integer.highestOneBit(Math.max(8, expected * 4 - 1)) << 1;
        for (int i = 0; i < PARTITIONS; i++) {
            partitions[i] = new Partition(i, tags, capacity);
        }
    }

    /** The partition of a hash: its top bits (the bottom bits choose the slot). */
    Partition partition(int hash) {
        return partitions[hash >>> PARTITION_SHIFT];
    }

    /** The hash of a tag: its fields mixed so that neighbouring blocks spread over partitions. */
    static int hash(int tablespace, int database, int relfilenode, int fork, int block) {
        int h = relfilenode * 0x9E3779B1;
        h = (h ^ database) * 0x85EBCA77;
        h = (h ^ tablespace) * 0xC2B2AE3D;
        h = (h ^ fork) * 0x27D4EB2F;
        h ^= block;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    static boolean tagEquals(int[] tags, int buffer, int tablespace, int database, int relfilenode, int fork,
            int block) {
        int t = buffer * SharedBufferPool.TAG_INTS;
        return tags[t + 4] == block && tags[t + 2] == relfilenode && tags[t + 3] == fork
                && tags[t + 1] == database && tags[t] == tablespace;
    }

    /** One partition: a lock and an open-addressing table of (hash, buffer) entries. */
    static final class Partition {
        final int index;
        final StampedLock lock = new StampedLock();
        private final int[] tags;
        private volatile Table table;
        private int size;

        Partition(int index, int[] tags, int capacity) {
            this.index = index;
            this.tags = tags;
            this.table = new Table(capacity);
        }

        /**
         * Looks the tag up without locking. Returns the buffer, or -1 when it is
         * not there or a writer interfered (the caller then retries under the
         * read lock). The answer may be stale as soon as it is returned: the
         * caller pins the buffer and then checks its tag.
         */
        int lookupOptimistic(int hash, int tablespace, int database, int relfilenode, int fork, int block) {
            long stamp = lock.tryOptimisticRead();
            if (stamp == 0L) {
                return -1;
            }
            int buffer = probe(table, hash, tablespace, database, relfilenode, fork, block);
            return lock.validate(stamp) ? buffer : -1;
        }

        /** Looks the tag up; the caller holds the read or write lock. */
        int lookup(int hash, int tablespace, int database, int relfilenode, int fork, int block) {
            return probe(table, hash, tablespace, database, relfilenode, fork, block);
        }

        private int probe(Table t, int hash, int tablespace, int database, int relfilenode, int fork,
                int block) {
            int[] buffers = t.buffers;
            int[] hashes = t.hashes;
            int mask = t.mask;
            int i = hash & mask;
            for (int n = 0; n <= mask; n++) {
                int b = buffers[i];
                if (b < 0) {
                    return -1;
                }
                if (hashes[i] == hash && tagEquals(tags, b, tablespace, database, relfilenode, fork, block)) {
                    return b;
                }
                i = (i + 1) & mask;
            }
            return -1;
        }

        /** Adds an entry; the caller holds the write lock and knows the tag is absent. */
        void insert(int hash, int buffer) {
            Table t = table;
            if ((size + 1) * 2 > t.hashes.length) {
                t = grow(t);
            }
            put(t, hash, buffer);
            size++;
        }

        private static void put(Table t, int hash, int buffer) {
            int i = hash & t.mask;
            while (t.buffers[i] >= 0) {
                i = (i + 1) & t.mask;
            }
            t.hashes[i] = hash;
            t.buffers[i] = buffer;
        }

        private Table grow(Table old) {
            Table t = new Table(old.hashes.length * 2);
            for (int i = 0; i < old.hashes.length; i++) {
                if (old.buffers[i] >= 0) {
                    put(t, old.hashes[i], old.buffers[i]);
                }
            }
            table = t;
            return t;
        }

        /**
         * Removes the entry of {@code buffer} filed under {@code hash}; the
         * caller holds the write lock. Later entries of the probe run are
         * shifted back, so no tombstones are left. Returns false when absent.
         */
        boolean remove(int hash, int buffer) {
            Table t = table;
            int[] hashes = t.hashes;
            int[] buffers = t.buffers;
            int mask = t.mask;
            int i = hash & mask;
            for (int n = 0;; n++) {
                if (buffers[i] < 0 || n > mask) {
                    return false;
                }
                if (buffers[i] == buffer) {
                    break;
                }
                i = (i + 1) & mask;
            }
            int hole = i;
            int j = i;
            while (true) {
                j = (j + 1) & mask;
                if (buffers[j] < 0) {
                    break;
                }
                int home = hashes[j] & mask;
                // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
                boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
                if (!stays) {
                    hashes[hole] = hashes[j];
                    buffers[hole] = buffers[j];
                    hole = j;
                }
            }
            buffers[hole] = -1;
            size--;
            return true;
        }

        /** The number of entries; the caller holds a lock. */
        int size() {
            return size;
        }
    }

    /** The arrays of a partition; replaced as a whole when the partition grows. */
    private static final class Table {
        final int[] hashes;
        final int[] buffers;
        final int mask;

        Table(int capacity) {
            hashes = new int[capacity];
            buffers = new int[capacity];
            java.util.Arrays.fill(buffers, -1);
            mask = capacity - 1;
        }
    }
}
