package modgres.sql.engine;

import java.nio.file.Path;

import modgres.api.access.BTree;
import modgres.api.access.Heap;
import modgres.api.txn.LockManager;
import modgres.api.txn.TransactionManager;
import modgres.api.wal.Wal;
import modgres.sql.catalog.CatalogCache;

/** The storage and transaction services a session with tables needs; all present, or the engine has no tables. */
record DataServices(Heap heap, BTree btree, TransactionManager tm, LockManager lm, Wal wal, CatalogCache cache,
        Path dataDir, java.util.function.Supplier<modgres.api.control.Checkpointer> checkpointer,
        modgres.sql.exec.Sequences sequences,
        java.util.function.Supplier<java.util.List<modgres.api.backend.BackendStatus>> activity,
        java.util.function.Supplier<modgres.api.stats.StatsCollector> statsCollector,
        java.util.function.Supplier<modgres.api.stats.StatsStore> statsStore,
        java.util.function.Supplier<long[]> threadIo,
        java.util.function.Supplier<modgres.api.temp.TempRelationStorage> tempStorage,
        /* the server log (log_temp_files lines); yields null while no Log Service is bound */
        java.util.function.Supplier<org.osgi.service.log.Logger> serverLogger,
        /* ends another backend's session (DROP DATABASE ... WITH (FORCE)); false when there is no such backend */
        java.util.function.LongPredicate terminateBackend) {
}
