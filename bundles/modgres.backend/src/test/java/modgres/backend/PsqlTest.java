package modgres.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.sql.SqlEngine.Role;

/** Debian's psql (libpq) against the backend; skipped when psql is not installed. */
class PsqlTest {
    static final Path PSQL = Path.of("/usr/bin/psql");

    @TempDir
    Path dir;

    @BeforeAll
    static void needPsql() {
        assumeTrue(Files.isExecutable(PSQL), "psql is not installed");
    }

    record Result(int exit, String out, String err) {
    }

    static Result psql(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(PSQL.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("psql did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void selectOneOverTcp() throws Exception {
        try (TestServer server = new TestServer(dir, "host all all 127.0.0.1/32 trust\n")) {
            Result r = psql(Map.of(), "-X", "-h", "127.0.0.1", "-p", Integer.toString(server.port), "-U", "postgres",
                    "-c", "SELECT 1");
            assertEquals(0, r.exit(), r.err());
            assertEquals(" ?column? \n----------\n        1\n(1 row)\n\n", r.out());
            r = psql(Map.of(), "-X", "-h", "127.0.0.1", "-p", Integer.toString(server.port), "-U", "postgres", "-c",
                    "SELEC 1");
            assertEquals(1, r.exit());
            assertEquals("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^\n", r.err());
        }
    }

    @Test
    void scramAndUnixSocket() throws Exception {
        String hba = """
                local all all trust
                host  all all 127.0.0.1/32 scram-sha-256
                """;
        try (TestServer server = new TestServer(dir, hba, Map.of(), true)) {
            server.engine.roles.put("app", new Role("app", false, true, Verifiers.scram("app pw")));
            Result r = psql(Map.of("PGPASSWORD", "app pw"), "-X", "-w", "-h", "127.0.0.1", "-p",
                    Integer.toString(server.port), "-U", "app", "-d", "postgres", "-At", "-c", "SELECT 'x'");
            assertEquals(0, r.exit(), r.err());
            assertEquals("x\n", r.out());
            r = psql(Map.of("PGPASSWORD", "bad"), "-X", "-w", "-h", "127.0.0.1", "-p", Integer.toString(server.port),
                    "-U", "app", "-d", "postgres", "-c", "SELECT 1");
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("FATAL:  password authentication failed for user \"app\""), r.err());
            r = psql(Map.of(), "-X", "-h", server.socketDir().toString(), "-p", Integer.toString(server.port), "-U",
                    "app", "-d", "postgres", "-At", "-c", "SHOW application_name");
            assertEquals(0, r.exit(), r.err());
            assertEquals("psql\n", r.out());
        }
    }
}
