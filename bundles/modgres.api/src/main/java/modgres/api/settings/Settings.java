package modgres.api.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The server-wide settings, read from built-in defaults, {@code postgresql.conf},
 * {@code postgresql.auto.conf} and the command line ({@code -c name=value}), in
 * that order of precedence. Names are case-insensitive.
 *
 * <p>Typed getters return values in the setting's base unit (so
 * {@code getInt("shared_buffers")} counts 8 kB pages, as PostgreSQL's
 * {@code NBuffers} does). They throw {@link modgres.api.error.PgException}
 * {@code 42704} for an unknown name.
 */
@ProviderType
public interface Settings {

    /** The data directory the settings belong to. */
    Path dataDirectory();

    Optional<Setting> find(String name);

    /** Every known setting, sorted by name. */
    List<Setting> all();

    /** The value as {@code SHOW name} prints it. */
    String show(String name);

    String getString(String name);

    int getInt(String name);

    long getLong(String name);

    double getReal(String name);

    boolean getBool(String name);

    /**
     * Checks a value for a setting without applying it and returns it in
     * canonical form (base unit, {@code on}/{@code off}, lower-case enum label).
     * Throws {@link modgres.api.error.PgException} with PostgreSQL's SQLSTATE
     * and message ({@code 22023 invalid value for parameter ...}).
     */
    String validate(String name, String value);

    /**
     * Re-reads the configuration files and applies changed {@code sighup} (and
     * looser) settings, as a SIGHUP does in PostgreSQL; logs each change and
     * each refused {@code postmaster} change. Listeners are told of the changes.
     */
    ReloadResult reload();

    /**
     * Writes (or with a null value removes) a setting in
     * {@code postgresql.auto.conf}, as {@code ALTER SYSTEM} does. Takes effect on
     * the next reload (or restart for {@code postmaster} settings).
     */
    void alterSystem(String name, String value);
}
