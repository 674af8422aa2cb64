/**
 * Temporary relations (PostgreSQL's local buffers): each backend's own
 * {@link modgres.storage.local.LocalBufferPool} of {@code temp_buffers}
 * pages, the heap, B-tree and free space map built over it with a WAL that
 * logs nothing, and files {@code t<backend>_<relfilenode>}; published as
 * {@link modgres.api.temp.TempRelationStorage}.
 */
package modgres.storage.local;
