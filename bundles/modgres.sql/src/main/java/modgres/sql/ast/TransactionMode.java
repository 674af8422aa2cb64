package modgres.sql.ast;

/** A transaction characteristic of BEGIN, START TRANSACTION and SET TRANSACTION. */
public record TransactionMode(Kind kind, IsolationLevel level) {

    public enum Kind { ISOLATION_LEVEL, READ_ONLY, READ_WRITE, DEFERRABLE, NOT_DEFERRABLE }

    public enum IsolationLevel {
        SERIALIZABLE("SERIALIZABLE", "serializable"), REPEATABLE_READ("REPEATABLE READ", "repeatable read"),
        READ_COMMITTED("READ COMMITTED", "read committed"),
        READ_UNCOMMITTED("READ UNCOMMITTED", "read uncommitted");

        public final String sql;
        /** The value of the transaction_isolation setting. */
        public final String setting;

        IsolationLevel(String sql, String setting) {
            this.sql = sql;
            this.setting = setting;
        }
    }

    public static TransactionMode of(Kind kind) {
        return new TransactionMode(kind, null);
    }
}
