package modgres.api.access;

/** What a row-level conflict does ({@code LockWaitPolicy}). */
public enum WaitPolicy {
    /** Wait for the other transaction to end (subject to {@code lock_timeout}). */
    BLOCK,
    /** {@code SKIP LOCKED}: return {@link TmResult.Status#WOULD_BLOCK} at once. */
    SKIP,
    /** {@code NOWAIT}: fail with {@code 55P03 could not obtain lock on row in relation "…"}. */
    ERROR
}
