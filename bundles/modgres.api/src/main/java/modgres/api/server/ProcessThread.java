package modgres.api.server;

import java.util.List;

/**
 * The one thread of a process-like component (background writer, WAL
 * writer, checkpointer, ...), named as PostgreSQL names the process, with
 * the life cycle {@link ServerProcess} asks for: {@link #start} is a no-op
 * while the thread runs, {@link #stop} asks the body to end and waits, and
 * {@link #isAlive} is false only when a started thread died on its own
 * (the postmaster then restarts the process).
 */
public final class ProcessThread {
    private final String name;
    private Thread thread;

    public ProcessThread(String name) {
        this.name = name;
    }

    /** Starts {@code body} on a new daemon thread unless one is running; returns whether it started one. */
    public synchronized boolean start(Runnable body) {
        if (thread != null && thread.isAlive()) {
            return false;
        }
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        thread = t;
        t.start();
        return true;
    }

    /**
     * Runs {@code stopRequest} (which must make the body return), then waits
     * up to {@code waitMillis} for the thread. Returns false when it is still
     * running after that.
     */
    public synchronized boolean stop(Runnable stopRequest, long waitMillis) {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        stopRequest.run();
        try {
            t.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        return !t.isAlive();
    }

    /** The live thread, for the process tree. */
    public synchronized List<Thread> threads() {
        return thread == null ? List.of() : List.of(thread);
    }

    /** False only when the thread was started and has died without {@link #stop}. */
    public synchronized boolean isAlive() {
        return thread == null || thread.isAlive();
    }
}
