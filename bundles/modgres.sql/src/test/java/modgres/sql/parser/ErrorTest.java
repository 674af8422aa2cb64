package modgres.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Error SQLSTATE, message and position, compared with what PostgreSQL 15
 * reported for the same input ({@code errors-pg15.tsv}).
 */
class ErrorTest {

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> errorsAsPostgreSqlReportsThem() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : RoundTripTest.resource("errors-pg15.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            String sql = unescape(f[0]);
            String state = f[1];
            int position = Integer.parseInt(f[2]);
            String message = unescape(f[3]);
            tests.add(DynamicTest.dynamicTest(f[0], () -> {
                SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parse(sql));
                assertEquals(message, e.getMessage());
                assertEquals(state, e.sqlState());
                assertEquals(position, e.position());
            }));
        }
        assertTrue(tests.size() > 150);
        return tests.stream();
    }

    @Test
    void hintsWhereParserErrorsHaveOne() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class,
                () -> SqlParser.parse("select * from t limit 1, 2"));
        assertEquals("Use separate LIMIT and OFFSET clauses.", e.hint());
        e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select * from (select 1)"));
        assertEquals("For example, FROM (SELECT ...) [AS] foo.", e.hint());
        assertEquals(15, e.position());
        e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select * from (values (1))"));
        assertEquals("VALUES in FROM must have an alias", e.getMessage());
        e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select e'\\u12'"));
        assertEquals("Unicode escapes must be \\uXXXX or \\UXXXXXXXX.", e.hint());
        e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select U&'\\zzzz'"));
        assertEquals("Unicode escapes must be \\XXXX or \\+XXXXXX.", e.hint());
    }

    @Test
    void aSyntaxErrorAnywhereWinsOverLaterCheckedErrors() {
        // PostgreSQL parses the whole string before it validates bit strings (22P02)
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class,
                () -> SqlParser.parse("select b'12'; select 1 2"));
        assertEquals("42601", e.sqlState());
        assertEquals(24, e.position());
        e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select 1; select b'12'"));
        assertEquals("22P02", e.sqlState());
        assertEquals("\"2\" is not a valid binary digit", e.getMessage());
    }

    @Test
    void tooDeeplyNestedInputIsAnErrorNotACrash() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class,
                () -> SqlParser.parse("select " + "(".repeat(100_000) + "1" + ")".repeat(100_000)));
        assertEquals("54001", e.sqlState());
        assertEquals("stack depth limit exceeded", e.getMessage());
    }

    @Test
    void errorPositionsCountCharactersNotBytesOrUtf16Units() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select '😀é', 1 2"));
        assertEquals(16, e.position());
        e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select 1;\nselect 2 3;"));
        assertEquals(20, e.position());
    }
}
