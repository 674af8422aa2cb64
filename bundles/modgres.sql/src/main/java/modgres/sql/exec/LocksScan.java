package modgres.sql.exec;

import java.util.Iterator;
import java.util.List;

import modgres.api.txn.LockInfo;
import modgres.api.txn.LockTag;

/**
 * {@code pg_locks}: one row per lock held or awaited, from the lock manager
 * (PostgreSQL's {@code pg_lock_status}), in PostgreSQL 15's column order.
 */
final class LocksScan extends Plan {
    static final List<OutCol> COLUMNS = List.of(OutCol.of("locktype", 25), OutCol.of("database", 26),
            OutCol.of("relation", 26), OutCol.of("page", 23), OutCol.of("tuple", 21), OutCol.of("virtualxid", 25),
            OutCol.of("transactionid", 28), OutCol.of("classid", 26), OutCol.of("objid", 26),
            OutCol.of("objsubid", 21), OutCol.of("virtualtransaction", 25), OutCol.of("pid", 23),
            OutCol.of("mode", 25), OutCol.of("granted", 16), OutCol.of("fastpath", 16),
            OutCol.of("waitstart", 1184));

    private Iterator<LockInfo> it;

    LocksScan() {
        super(COLUMNS);
        estimate(0, 1, 10);
    }

    @Override
    protected void doOpen(ExecState ex) {
        it = (ex.locks == null ? List.<LockInfo>of() : ex.locks.get()).iterator();
    }

    private static Long oid(int v) {
        return Integer.toUnsignedLong(v);
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        if (!it.hasNext()) {
            return null;
        }
        LockInfo l = it.next();
        LockTag t = l.tag();
        Object[] r = new Object[COLUMNS.size()];
        r[0] = t.type();
        switch (t.type()) {
            case "relation" -> {
                r[1] = oid(t.database());
                r[2] = oid(t.id1());
            }
            case "tuple" -> {
                r[1] = oid(t.database());
                r[2] = oid(t.id1());
                r[3] = t.id2();
                r[4] = (short) t.id3();
            }
            case "transactionid" -> r[6] = oid(t.id1());
            case "object" -> {
                r[1] = oid(t.database());
                r[7] = oid(t.id1());
                r[8] = oid(t.id2());
                r[9] = (short) t.id3();
            }
            default -> {
                r[1] = oid(t.database());
                r[8] = oid(t.id2());
            }
        }
        r[10] = "-1/" + l.pid();
        r[11] = l.pid();
        r[12] = l.mode().pgName();
        r[13] = l.granted();
        r[14] = false;
        r[15] = l.waitStartMillis() == 0 ? null : (l.waitStartMillis() - 946_684_800_000L) * 1000L;
        return r;
    }

    @Override
    public String label() {
        return "Function Scan on pg_lock_status l";
    }
}
