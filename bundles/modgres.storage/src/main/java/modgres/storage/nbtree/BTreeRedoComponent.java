package modgres.storage.nbtree;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import modgres.api.page.StorageManager;
import modgres.api.wal.RedoContext;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/**
 * Publishes the replay of resource manager {@code BTREE} (11) as a
 * {@link RedoHandler} for the startup process. References (static,
 * mandatory) the {@link StorageManager}: replaying an index's creation
 * creates its file when it is missing. Record layouts: {@link BtXlog}.
 */
@Component(name = "modgres.storage.nbtree.redo", service = RedoHandler.class, immediate = true)
public final class BTreeRedoComponent implements RedoHandler {
    private final BtRedo redo;

    @Activate
    public BTreeRedoComponent(@Reference(name = "StorageManager") StorageManager smgr) {
        redo = new BtRedo(smgr);
    }

    @Override
    public byte[] resourceManagers() {
        return new byte[] {ResourceManager.BTREE};
    }

    @Override
    public void redo(WalRecord record, RedoContext context) {
        redo.redo(record, context);
    }

    @Override
    public String describe(WalRecord record) {
        return BtXlog.describe(record);
    }
}
