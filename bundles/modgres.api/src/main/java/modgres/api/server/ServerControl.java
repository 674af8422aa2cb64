package modgres.api.server;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The postmaster, as seen by the console and the other components. */
@ProviderType
public interface ServerControl {

    ServerState state();

    /** The postmaster's pid: the JVM's process id (line 1 of {@code postmaster.pid}). */
    long pid();

    Instant startTime();

    Path dataDirectory();

    int port();

    /** e.g. {@code 15.0 (Modgres 0.1.0)}; {@code server_version} is the part before the blank. */
    String version();

    /** The postmaster itself (first), then the processes it watches: background components and backends. */
    List<ProcessInfo> processes();

    /** Re-reads the configuration files, as SIGHUP does. */
    void reload();

    /** Starts a shutdown in the given mode and returns; the server stops in the background. */
    void shutdown(ShutdownMode mode);

    /** The status of every backend (the rows of {@code pg_stat_activity}), in start order. */
    default List<modgres.api.backend.BackendStatus> backendStatuses() {
        return List.of();
    }

    /**
     * Asks the backend with this (virtual) pid to end its session as SIGTERM
     * does (FATAL {@code 57P01 terminating connection due to administrator
     * command}); returns at once. False when no such backend runs (since 1.3).
     */
    default boolean terminateBackend(long pid) {
        return false;
    }
}
