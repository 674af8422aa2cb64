package modgres.storage.local;

import java.nio.file.Path;
import java.util.function.IntSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.RelFileNode;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.page.StorageManager;
import modgres.api.server.ProcessIds;
import modgres.api.settings.Settings;
import modgres.api.temp.LocalRelations;
import modgres.api.temp.TempRelationStorage;
import modgres.api.txn.TransactionManager;
import modgres.storage.smgr.MdStorage;

/**
 * Publishes {@link TempRelationStorage}: opens each backend's
 * {@link BackendLocalRelations}. At activation (server start, before any
 * backend) it removes the temporary relation files a crash left behind, as
 * PostgreSQL's postmaster does at start-up. References (static, mandatory):
 * {@link Settings} (data directory, {@code data_checksums}), the
 * {@link StorageManager} (to unlink other backends' relations), the
 * {@link TransactionManager} (visibility), the shared {@link BufferPool}
 * (only for the calling thread's I/O counters, which pg_statio_* reads).
 */
@Component(name = "modgres.storage.local", service = TempRelationStorage.class, immediate = true)
public final class TempRelationStorageComponent implements TempRelationStorage {
    private final Path dataDir;
    private final boolean checksums;
    private final StorageManager smgr;
    private final TransactionManager tm;
    private final BufferPool shared;
    private final ServerLog log;

    @Activate
    public TempRelationStorageComponent(@Reference(name = "Settings") Settings settings,
            @Reference(name = "StorageManager") StorageManager smgr,
            @Reference(name = "TransactionManager") TransactionManager tm,
            @Reference(name = "BufferPool") BufferPool shared,
            @Reference(name = "LoggerFactory") org.osgi.service.log.LoggerFactory loggers) {
        this(settings.dataDirectory(), settings.getBool("data_checksums"), smgr, tm, shared,
                ServerLog.of(loggers.getLogger(TempRelationStorageComponent.class),
                        LogContext.process(ProcessIds.postmaster(), "postmaster")));
    }

    /** Without OSGi (tests). Removes leftover temporary relation files at once. */
    public TempRelationStorageComponent(Path dataDir, boolean checksums, StorageManager smgr, TransactionManager tm,
            BufferPool shared, ServerLog log) {
        this.dataDir = dataDir;
        this.checksums = checksums;
        this.smgr = smgr;
        this.tm = tm;
        this.shared = shared;
        this.log = log;
        MdStorage.removeTempRelationFiles(dataDir, RelFileNode.INVALID_BACKEND, log);
    }

    @Override
    public LocalRelations open(int backend, IntSupplier tempBuffers) {
        if (backend == RelFileNode.INVALID_BACKEND) {
            throw new IllegalArgumentException("backend " + backend);
        }
        return new BackendLocalRelations(dataDir, backend, tempBuffers, checksums, tm,
                shared == null ? null : shared::threadIoCounters, log);
    }

    @Override
    public void unlinkOther(RelFileNode rel) {
        if (!rel.isTemp()) {
            throw new IllegalArgumentException("not a temporary relation: " + rel);
        }
        smgr.unlinkRelation(rel);
    }
}
