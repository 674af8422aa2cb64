package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.sql.SqlSession;

class WalFunctionsTest extends EngineTestBase {

    @Test
    void withoutAWalServiceTheFunctionsSayWhy() {
        PgException e = error("SELECT pg_current_wal_lsn()");
        assertEquals("55000", e.sqlState());
        assertEquals("WAL control functions cannot be executed now", e.getMessage());
    }

    @Test
    void onlyASuperuserMaySwitchWal() {
        try (SqlSession alice = open("alice", "postgres", Map.of())) {
            PgException e = assertThrows(PgException.class, () -> run(alice, "SELECT pg_switch_wal()"));
            assertEquals("42501", e.sqlState());
            assertEquals("permission denied for function pg_switch_wal", e.getMessage());
        }
    }
}
