package modgres.api.access;

/**
 * The heap side of a unique index's check ({@code _bt_check_unique}): for each
 * existing entry with an equal key the B-tree asks whether its heap tuple is
 * alive.
 */
public interface UniqueChecker {

    /** Returned by {@link #check} when the entry's tuple is dead: no conflict. */
    int NO_CONFLICT = 0;

    /**
     * Called with the index page locked. Returns {@link #NO_CONFLICT}; or the
     * id of a running transaction that inserted or deletes the tuple (the
     * B-tree then releases its locks, calls {@link #await} and starts over);
     * or throws the {@code 23505 duplicate key value violates unique
     * constraint} error itself when the tuple is alive.
     */
    int check(long heapTid);

    /** Waits for a transaction found running by {@link #check}. */
    void await(int xid) throws InterruptedException;
}
