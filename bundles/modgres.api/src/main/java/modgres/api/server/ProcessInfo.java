package modgres.api.server;

import java.util.List;

/**
 * One "process" of the server: a component's pid (virtual, except the
 * postmaster's), its PostgreSQL name and the threads that run it.
 *
 * @param pid         process id
 * @param name        as PostgreSQL's {@code ps} display names it (checkpointer, logger, ...)
 * @param bundle      symbolic name of the bundle that implements it
 * @param threads     live threads of the process
 */
public record ProcessInfo(long pid, String name, String bundle, List<Thread> threads) {
    public ProcessInfo {
        threads = List.copyOf(threads);
    }
}
