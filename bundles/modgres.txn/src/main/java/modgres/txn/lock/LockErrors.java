package modgres.txn.lock;

import modgres.api.error.PgException;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;

/** The lock manager's errors, with PostgreSQL's SQLSTATEs and texts, and its way of naming a lock. */
public final class LockErrors {

    /** {@code ERRCODE_LOCK_NOT_AVAILABLE}. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** {@code ERRCODE_T_R_DEADLOCK_DETECTED}. */
    public static final String DEADLOCK_DETECTED = "40P01";

    private LockErrors() {
    }

    public static PgException lockTimeout() {
        return new PgException(LOCK_NOT_AVAILABLE, "canceling statement due to lock timeout");
    }

    public static PgException deadlock(String detail) {
        return new PgException(DEADLOCK_DETECTED, "deadlock detected", detail, "See server log for query details.");
    }

    /** One line of a deadlock report ({@code DeadLockReport}). */
    public static String waitLine(int pid, LockMode mode, LockTag tag, int blockedBy) {
        return "Process " + pid + " waits for " + mode.pgName() + " on " + describe(tag) + "; blocked by process "
                + blockedBy + ".";
    }

    /** PostgreSQL's {@code DescribeLockTag}: "relation 16384 of database 5", "transaction 745", … */
    public static String describe(LockTag t) {
        String db = Integer.toUnsignedString(t.database());
        String id1 = Integer.toUnsignedString(t.id1());
        String id2 = Integer.toUnsignedString(t.id2());
        String id3 = Integer.toUnsignedString(t.id3());
        return switch (t.type()) {
            case "relation" -> "relation " + id1 + " of database " + db;
            case "extend" -> "extension of relation " + id1 + " of database " + db;
            case "page" -> "page " + id2 + " of relation " + id1 + " of database " + db;
            case "tuple" -> "tuple (" + id2 + "," + id3 + ") of relation " + id1 + " of database " + db;
            case "transactionid" -> "transaction " + id1;
            case "virtualxid" -> "virtual transaction " + t.id1() + "/" + id2;
            case "object" -> "object " + id2 + " of class " + id1 + " of database " + db;
            case "advisory" -> "advisory lock [" + db + "," + id1 + "," + id2 + "," + id3 + "]";
            default -> "unrecognized locktag type " + t.type();
        };
    }
}
