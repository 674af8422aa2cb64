package modgres.storage.smgr;

import java.nio.ByteBuffer;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.PageStore;
import modgres.api.buffer.RelFileNode;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.page.StorageManager;
import modgres.api.server.ProcessIds;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;

/**
 * Publishes the storage manager over the data directory as
 * {@link StorageManager} and {@link PageStore} (one object: the buffer pool
 * binds the latter and becomes available once this is active).
 *
 * <p>Settings read at activation: the data directory,
 * {@code max_files_per_process} (open segment files at most, server-wide),
 * {@code data_checksums}; and, again after each reload that changes them
 * (this is also a {@link SettingsListener}), {@code ignore_checksum_failure}
 * and {@code zero_damaged_pages}. Calls are delegated to an {@link MdStorage}.
 */
@Component(name = "modgres.storage.smgr", service = {StorageManager.class, PageStore.class,
        SettingsListener.class}, immediate = true)
public final class StorageManagerComponent implements StorageManager, SettingsListener {
    static final String IGNORE_CHECKSUM_FAILURE = "ignore_checksum_failure";
    static final String ZERO_DAMAGED_PAGES = "zero_damaged_pages";

    private final Settings settings;
    private final MdStorage store;

    @Activate
    public StorageManagerComponent(@Reference(name = "Settings") Settings settings,
            @Reference(name = "LoggerFactory") LoggerFactory loggers) {
        this.settings = settings;
        Logger logger = loggers.getLogger(StorageManagerComponent.class);
        ServerLog log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "postmaster"));
        store = new MdStorage(settings.dataDirectory(), SEGMENT_BLOCKS, settings.getInt("max_files_per_process"),
                settings.getBool("data_checksums"), log);
        applyReloadable();
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    @Override
    public void settingsChanged(Set<String> names) {
        if (names.contains(IGNORE_CHECKSUM_FAILURE) || names.contains(ZERO_DAMAGED_PAGES)) {
            applyReloadable();
        }
    }

    private void applyReloadable() {
        store.setIgnoreChecksumFailure(settings.getBool(IGNORE_CHECKSUM_FAILURE));
        store.setZeroDamagedPages(settings.getBool(ZERO_DAMAGED_PAGES));
    }

    /** The store this component delegates to. */
    MdStorage store() {
        return store;
    }

    @Override
    public int nblocks(RelFileNode rel, ForkNumber fork) {
        return store.nblocks(rel, fork);
    }

    @Override
    public void read(BufferTag tag, ByteBuffer page) {
        store.read(tag, page);
    }

    @Override
    public void write(BufferTag tag, ByteBuffer page) {
        store.write(tag, page);
    }

    @Override
    public void extend(BufferTag tag, ByteBuffer page) {
        store.extend(tag, page);
    }

    @Override
    public void fsync(RelFileNode rel, ForkNumber fork) {
        store.fsync(rel, fork);
    }

    @Override
    public boolean exists(RelFileNode rel, ForkNumber fork) {
        return store.exists(rel, fork);
    }

    @Override
    public void create(RelFileNode rel, ForkNumber fork, boolean isRedo) {
        store.create(rel, fork, isRedo);
    }

    @Override
    public void unlink(RelFileNode rel, ForkNumber fork) {
        store.unlink(rel, fork);
    }

    @Override
    public void truncate(RelFileNode rel, ForkNumber fork, int nblocks) {
        store.truncate(rel, fork, nblocks);
    }

    @Override
    public String relpath(RelFileNode rel, ForkNumber fork) {
        return store.relpath(rel, fork);
    }

    @Override
    public void setInRecovery(boolean inRecovery) {
        store.setInRecovery(inRecovery);
    }

    @Override
    public long checksumFailures(int database) {
        return store.checksumFailures(database);
    }
}
