package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** txid_current() and pg_current_xact_id(): the top-level transaction's id, as PostgreSQL 15 returns it. */
class TxidTest extends DataEngineTestBase {

    private long scalar(String sql) {
        List<String> rows = table(sql);
        return Long.parseLong(rows.get(1));
    }

    @Test
    void theTopLevelIdAlsoInsideSavepointsAndReadOnlyTransactions() {
        exec("create table t (a int)");
        exec("begin");
        long top = scalar("select txid_current()");
        exec("savepoint s");
        exec("insert into t values (1)"); // the subtransaction gets an id of its own
        assertEquals(top, scalar("select txid_current()"));
        assertEquals(top, scalar("select pg_current_xact_id()"));
        exec("rollback");
        exec("begin read only");
        long ro = scalar("select txid_current()"); // allowed, and assigns an id, as in PostgreSQL
        assertTrue(ro > top, ro + " after " + top);
        exec("commit");
    }
}
