package modgres.api.buffer;

/**
 * The kinds of buffer access strategy, with PostgreSQL's ring sizes. A ring
 * is never larger than an eighth of the pool.
 */
public enum StrategyType {
    /** A large sequential scan: a 256 KiB ring, so the scan does not push the rest of the pool out. */
    BULKREAD(256 * 1024),
    /** A bulk write (COPY, CREATE TABLE AS): a 16 MiB ring, which the writer flushes itself. */
    BULKWRITE(16 * 1024 * 1024),
    /** VACUUM: a 256 KiB ring. */
    VACUUM(256 * 1024);

    private final int ringBytes;

    StrategyType(int ringBytes) {
        this.ringBytes = ringBytes;
    }

    /** The ring's size in bytes before the one-eighth-of-the-pool cap. */
    public int ringBytes() {
        return ringBytes;
    }
}
