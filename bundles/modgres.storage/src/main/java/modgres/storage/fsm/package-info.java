/**
 * The free space map: {@link modgres.storage.fsm.FreeSpaceTree} keeps, per
 * relation, a three-level tree of max-heap pages of one-byte free space
 * categories in the {@code _fsm} fork (PostgreSQL 15's format), its pages in
 * the shared buffer pool; {@link modgres.storage.fsm.FreeSpaceMapComponent}
 * publishes it as {@link modgres.api.page.FreeSpaceMap}. The design is in the
 * bundle's README.md. Nothing here is exported.
 */
package modgres.storage.fsm;
