package modgres.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import modgres.sql.ast.Utility;

/**
 * Parses every statement of PostgreSQL's regression scripts in the shared
 * conformance folder (read at test time; nothing is copied into the
 * repository) and reports how many of the statements of supported kinds
 * are accepted. Statements of kinds the parser only recognises
 * ({@link Utility.Unsupported}: CREATE FUNCTION, CREATE TRIGGER...) are
 * counted apart. Every accepted statement must also survive the deparser
 * round trip. The floor is the measured acceptance: it may only go up.
 */
class ConformanceCorpusTest {
    /** The workspace keeps the corpus beside the repository: ../shared from the checkout, run from this module. */
    private static final Path CORPUS = Path.of(System.getProperty("modgres.conformance.dir",
            "../../../shared/conformance/pg_regress"), "sql");

    /** Measured when this test was written: 2054 of 2054 statements of supported kinds in 17 files. */
    private static final double ACCEPTANCE_FLOOR_PERCENT = 100.0;

    @Test
    void regressionScriptsParse() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "no conformance corpus at " + CORPUS);
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        int accepted = 0;
        int unsupported = 0;
        List<String> failures = new ArrayList<>();
        List<String> roundTripFailures = new ArrayList<>();
        Map<String, Integer> unsupportedKinds = new TreeMap<>();
        for (Path file : files) {
            for (PsqlScript.Stmt stmt : PsqlScript.split(Files.readString(file))) {
                String where = file.getFileName() + ":" + stmt.line();
                List<ParsedStatement> parsed;
                try {
                    parsed = SqlParser.parse(stmt.sql());
                } catch (SqlSyntaxException e) {
                    failures.add(where + ": " + e.getMessage() + " (position " + e.position() + ")");
                    continue;
                }
                boolean supported = false;
                for (ParsedStatement ps : parsed) {
                    if (ps.statement() instanceof Utility.Unsupported u) {
                        unsupportedKinds.merge(u.kind(), 1, Integer::sum);
                        continue;
                    }
                    supported = true;
                    try {
                        RoundTripTest.roundTrip(ps.statement(), where);
                    } catch (AssertionError e) {
                        roundTripFailures.add(e.getMessage());
                    }
                }
                if (supported) {
                    accepted++;
                } else {
                    unsupported++;
                }
            }
        }
        int total = accepted + failures.size();
        double percent = total == 0 ? 100.0 : 100.0 * accepted / total;
        System.out.printf("conformance corpus: %d files, %d of %d statements of supported kinds accepted (%.2f%%);"
                + " %d statements of unsupported kinds %s%n", files.size(), accepted, total, percent, unsupported,
                unsupportedKinds);
        failures.forEach(f -> System.out.println("  rejected: " + f));
        assertTrue(total > 0, "no statements found in " + CORPUS);
        assertTrue(percent >= ACCEPTANCE_FLOOR_PERCENT, String.format("acceptance %.2f%% fell below the floor %.2f%%;"
                + " rejected: %s", percent, ACCEPTANCE_FLOOR_PERCENT, failures));
        assertEquals(List.of(), roundTripFailures);
    }
}
