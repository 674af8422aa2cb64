/**
 * Access methods: the {@link modgres.api.access.Heap} (tables) and the
 * {@link modgres.api.access.BTree} (indexes), and the value types they
 * exchange with their callers ({@link modgres.api.access.Tid},
 * {@link modgres.api.access.TupleData}, {@link modgres.api.access.HeapTuple}).
 * Both keep their pages in the shared buffers and WAL-log every change.
 */
@Export
@Version("1.4.0")
package modgres.api.access;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
