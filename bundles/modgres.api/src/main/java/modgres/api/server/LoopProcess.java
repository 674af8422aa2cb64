package modgres.api.server;

import java.util.List;

/**
 * The shell of a process whose work is one loop on one thread (background
 * writer, WAL writer, checkpointer, archiver, ...): name, pid, and the
 * {@link ServerProcess} life cycle over a {@link ProcessThread}. A subclass
 * supplies the loop ({@link #body()}) and how to make it run again
 * ({@link #prepareStart()}) and stop ({@link #requestStop}).
 */
public abstract class LoopProcess implements ServerProcess {
    private final String name;
    private final long pid = ProcessIds.next();
    private final ProcessThread thread;
    private final long stopWaitMillis;

    /**
     * @param name           the process's (and its thread's) name, as PostgreSQL names it
     * @param stopWaitMillis how long {@link #stop} waits for the loop to end
     */
    protected LoopProcess(String name, long stopWaitMillis) {
        this.name = name;
        this.thread = new ProcessThread(name);
        this.stopWaitMillis = stopWaitMillis;
    }

    /** The loop the thread runs; it returns after {@link #requestStop}. */
    protected abstract Runnable body();

    /** Makes a stopped loop runnable again (before every start). */
    protected abstract void prepareStart();

    /** Asks the loop to end, doing what the shutdown mode asks of this process on the way. */
    protected abstract void requestStop(ShutdownMode mode);

    /** Called when the loop did not end within the wait; by default nothing. */
    protected void stopTimedOut() {
    }

    @Override
    public final String processName() {
        return name;
    }

    @Override
    public final long pid() {
        return pid;
    }

    @Override
    public void start() {
        prepareStart();
        thread.start(body());
    }

    @Override
    public void stop(ShutdownMode mode) {
        if (!thread.stop(() -> requestStop(mode), stopWaitMillis)) {
            stopTimedOut();
        }
    }

    @Override
    public final List<Thread> threads() {
        return thread.threads();
    }

    @Override
    public final boolean isAlive() {
        return thread.isAlive();
    }
}
