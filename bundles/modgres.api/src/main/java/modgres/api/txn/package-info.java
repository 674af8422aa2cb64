/**
 * Transactions and concurrency: {@link modgres.api.txn.TransactionManager}
 * (ids, commit log, snapshots, OIDs), {@link modgres.api.txn.LockManager}
 * (heavyweight locks, deadlock detection), and the value types MVCC code
 * shares: {@link modgres.api.txn.Snapshot}, {@link modgres.api.txn.Xid}
 * arithmetic, {@link modgres.api.txn.XidStatus}; MultiXacts
 * ({@link modgres.api.txn.MultiXactManager}, 1.3), reached through
 * {@link modgres.api.txn.TransactionManager#multiXacts()}.
 */
@Export
@Version("1.3.0")
package modgres.api.txn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
