/**
 * The heap access method: {@link modgres.storage.heap.HeapComponent} publishes
 * {@link modgres.api.access.Heap} (tables as slotted pages of MVCC tuples in
 * the shared buffers, every change WAL-logged) and
 * {@link modgres.storage.heap.HeapRedoComponent} the
 * {@link modgres.api.wal.RedoHandler} of the HEAP, HEAP2 and SMGR records. The
 * design (page and tuple layout, records, visibility, what is simplified) is
 * in README.md beside this file. Nothing here is exported.
 */
package modgres.storage.heap;
