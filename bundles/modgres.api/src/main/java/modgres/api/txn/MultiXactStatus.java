package modgres.api.txn;

/**
 * What a member of a MultiXact does to the row ({@code MultiXactStatus}), in
 * PostgreSQL's order and with its numbering (the value stored in
 * {@code pg_multixact/members} and in the WAL): four lock strengths, then the
 * two kinds of update (a delete counts as {@link #UPDATE}).
 */
public enum MultiXactStatus {
    /** {@code SELECT ... FOR KEY SHARE} (a foreign key's check of its parent row). */
    FOR_KEY_SHARE,
    /** {@code SELECT ... FOR SHARE}. */
    FOR_SHARE,
    /** {@code SELECT ... FOR NO KEY UPDATE}. */
    FOR_NO_KEY_UPDATE,
    /** {@code SELECT ... FOR UPDATE}. */
    FOR_UPDATE,
    /** An UPDATE that changed no key column. */
    NO_KEY_UPDATE,
    /** An UPDATE of a key column, or a DELETE. */
    UPDATE;

    private static final MultiXactStatus[] VALUES = values();

    /** True for {@link #NO_KEY_UPDATE} and {@link #UPDATE}: the member changed the row, it did not only lock it. */
    public boolean isUpdate() {
        return this == NO_KEY_UPDATE || this == UPDATE;
    }

    /**
     * The tuple lock strength ({@code LockTupleMode}) the member holds: 0 key
     * share, 1 share, 2 no-key exclusive, 3 exclusive.
     */
    public int strength() {
        switch (this) {
            case FOR_KEY_SHARE:
                return 0;
            case FOR_SHARE:
                return 1;
            case FOR_NO_KEY_UPDATE:
            case NO_KEY_UPDATE:
                return 2;
            default:
                return 3;
        }
    }

    /**
     * PostgreSQL's row-level lock conflict table: key share conflicts only with
     * exclusive; share with no-key exclusive and exclusive; no-key exclusive
     * with everything but key share; exclusive with everything.
     */
    public boolean conflictsWith(MultiXactStatus other) {
        return strength() + other.strength() >= 3;
    }

    /** The status stored as {@code code} (its ordinal). */
    public static MultiXactStatus of(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("multixact status " + code);
        }
        return VALUES[code];
    }
}
