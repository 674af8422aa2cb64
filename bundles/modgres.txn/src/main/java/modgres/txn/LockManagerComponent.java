package modgres.txn;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import modgres.api.settings.Settings;
import modgres.api.txn.LockInfo;
import modgres.api.txn.LockManager;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;
import modgres.txn.lock.LockTable;

/**
 * Publishes the heavyweight lock table ({@link LockTable}) as
 * {@link LockManager}. {@code deadlock_timeout} is read from the settings at
 * the start of each wait when a {@link Settings} service is there (optional,
 * dynamic, greedy), else 1 s. Immediate: held locks must outlive consumers.
 * Deactivation ends every wait with {@link InterruptedException}.
 */
@Component(name = "modgres.txn.lock", immediate = true, service = LockManager.class)
public final class LockManagerComponent implements LockManager {

    static final int DEFAULT_DEADLOCK_TIMEOUT_MS = 1000;

    @Reference(name = "Settings", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Settings settings;

    private final LockTable table = new LockTable(this::deadlockTimeoutMillis);

    int deadlockTimeoutMillis() {
        Settings s = settings;
        if (s == null) {
            return DEFAULT_DEADLOCK_TIMEOUT_MS;
        }
        try {
            return s.getInt("deadlock_timeout");
        } catch (RuntimeException e) {
            return DEFAULT_DEADLOCK_TIMEOUT_MS; // unknown setting (an older settings bundle)
        }
    }

    @Deactivate
    void deactivate() {
        table.close();
    }

    @Override
    public void lock(int pid, LockTag tag, LockMode mode, long timeoutMillis) throws InterruptedException {
        table.lock(pid, tag, mode, timeoutMillis);
    }

    @Override
    public boolean tryLock(int pid, LockTag tag, LockMode mode) {
        return table.tryLock(pid, tag, mode);
    }

    @Override
    public boolean unlock(int pid, LockTag tag, LockMode mode) {
        return table.unlock(pid, tag, mode);
    }

    @Override
    public void releaseAll(int pid) {
        table.releaseAll(pid);
    }

    @Override
    public boolean holds(int pid, LockTag tag, LockMode mode) {
        return table.holds(pid, tag, mode);
    }

    @Override
    public List<LockInfo> locks() {
        return table.locks();
    }

    @Override
    public int[] blockingPids(int pid) {
        return table.blockingPids(pid);
    }
}
