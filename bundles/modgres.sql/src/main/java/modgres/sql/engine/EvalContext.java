package modgres.sql.engine;

import java.time.Instant;
import java.time.ZoneId;

/** What expressions may ask of the session while they run. */
interface EvalContext {
    /** Parameter {@code index} (0-based), already converted to its type; null for NULL. */
    Object param(int index);

    String currentUser();

    String sessionUser();

    String database();

    /** current_setting(name[, missing_ok]): null when missing and allowed. */
    String setting(String name, boolean missingOk);

    /** set_config(name, value, is_local): the new value as SHOW prints it. */
    String setConfig(String name, String value, boolean local);

    long pid();

    /** pg_reload_conf(): signals the postmaster to reload; false when it could not (as PostgreSQL's WARNING case). */
    boolean reloadConf();

    /**
     * The WAL for pg_current_wal_lsn() and friends; throws 55000 when no WAL
     * service is active. {@code forWrite} asks for a superuser (pg_switch_wal).
     */
    modgres.api.wal.Wal wal(String function, boolean superuserOnly);

    /**
     * pg_sleep: sleeps {@code seconds} in small steps, stopping with 57014
     * when the statement is cancelled or times out (statement_timeout).
     */
    void sleep(double seconds);

    /** The transaction's start (now(), current_timestamp). */
    Instant transactionStart();

    ZoneId zone();
}
