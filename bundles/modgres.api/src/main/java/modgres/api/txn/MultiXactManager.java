package modgres.api.txn;

import org.osgi.annotation.versioning.ProviderType;

/**
 * MultiXacts ({@code multixact.c}): when several transactions hold a row at
 * once (two FOR SHARE lockers, a FOR KEY SHARE locker and a non-key updater,
 * ...) the tuple's {@code xmax} holds a MultiXactId instead of a transaction
 * id ({@code HEAP_XMAX_IS_MULTI}) and this service tells which transactions
 * it stands for and what each does. A MultiXact never changes once created:
 * adding a member means creating a new one (the heap then stores the new id).
 *
 * <p>Ids count up from 1 (0 is invalid) and are compared modulo 2^32 as
 * transaction ids are. Creation is WAL-logged (resource manager
 * {@code MultiXact}, {@code CREATE_ID}) before the id is returned, so a heap
 * record naming the id always follows the record that defines it; the
 * members are kept in {@code pg_multixact/} and survive restarts and crashes.
 * Whether a member still runs is the transaction manager's question
 * ({@link TransactionManager#isRunning}): a MultiXact records membership, not
 * state.
 */
@ProviderType
public interface MultiXactManager {

    /** The invalid MultiXactId. */
    int INVALID = 0;

    /**
     * Creates a MultiXact of {@code members} (at least one; at most one of them
     * an update, {@link MultiXactStatus#isUpdate}) and returns its id.
     */
    int create(MultiXactMember[] members);

    /**
     * The members of {@code multi}, in the order they were given. An id that
     * was never created (or lies before the oldest one kept) has none: an
     * empty array.
     */
    MultiXactMember[] members(int multi);

    /** The id the next {@link #create} would return. */
    int nextMultiId();
}
