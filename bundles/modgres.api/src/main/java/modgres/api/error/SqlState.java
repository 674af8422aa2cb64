package modgres.api.error;

/** SQLSTATE codes used across components (PostgreSQL's errcodes.txt names). */
public final class SqlState {
    public static final String SUCCESSFUL_COMPLETION = "00000";
    public static final String WARNING = "01000";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String INVALID_PARAMETER_VALUE = "22023";
    public static final String CANT_CHANGE_RUNTIME_PARAM = "55P02";
    public static final String UNDEFINED_OBJECT = "42704";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String CONFIG_FILE_ERROR = "F0000";
    public static final String LOCK_FILE_EXISTS = "F0001";
    public static final String ADMIN_SHUTDOWN = "57P01";
    public static final String CRASH_SHUTDOWN = "57P02";
    public static final String CANNOT_CONNECT_NOW = "57P03";
    public static final String QUERY_CANCELED = "57014";
    public static final String TOO_MANY_CONNECTIONS = "53300";
    public static final String IO_ERROR = "58030";
    public static final String INTERNAL_ERROR = "XX000";
    public static final String DATA_CORRUPTED = "XX001";

    private SqlState() {
    }
}
