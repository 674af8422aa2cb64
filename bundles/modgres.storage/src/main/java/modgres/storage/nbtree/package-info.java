/**
 * The B-tree access method ({@code nbtree}): Lehman and Yao trees with high
 * keys and right links in PostgreSQL 15's page layout, kept in the shared
 * buffers and WAL-logged as resource manager {@code BTREE}.
 * {@link modgres.storage.nbtree.NbTree} does the work as a plain class;
 * {@link modgres.storage.nbtree.BTreeComponent} publishes it as
 * {@link modgres.api.access.BTree} and
 * {@link modgres.storage.nbtree.BTreeRedoComponent} replays its records as a
 * {@link modgres.api.wal.RedoHandler}. The design is in README.md beside
 * these files. Nothing here is exported.
 */
package modgres.storage.nbtree;
