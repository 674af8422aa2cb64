package modgres.postmaster.startup;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import modgres.api.txn.TransactionManager;
import modgres.api.wal.RedoContext;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.WalRecord;

/**
 * Publishes the XLOG resource manager's {@link XlogRedo} as a
 * {@link RedoHandler} service, so that whoever describes records (the
 * console's {@code modgres:waldump}) finds XLOG beside the others. The
 * startup process does not use this service: it has its own instance.
 */
@Component(name = "modgres.redo.xlog", service = RedoHandler.class)
public final class XlogRedoComponent implements RedoHandler {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TransactionManager txn;

    private final XlogRedo xlog = new XlogRedo(() -> txn, null, 1);

    @Override
    public byte[] resourceManagers() {
        return xlog.resourceManagers();
    }

    @Override
    public void redo(WalRecord record, RedoContext context) {
        xlog.redo(record, context);
    }

    @Override
    public String describe(WalRecord record) {
        return xlog.describe(record);
    }
}
