package modgres.backend;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.service.log.Logger;

import modgres.api.settings.Settings;
import modgres.api.sql.SqlEngine;
import modgres.backend.auth.HbaFile;

/** What every backend shares, provided by the component. */
interface Environment {
    Settings settings();

    Logger logger();

    /** The SQL engine now, or null while there is none. */
    SqlEngine engine();

    /** The pg_hba.conf in force. */
    HbaFile hba();

    /** A role as authentication sees it: the engine's, or the bootstrap file's while there is no engine. */
    Optional<SqlEngine.Role> role(String name);

    /** Timeouts (authentication_timeout, the hard close after terminate). */
    ScheduledExecutorService timer();

    SecureRandom random();

    /** Server-wide secret for the salts of doomed SCRAM exchanges. */
    byte[] mockSecret();

    /** A backend thread ends. */
    void ended(Backend backend);
}
