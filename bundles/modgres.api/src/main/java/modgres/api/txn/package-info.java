/**
 * Transactions and concurrency: {@link modgres.api.txn.TransactionManager}
 * (ids, commit log, snapshots, OIDs), {@link modgres.api.txn.LockManager}
 * (heavyweight locks, deadlock detection), and the value types MVCC code
 * shares: {@link modgres.api.txn.Snapshot}, {@link modgres.api.txn.Xid}
 * arithmetic, {@link modgres.api.txn.XidStatus}.
 */
@Export
@Version("1.2.0")
package modgres.api.txn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
