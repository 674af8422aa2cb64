package modgres.api.sql;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One client session: its settings, transaction state, prepared statements
 * and portals. Used by one backend thread, except {@link #cancel()}, which
 * any thread may call. Failures are {@link modgres.api.error.PgException}s
 * with PostgreSQL's SQLSTATE, message and position.
 */
@ProviderType
public interface SqlSession extends AutoCloseable {

    /**
     * Simple Query: runs every statement of {@code query} in order, each
     * statement's results sent to {@code sink}; several statements run in
     * one implicit transaction as PostgreSQL does. Stops at the first error
     * (thrown after the earlier statements' results were sent).
     */
    void simpleQuery(String query, ResultSink sink);

    /** Parse: prepares {@code query} as statement {@code name} ("" = unnamed). 0 in parameterTypes = infer. */
    StatementDescription parse(String name, String query, int[] parameterTypes);

    /**
     * Bind: makes portal {@code portal} ("" = unnamed) from statement
     * {@code statement} with parameter values in their formats (0 text,
     * 1 binary; one format for all or one per parameter) and result formats.
     */
    void bind(String portal, String statement, byte[][] parameters, short[] parameterFormats, short[] resultFormats);

    StatementDescription describeStatement(String name);

    /** The portal's result columns in their result formats, or null for NoData. */
    List<ColumnDescriptor> describePortal(String portal);

    /** Execute: runs the portal for at most {@code maxRows} rows (0 = all). */
    ExecuteResult execute(String portal, int maxRows, ResultSink sink);

    void closeStatement(String name);

    void closePortal(String portal);

    /** Sync: ends the extended-query cycle (commits an implicit transaction; after an error, aborts it). */
    void sync();

    /** ReadyForQuery's status: {@code 'I'} idle, {@code 'T'} in a transaction, {@code 'E'} in a failed one. */
    char transactionStatus();

    /** The reported settings (ParameterStatus at start-up): server_version, client_encoding, DateStyle, ... */
    Map<String, String> reportedParameters();

    /** Reported settings whose value changed since the last call (ParameterStatus after a statement). */
    Map<String, String> takeChangedParameters();

    /**
     * The session's current value of setting {@code name} (its SET, SET LOCAL
     * or startup value, else the server's), raw: in the setting's base unit
     * without a unit suffix (e.g. {@code "0"} or {@code "200"} for the
     * millisecond timeouts, where SHOW and current_setting print {@code 200ms});
     * null when the setting is unknown. The backend reads
     * idle_in_transaction_session_timeout and idle_session_timeout with it.
     *
     * @since 1.1
     */
    String setting(String name);

    /**
     * The session's accounted memory (executor structures, local buffers, temporary files), for the console;
     * any thread may call it and may see slightly stale figures. Null when the implementation keeps no account.
     *
     * @since 1.2
     */
    default modgres.api.backend.BackendMemory memory() {
        return null;
    }

    /** Asks the running statement to stop with {@code 57014 canceling statement due to user request}. */
    void cancel();

    /** Ends the session, aborting an open transaction. */
    @Override
    void close();

    /** Whether Execute finished the portal or stopped at the row limit (PortalSuspended). */
    enum ExecuteResult {
        COMPLETED, SUSPENDED
    }
}
