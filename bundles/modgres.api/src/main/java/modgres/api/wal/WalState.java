package modgres.api.wal;

/** The life of a {@link Wal}. */
public enum WalState {
    /**
     * The log can be read (recovery) but not written: no record can be inserted
     * until {@link Wal#startAt} says where the log continues.
     */
    READING,
    /** Records are inserted and flushed. */
    INSERTING,
    /**
     * A write or fsync of the log failed (PANIC): every later insert and flush
     * throws. The server must stop; what is on disk is recovered at the next start.
     */
    FAILED,
    /** The component is gone. */
    CLOSED
}
