package modgres.storage.fsm;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LoggerFactory;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.RelFileNode;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.page.FreeSpaceMap;
import modgres.api.page.StorageManager;
import modgres.api.server.ProcessIds;

/**
 * Publishes the free space map as {@link FreeSpaceMap}. References (static,
 * mandatory): the {@link BufferPool}, which holds the map's pages (it exists
 * once this bundle's storage manager is registered as its page store), the
 * {@link StorageManager} (to create, measure and truncate the {@code _fsm}
 * forks) and the Log Service. Calls are delegated to a {@link FreeSpaceTree}.
 */
@Component(name = "modgres.storage.fsm", service = FreeSpaceMap.class, immediate = true)
public final class FreeSpaceMapComponent implements FreeSpaceMap {
    private final FreeSpaceTree tree;

    @Activate
    public FreeSpaceMapComponent(@Reference(name = "BufferPool") BufferPool pool,
            @Reference(name = "StorageManager") StorageManager smgr,
            @Reference(name = "LoggerFactory") LoggerFactory loggers) {
        ServerLog log = ServerLog.of(loggers.getLogger(FreeSpaceMapComponent.class),
                LogContext.process(ProcessIds.postmaster(), "postmaster"));
        tree = new FreeSpaceTree(pool, smgr, log);
    }

    @Override
    public void recordFreeSpace(RelFileNode rel, int block, int freeBytes) {
        tree.recordFreeSpace(rel, block, freeBytes);
    }

    @Override
    public int findPage(RelFileNode rel, int neededBytes) {
        return tree.findPage(rel, neededBytes);
    }

    @Override
    public int recordAndFindPage(RelFileNode rel, int oldBlock, int oldFreeBytes, int neededBytes) {
        return tree.recordAndFindPage(rel, oldBlock, oldFreeBytes, neededBytes);
    }

    @Override
    public int recordedFreeSpace(RelFileNode rel, int block) {
        return tree.recordedFreeSpace(rel, block);
    }

    @Override
    public void truncate(RelFileNode rel, int nblocks) {
        tree.truncate(rel, nblocks);
    }

    @Override
    public void vacuum(RelFileNode rel) {
        tree.vacuum(rel);
    }
}
