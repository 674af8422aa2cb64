package modgres.api.sql;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The SQL engine: opens sessions and answers what authentication needs to know. */
@ProviderType
public interface SqlEngine {

    /**
     * Opens a session for an authenticated user. Fails with PostgreSQL's
     * FATALs: {@code 3D000 database "x" does not exist}, {@code 28000 role "x"
     * does not exist}, {@code 28000 role "x" is not permitted to log in}, and
     * {@code 22023}/{@code 42704} for bad startup settings.
     */
    SqlSession open(SessionInfo info);

    /** A role as authentication sees it, or empty when there is no such role. */
    Optional<Role> role(String name);

    /**
     * @param name             role name
     * @param superuser        rolsuper
     * @param canLogin         rolcanlogin
     * @param passwordVerifier rolpassword: {@code SCRAM-SHA-256$...}, {@code md5...}, or null
     */
    record Role(String name, boolean superuser, boolean canLogin, String passwordVerifier) {
    }
}
