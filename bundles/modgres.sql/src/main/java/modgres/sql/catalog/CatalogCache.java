package modgres.sql.catalog;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Catalog invalidation (PostgreSQL's shared invalidation messages, reduced
 * to a counter): every database has a version that a transaction which
 * changed its catalog bumps when it commits (or aborts, to be safe). A
 * session reloads its {@link CatalogView} when the version moved since it
 * loaded it, or when its own transaction changed the catalog.
 */
public final class CatalogCache {
    private final ConcurrentHashMap<Integer, AtomicLong> versions = new ConcurrentHashMap<>();

    public long version(int database) {
        return versions.computeIfAbsent(database, d -> new AtomicLong()).get();
    }

    public void invalidate(int database) {
        versions.computeIfAbsent(database, d -> new AtomicLong()).incrementAndGet();
        // shared catalogs (pg_database, pg_authid) are seen by every database
        if (database == 0) {
            versions.values().forEach(AtomicLong::incrementAndGet);
        }
    }
}
