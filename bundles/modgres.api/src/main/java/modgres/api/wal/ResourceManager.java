package modgres.api.wal;

/**
 * Resource manager ids: which part of the server a WAL record belongs to, and
 * so which redo routine replays it. Numbered as PostgreSQL 15's
 * {@code rmgrlist.h}, so that a dump of the log reads as {@code pg_waldump}'s
 * does; ids {@value #MIN_CUSTOM_ID}..255 are for custom (extension) resource
 * managers, as in PostgreSQL.
 *
 * <p>Also the {@code info} values of the {@link #XLOG} resource manager that
 * the WAL itself writes or recognises. The high four bits of {@code info}
 * belong to the resource manager; the low four are reserved for flags that
 * apply to every record (none are used yet).
 */
public final class ResourceManager {
    public static final byte XLOG = 0;
    public static final byte XACT = 1;
    public static final byte SMGR = 2;
    public static final byte CLOG = 3;
    public static final byte DBASE = 4;
    public static final byte TBLSPC = 5;
    public static final byte MULTIXACT = 6;
    public static final byte RELMAP = 7;
    public static final byte STANDBY = 8;
    public static final byte HEAP2 = 9;
    public static final byte HEAP = 10;
    public static final byte BTREE = 11;
    public static final byte HASH = 12;
    public static final byte GIN = 13;
    public static final byte GIST = 14;
    public static final byte SEQ = 15;
    public static final byte SPGIST = 16;
    public static final byte BRIN = 17;
    public static final byte COMMIT_TS = 18;
    public static final byte REPLORIGIN = 19;
    public static final byte GENERIC = 20;
    public static final byte LOGICALMSG = 21;

    /** The highest built-in id. */
    public static final int MAX_BUILTIN_ID = LOGICALMSG;
    /** The lowest id of a custom resource manager (PostgreSQL's {@code RM_MIN_CUSTOM_ID}). */
    public static final int MIN_CUSTOM_ID = 128;

    /** {@link #XLOG} info: a shutdown checkpoint. */
    public static final byte XLOG_CHECKPOINT_SHUTDOWN = 0x00;
    /** {@link #XLOG} info: an online checkpoint. */
    public static final byte XLOG_CHECKPOINT_ONLINE = 0x10;
    /** {@link #XLOG} info: a record that does nothing. */
    public static final byte XLOG_NOOP = 0x20;
    /** {@link #XLOG} info: the rest of the segment is unused; the log continues in the next segment. */
    public static final byte XLOG_SWITCH = 0x40;
    /** {@link #XLOG} info: a full-page image and nothing else. */
    public static final byte XLOG_FPI = (byte) 0xB0;

    private static final String[] NAMES = {"XLOG", "Transaction", "Storage", "CLOG", "Database", "Tablespace",
        "MultiXact", "RelMap", "Standby", "Heap2", "Heap", "Btree", "Hash", "Gin", "Gist", "Sequence", "SPGist",
        "BRIN", "CommitTs", "ReplicationOrigin", "Generic", "LogicalMessage"};

    private ResourceManager() {
    }

    /** The name {@code pg_waldump} prints ({@code Heap}, {@code Transaction}, ...); {@code custom###} otherwise. */
    public static String name(byte id) {
        int i = id & 0xFF;
        return i < NAMES.length ? NAMES[i] : "custom" + i;
    }

    /** True for a built-in or custom id; false for the unassigned 22..127. */
    public static boolean isValid(byte id) {
        int i = id & 0xFF;
        return i <= MAX_BUILTIN_ID || i >= MIN_CUSTOM_ID;
    }
}
