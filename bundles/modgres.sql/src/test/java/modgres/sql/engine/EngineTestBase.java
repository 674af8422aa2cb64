package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.backend.Peer;
import modgres.api.error.PgException;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlSession;

abstract class EngineTestBase {
    @TempDir
    Path dataDir;
    TestSettings settings;
    SqlEngineComponent engine;
    SqlSession session;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(dataDir.resolve("global"));
        Files.writeString(dataDir.resolve("global/pg_authid.bootstrap"),
                "# rolname\trolsuper\trolpassword\npostgres\tt\tSCRAM-SHA-256$4096:abc\nalice\tf\t\n");
        settings = new TestSettings(dataDir);
        engine = new SqlEngineComponent(settings);
        session = open("postgres", "postgres", Map.of());
    }

    @AfterEach
    void tearDown() {
        session.close();
    }

    SqlSession open(String user, String db, Map<String, String> params) {
        return engine.open(new SessionInfo(4242, user, db, new Peer(true, null, 0), params));
    }

    List<String> run(String sql) {
        return run(session, sql);
    }

    static List<String> run(SqlSession s, String sql) {
        RecordingSink sink = new RecordingSink();
        s.simpleQuery(sql, sink);
        return sink.events;
    }

    PgException error(String sql) {
        return assertThrows(PgException.class, () -> run(sql));
    }

    /** The single value of a one-row, one-column SELECT. */
    String value(String sql) {
        List<String> ev = run(sql);
        return ev.get(1).substring(2);
    }
}
