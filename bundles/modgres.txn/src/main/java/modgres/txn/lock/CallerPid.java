package modgres.txn.lock;

/**
 * Which backend the current thread works for, as far as this bundle has seen:
 * the pid of the last lock, transaction id or commit call the thread made.
 * {@link modgres.api.txn.TransactionManager#waitFor} takes no pid, yet its
 * wait must be attributed to the waiting backend for the deadlock detector
 * and {@code pg_locks}; backends are threads, one per connection, so the
 * thread's last pid is that backend's.
 */
public final class CallerPid {

    private static final ThreadLocal<int[]> PID = ThreadLocal.withInitial(() -> new int[] {0});

    private CallerPid() {
    }

    public static void bind(int pid) {
        PID.get()[0] = pid;
    }

    /**
     * The bound pid, or a stand-in unique to the thread (negative) when none
     * was seen: such a waiter holds no lock, so it can be on no cycle.
     */
    public static int current() {
        int pid = PID.get()[0];
        return pid != 0 ? pid : -(int) (Thread.currentThread().getId() & 0x3FFF_FFFF) - 1;
    }
}
