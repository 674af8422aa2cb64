package modgres.api.access;

/**
 * A heap tuple as read: its position, its header fields and a copy of its
 * data (nothing here refers to the buffer, so it may be kept after the page
 * is released).
 *
 * @param tid        where it is
 * @param xmin       inserting transaction
 * @param xmax       deleting/updating/locking transaction (0 when none)
 * @param cid        command id of the insert or delete ({@code t_cid}, for the own transaction)
 * @param ctid       the tuple itself, or the newer version after an update
 * @param infomask   {@code t_infomask}
 * @param infomask2  {@code t_infomask2}
 * @param data       the attribute data and null bitmap
 */
public record HeapTuple(long tid, int xmin, int xmax, int cid, long ctid, int infomask, int infomask2,
        TupleData data) {
}
