package modgres.sql.exec;

/**
 * What a SERIALIZABLE transaction's executor reports to serializable
 * snapshot isolation below the statement level (see SerializableConflicts):
 * point reads by an index key and the index keys of the rows it writes, so
 * that two transactions touching different rows of one table do not count
 * as dependent. Null in {@link ExecState#ssi} for the other isolation levels.
 */
public interface PredicateLocks {
    /** A read that is not a point look-up (a range of an index, say): the whole relation counts as read. */
    void readRelation(int relation);

    /** A look-up of every column of index {@code index} of {@code relation} equal to {@code key}. */
    void readKey(int relation, int index, byte[] key);

    /** The executor writes rows of {@code relation} and reports each one's keys through {@link #writeKey}. */
    void writeRelation(int relation);

    /** A written row (new or old version) has {@code key} in index {@code index} of {@code relation}. */
    void writeKey(int relation, int index, byte[] key);
}
