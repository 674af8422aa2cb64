package modgres.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import modgres.sql.ast.SqlDeparser;
import modgres.sql.ast.Statement;

/**
 * Parse, print with the deparser, parse again: the two trees must be equal
 * (positions aside) and printing the second must give the same text, for
 * every statement of {@code roundtrip.sql}.
 */
class RoundTripTest {

    static String resource(String name) throws IOException {
        try (InputStream in = RoundTripTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Asserts the round trip for one statement; returns its canonical text. */
    static String roundTrip(Statement original, String context) {
        String printed = SqlDeparser.deparse(original);
        Statement reparsed;
        try {
            reparsed = SqlParser.parseStatement(printed);
        } catch (SqlSyntaxException e) {
            throw new AssertionError(context + ": the printed text does not parse: " + printed + "\n  " + e.getMessage()
                    + " at " + e.position(), e);
        }
        AstAssert.assertSameTree(original, reparsed, context + " printed as " + printed);
        assertEquals(printed, SqlDeparser.deparse(reparsed), context);
        return printed;
    }

    @TestFactory
    Stream<DynamicTest> everyStatementRoundTrips() throws IOException {
        List<ParsedStatement> statements = SqlParser.parse(resource("roundtrip.sql"));
        assertTrue(statements.size() > 300, "corpus size " + statements.size());
        return statements.stream().map(ps -> DynamicTest.dynamicTest(ps.text().replace('\n', ' '),
                () -> roundTrip(ps.statement(), ps.text())));
    }
}
