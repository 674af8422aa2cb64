package modgres.api.txn;

/**
 * PostgreSQL's eight table-level lock modes ({@code lockdefs.h}), in strength
 * order, with the conflict table of the documentation's "Conflicting Lock
 * Modes". The names are those {@code pg_locks.mode} shows.
 */
public enum LockMode {
    ACCESS_SHARE("AccessShareLock"),
    ROW_SHARE("RowShareLock"),
    ROW_EXCLUSIVE("RowExclusiveLock"),
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock"),
    SHARE("ShareLock"),
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock"),
    EXCLUSIVE("ExclusiveLock"),
    ACCESS_EXCLUSIVE("AccessExclusiveLock");

    private static final int[] CONFLICTS = new int[8];

    static {
        // bit i set: conflicts with the mode of ordinal i
        int as = 1 << 0, rs = 1 << 1, re = 1 << 2, sue = 1 << 3, s = 1 << 4, sre = 1 << 5, e = 1 << 6, ae = 1 << 7;
        CONFLICTS[0] = ae;
        CONFLICTS[1] = e | ae;
        CONFLICTS[2] = s | sre | e | ae;
        CONFLICTS[3] = sue | s | sre | e | ae;
        CONFLICTS[4] = re | sue | sre | e | ae;
        CONFLICTS[5] = re | sue | s | sre | e | ae;
        CONFLICTS[6] = rs | re | sue | s | sre | e | ae;
        CONFLICTS[7] = as | rs | re | sue | s | sre | e | ae;
    }

    private final String pgName;

    LockMode(String pgName) {
        this.pgName = pgName;
    }

    public String pgName() {
        return pgName;
    }

    public boolean conflictsWith(LockMode other) {
        return (CONFLICTS[ordinal()] & (1 << other.ordinal())) != 0;
    }

    /** The mode as the SQL of {@code LOCK TABLE ... IN ... MODE} spells it ("ACCESS EXCLUSIVE"). */
    public String sqlName() {
        return name().replace('_', ' ');
    }
}
