package modgres.api.txn;

/** The SQL isolation levels, spelled as {@code SHOW transaction_isolation} prints them. */
public enum IsolationLevel {
    READ_UNCOMMITTED("read uncommitted"),
    READ_COMMITTED("read committed"),
    REPEATABLE_READ("repeatable read"),
    SERIALIZABLE("serializable");

    private final String sqlName;

    IsolationLevel(String sqlName) {
        this.sqlName = sqlName;
    }

    public String sqlName() {
        return sqlName;
    }

    /** True when one snapshot serves the whole transaction (REPEATABLE READ and SERIALIZABLE). */
    public boolean usesTransactionSnapshot() {
        return this == REPEATABLE_READ || this == SERIALIZABLE;
    }

    public static IsolationLevel fromSqlName(String name) {
        for (IsolationLevel l : values()) {
            if (l.sqlName.equalsIgnoreCase(name.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
