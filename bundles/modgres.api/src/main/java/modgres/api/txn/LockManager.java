package modgres.api.txn;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The heavyweight lock manager ({@code lock.c}, {@code lmgr.c},
 * {@code deadlock.c}): locks on relations, transaction ids, tuples and
 * objects in the eight {@link LockMode}s, held by a backend until it releases
 * them (normally all at once at transaction end, {@link #releaseAll}).
 *
 * <p>A backend holding a lock may take it again (counted; each needs a
 * release). Requests wait in FIFO order behind conflicting holders and
 * earlier conflicting waiters. A wait longer than {@code deadlock_timeout}
 * runs the deadlock check: if this wait closes a cycle of waits, this request
 * fails with {@code 40P01 deadlock detected}, its detail naming each process
 * of the cycle as PostgreSQL's does ("Process 12 waits for ShareLock on
 * transaction 745; blocked by process 13."). A wait longer than
 * {@code timeoutMillis} ({@code lock_timeout}, 0 = forever) fails with
 * {@code 55P03 canceling statement due to lock timeout}. An interrupt of the
 * waiting thread (query cancel) ends the wait with {@link InterruptedException}.
 * Waits on a transaction id are how row-level conflicts wait: each
 * transaction holds {@link LockMode#EXCLUSIVE} on its own id while it runs
 * ({@link TransactionManager} takes and releases it).
 */
@ProviderType
public interface LockManager {

    /** Takes the lock, waiting as described above. */
    void lock(int pid, LockTag tag, LockMode mode, long timeoutMillis) throws InterruptedException;

    /** Takes the lock only if that needs no wait ({@code NOWAIT}, {@code SKIP LOCKED}); false otherwise. */
    boolean tryLock(int pid, LockTag tag, LockMode mode);

    /** Releases one hold of the lock; false when {@code pid} did not hold it. */
    boolean unlock(int pid, LockTag tag, LockMode mode);

    /** Releases every lock {@code pid} holds (and abandons its wait, if any): transaction end or exit. */
    void releaseAll(int pid);

    /** True when {@code pid} holds {@code tag} in {@code mode} or a stronger mode that conflicts with at least as much. */
    boolean holds(int pid, LockTag tag, LockMode mode);

    /** Every lock held or awaited, for {@code pg_locks}. */
    List<LockInfo> locks();

    /** The pids whose locks (held, or awaited ahead in the queue) {@code pid} is waiting for ({@code pg_blocking_pids}). */
    int[] blockingPids(int pid);
}
