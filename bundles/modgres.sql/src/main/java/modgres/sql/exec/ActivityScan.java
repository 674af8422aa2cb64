package modgres.sql.exec;

import java.util.Iterator;
import java.util.List;

import modgres.api.backend.BackendStatus;

/**
 * {@code pg_stat_activity}: one row per backend from the postmaster's table
 * of backends, read when the scan opens (PostgreSQL's
 * {@code pg_stat_get_activity}), in PostgreSQL 15's column order.
 */
final class ActivityScan extends Plan {
    static final List<OutCol> COLUMNS = List.of(OutCol.of("datid", 26), OutCol.of("datname", 19),
            OutCol.of("pid", 23), OutCol.of("leader_pid", 23), OutCol.of("usesysid", 26), OutCol.of("usename", 19),
            OutCol.of("application_name", 25), OutCol.of("client_addr", 25), OutCol.of("client_hostname", 25),
            OutCol.of("client_port", 23), OutCol.of("backend_start", 1184), OutCol.of("xact_start", 1184),
            OutCol.of("query_start", 1184), OutCol.of("state_change", 1184), OutCol.of("wait_event_type", 25),
            OutCol.of("wait_event", 25), OutCol.of("state", 25), OutCol.of("backend_xid", 28),
            OutCol.of("backend_xmin", 28), OutCol.of("query_id", 20), OutCol.of("query", 25),
            OutCol.of("backend_type", 25));

    private Iterator<BackendStatus> it;

    ActivityScan() {
        super(COLUMNS);
        estimate(0, 1, 10);
    }

    private static Long ts(long millis) {
        return millis == 0 ? null : (millis - 946_684_800_000L) * 1000L;
    }

    @Override
    protected void doOpen(ExecState ex) {
        it = (ex.activity == null ? List.<BackendStatus>of() : ex.activity.get()).iterator();
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        if (!it.hasNext()) {
            return null;
        }
        BackendStatus b = it.next();
        return new Object[] {null, b.database(), (int) b.pid(), null, null, b.user(), b.applicationName(),
            b.clientAddress(), null, b.clientPort() < 0 ? null : b.clientPort(), ts(b.backendStart()),
            ts(b.xactStart()), ts(b.queryStart()), ts(b.stateChange()), null, null, b.state(), null, null, null,
            b.query(), "client backend"};
    }

    @Override
    public String label() {
        return "Function Scan on pg_stat_get_activity s";
    }
}
