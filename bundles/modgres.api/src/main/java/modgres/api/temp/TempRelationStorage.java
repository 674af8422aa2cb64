package modgres.api.temp;

import java.util.function.IntSupplier;

import modgres.api.buffer.RelFileNode;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where temporary relations live (published by the storage bundle). A
 * backend opens its {@link LocalRelations} when it first needs a temporary
 * relation and closes it at its end. At activation, before any backend
 * exists, the service removes the files of temporary relations a crash left
 * behind ({@code t<backend>_<relfilenode>}, PostgreSQL's RemovePgTempFiles).
 */
@ProviderType
public interface TempRelationStorage {

    /**
     * Opens the local storage of one backend.
     *
     * @param backend     the backend's number: the {@code N} of its {@code pg_temp_N}
     *                    schema and of its files {@code t<N>_<relfilenode>}
     * @param tempBuffers {@code temp_buffers} in pages, read once, when the first
     *                    temporary page is used (the pool's size is fixed from then on)
     */
    LocalRelations open(int backend, IntSupplier tempBuffers);

    /**
     * Removes the files of a temporary relation that belongs to another
     * backend, perhaps one that is gone (DROP of another session's temporary
     * table, clean-up of orphaned temporary schemas). The owner, if alive,
     * must not use the relation any more.
     */
    void unlinkOther(RelFileNode rel);
}
