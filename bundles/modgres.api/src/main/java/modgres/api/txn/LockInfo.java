package modgres.api.txn;

/**
 * One row of {@code pg_locks}: a lock held or awaited by a backend.
 *
 * @param tag     what is locked
 * @param mode    the mode held or awaited
 * @param pid     the backend's (virtual) process id
 * @param granted true when held, false while waiting
 * @param waitStartMillis when the wait began (epoch millis), 0 when granted
 */
public record LockInfo(LockTag tag, LockMode mode, int pid, boolean granted, long waitStartMillis) {
}
