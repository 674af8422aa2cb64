package modgres.shmem.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The partitioned mapping table against a HashMap model. */
class MappingTableTest {

    @Test
    void insertLookupRemoveAgreeWithAModelThroughGrowthAndBackwardShifts() {
        int n = 2000;
        int[] tags = new int[n * SharedBufferPool.TAG_INTS];
        MappingTable table = new MappingTable(256, tags); // sized for 256: partitions must grow
        Map<Long, Integer> model = new HashMap<>();
        Set<Integer> freeBuffers = new HashSet<>();
        for (int b = 0; b < n; b++) {
            freeBuffers.add(b);
        }
        Random rnd = new Random(42);
        for (int step = 0; step < 50_000; step++) {
            int rel = 1 + rnd.nextInt(3);
            int block = rnd.nextInt(1500);
            long key = (long) rel << 32 | block;
            int hash = MappingTable.hash(1663, 5, rel, 0, block);
            MappingTable.Partition part = table.partition(hash);
            Integer have = model.get(key);
            long stamp = part.lock.writeLock();
            try {
                assertEquals(have == null ? -1 : have, part.lookup(hash, 1663, 5, rel, 0, block));
                if (have != null && rnd.nextBoolean()) {
                    assertTrue(part.remove(hash, have));
                    assertFalse(part.remove(hash, have));
                    model.remove(key);
                    freeBuffers.add(have);
                } else if (have == null && !freeBuffers.isEmpty()) {
                    int b = freeBuffers.iterator().next();
                    freeBuffers.remove(b);
                    int t = b * SharedBufferPool.TAG_INTS;
                    tags[t] = 1663;
                    tags[t + 1] = 5;
                    tags[t + 2] = rel;
                    tags[t + 3] = 0;
                    tags[t + 4] = block;
                    part.insert(hash, b);
                    model.put(key, b);
                }
            } finally {
                part.lock.unlockWrite(stamp);
            }
            if (step % 997 == 0) {
                // No writer now: the optimistic lookup validates and agrees with the model.
                assertEquals((int) model.getOrDefault(key, -1),
                        part.lookupOptimistic(hash, 1663, 5, rel, 0, block));
            }
        }
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            int rel = (int) (e.getKey() >>> 32);
            int block = (int) (long) e.getKey();
            int hash = MappingTable.hash(1663, 5, rel, 0, block);
            assertEquals((int) e.getValue(), table.partition(hash).lookupOptimistic(hash, 1663, 5, rel, 0, block));
        }
    }

    @Test
    void neighbouringBlocksSpreadOverPartitions() {
        Set<Integer> parts = new HashSet<>();
        for (int block = 0; block < 1024; block++) {
            parts.add(MappingTable.hash(1663, 5, 16384, 0, block) >>> 25);
        }
        assertEquals(MappingTable.PARTITIONS, parts.size());
    }
}
