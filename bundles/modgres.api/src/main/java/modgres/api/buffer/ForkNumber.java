package modgres.api.buffer;

/**
 * The forks of a relation: each is a separate file (set of segment files)
 * next to the others, named by the relfilenode plus {@link #fileSuffix()}.
 */
public enum ForkNumber {
    /** The relation's data. */
    MAIN("main", ""),
    /** The free space map. */
    FSM("fsm", "_fsm"),
    /** The visibility map. */
    VM("vm", "_vm"),
    /** The initial contents of an unlogged relation. */
    INIT("init", "_init");

    private static final ForkNumber[] VALUES = values();

    private final String forkName;
    private final String fileSuffix;

    ForkNumber(String forkName, String fileSuffix) {
        this.forkName = forkName;
        this.fileSuffix = fileSuffix;
    }

    /** The name PostgreSQL uses in functions such as {@code pg_relation_size(rel, 'fsm')}. */
    public String forkName() {
        return forkName;
    }

    /** What follows the relfilenode in the file name ({@code ""}, {@code "_fsm"}, ...). */
    public String fileSuffix() {
        return fileSuffix;
    }

    /** The fork with the given number (its {@link #ordinal()}), without allocating. */
    public static ForkNumber of(int number) {
        return VALUES[number];
    }
}
