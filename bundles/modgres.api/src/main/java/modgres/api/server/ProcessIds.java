package modgres.api.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Allocates the virtual process ids of components and backends. They start
 * just above the JVM's own pid (the postmaster's) so that log lines read like
 * PostgreSQL's. Lives in the never-swapped API bundle so that ids stay unique
 * across bundle updates.
 */
public final class ProcessIds {
    private static final long POSTMASTER = ProcessHandle.current().pid();
    private static final AtomicLong NEXT = new AtomicLong(POSTMASTER + 1);

    private ProcessIds() {
    }

    /** The postmaster's pid, the JVM's. */
    public static long postmaster() {
        return POSTMASTER;
    }

    public static long next() {
        return NEXT.getAndIncrement();
    }
}
