package modgres.sql.exec.spill;

/*
 * Design notes: the partition files of a hash aggregate that spilled
 * (PostgreSQL 13+'s HashAggSpill), also used by the hashed DISTINCT.
 *
 * Why: once a hash table is full, rows of groups not in it are written, by a
 * hash of their group key, to one of n partition files; each partition is
 * later processed as a batch of its own, with an empty table, and may spill
 * again into partitions of the next level.
 *
 * Invariants:
 *   - n is a power of two; a row's partition is a mix of its key's hash and
 *     the level, so rows of one key always share a partition, and the keys of
 *     one partition spread over the next level's partitions (a different mix
 *     per level, where PostgreSQL takes further bits of one hash);
 *   - files are created on first use (an empty partition is no batch);
 *   - every file created is handed on (take) or deleted (delete).
 */

/** The partition files of one spill; see the design notes. */
public final class HashPartitions {
    /** HASHAGG_MIN_PARTITIONS / HASHAGG_MAX_PARTITIONS / HASHAGG_PARTITION_FACTOR. */
    static final int MIN_PARTITIONS = 4;
    static final int MAX_PARTITIONS = 1024;
    static final double PARTITION_FACTOR = 1.5;

    private final TempFileSpace space;
    private final TempFileSpace.Usage usage;
    private final RowCodec codec;
    private final TempFile[] files;
    private final int level;

    /**
     * @param n     the number of partitions, a power of two
     * @param level the recursion level of the batches these partitions become (1 for the first spill)
     */
    public HashPartitions(TempFileSpace space, TempFileSpace.Usage usage, RowCodec codec, int n, int level) {
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("partitions must be a power of two: " + n);
        }
        this.space = space;
        this.usage = usage;
        this.codec = codec;
        this.files = new TempFile[n];
        this.level = level;
    }

    /**
     * hash_choose_num_partitions: enough partitions for each to fit in memory
     * (with a margin), but no more than a quarter of the memory spent on
     * their write buffers; a power of two in 4 .. 1024.
     *
     * @param inputGroups   the groups expected (the planner's estimate, or a batch's row count)
     * @param hashEntrySize the memory a group takes
     * @param hashMem       the memory allowed
     */
    public static int choose(double inputGroups, double hashEntrySize, long hashMem) {
        double partitionLimit = (hashMem * 0.25 - TempFile.BLOCK) / TempFile.BLOCK;
        double memWanted = PARTITION_FACTOR * inputGroups * hashEntrySize;
        double d = 1 + memWanted / hashMem;
        if (d > partitionLimit) {
            d = partitionLimit;
        }
        d = Math.max(MIN_PARTITIONS, Math.min(MAX_PARTITIONS, d));
        int n = (int) d;
        return Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
    }

    /** The partition of a key with hash code {@code hash}. */
    public int partitionOf(int hash) {
        return mix(hash, level) & (files.length - 1);
    }

    /** Writes {@code row} to partition {@code p}. */
    public void write(int p, Object[] row) {
        TempFile f = files[p];
        if (f == null) {
            f = files[p] = space.create(usage);
        }
        codec.write(f, row);
    }

    public int count() {
        return files.length;
    }

    public int level() {
        return level;
    }

    /** Hands partition {@code p}'s file over, ready for reading (null when the partition is empty). */
    public TempFile take(int p) {
        TempFile f = files[p];
        files[p] = null;
        if (f != null) {
            f.startReading();
        }
        return f;
    }

    /** Deletes the files not handed over. */
    public void delete() {
        for (int i = 0; i < files.length; i++) {
            if (files[i] != null) {
                files[i].delete();
                files[i] = null;
            }
        }
    }

    /** A well-mixed hash (MurmurHash3's finaliser) of {@code h} for recursion level {@code level}. */
    public static int mix(int h, int level) {
        h += level * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
