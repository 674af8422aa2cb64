package modgres.postmaster.guc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file reader: lexing, the line grammar, includes and their messages. */
class ConfigFileTest {

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private ConfigFile reader() {
        return new ConfigFile(dir, (severity, state, message) -> log.add(severity + " " + state + " " + message));
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content.getBytes(StandardCharsets.ISO_8859_1));
        return p;
    }

    private String main() {
        return dir.resolve("postgresql.conf").toString();
    }

    private List<String> lines(ConfigFile cf) {
        List<String> out = new ArrayList<>();
        for (ConfigFile.Item i : cf.items()) {
            out.add(Path.of(i.file).getFileName() + ":" + i.line + " " + i.name + "=" + i.value);
        }
        return out;
    }

    private List<String> tokens(String text) {
        ConfigFile.Lexer lx = new ConfigFile.Lexer(text.getBytes(StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        ConfigFile.Token t;
        while ((t = lx.next()).kind() != ConfigFile.Kind.EOF) {
            out.add(t.kind() + "(" + t.text() + ")");
        }
        return out;
    }

    @Test
    void lexesAsGucFileDoes() {
        assertEquals(List.of("ID(shared_buffers)", "EQUALS(=)", "INTEGER(128MB)"), tokens("shared_buffers = 128MB"));
        assertEquals(List.of("QUALIFIED_ID(myapp.x)", "UNQUOTED_STRING(a.b.c)"), tokens("myapp.x a.b.c"));
        assertEquals(List.of("REAL(1.5)", "ID(GB)"), tokens("1.5GB"));
        assertEquals(List.of("INTEGER(1e)", "INTEGER(3)"), tokens("1e3"));
        assertEquals(List.of("REAL(1.5e3)", "REAL(.5)", "REAL(-.)", "INTEGER(-1)"), tokens("1.5e3 .5 -. -1"));
        assertEquals(List.of("INTEGER(0x1F)", "INTEGER(0xZZ)", "INTEGER(0777)"), tokens("0x1F 0xZZ 0777"));
        assertEquals(List.of("UNQUOTED_STRING(C.UTF-8)", "UNQUOTED_STRING(a.b:c/d-e)"), tokens("C.UTF-8 a.b:c/d-e"));
        assertEquals(List.of("STRING('it''s')", "ERROR(')", "ID(x)"), tokens("'it''s' 'x"));
        assertEquals(List.of("STRING('a')", "ERROR(')", "ID(b)"), tokens("'a'' b"));
        assertEquals(List.of("ID(a)", "EOL(\n)", "ID(b)"), tokens("a # comment\n\t b\r"));
        assertEquals(List.of("ERROR(/)", "ID(path)"), tokens("/path"));
        assertEquals(List.of("ID(\u00e9x)"), tokens("\u00e9x"));
    }

    @Test
    void deescapesQuotedStrings() {
        assertEquals("it's", ConfigFile.deescape("'it''s'".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a\\b\nc\td'e", ConfigFile.deescape("'a\\\\b\\nc\\td\\'e'".getBytes(StandardCharsets.UTF_8)));
        assertEquals("xA?q".replace('?', '\n'), ConfigFile.deescape("'x\\101\\n\\q'".getBytes(StandardCharsets.UTF_8)));
        assertEquals("\u00e9", ConfigFile.deescape("'\\303\\251'".getBytes(StandardCharsets.UTF_8)));
        assertEquals("\b\f\r", ConfigFile.deescape("'\\b\\f\\r'".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsNamesAndValues() throws IOException {
        write("postgresql.conf", "# comment\n\nwork_mem = 8MB\nport 5433 # trailing\n  search_path='\"$user\", public'\n"
                + "myapp.mode = fast\nenable_seqscan=off\nrandom_page_cost = 1.1\nlast = 'no newline'");
        ConfigFile cf = reader();
        assertTrue(cf.parseFile(main(), true, null, 0));
        assertEquals(List.of("postgresql.conf:3 work_mem=8MB", "postgresql.conf:4 port=5433",
                "postgresql.conf:5 search_path=\"$user\", public", "postgresql.conf:6 myapp.mode=fast",
                "postgresql.conf:7 enable_seqscan=off", "postgresql.conf:8 random_page_cost=1.1",
                "postgresql.conf:9 last=no newline"), lines(cf));
        assertEquals(List.of(), log);
    }

    @Test
    void reportsSyntaxErrorsWithLineNumbers() throws IOException {
        write("postgresql.conf", "work_mem = 10MB x\nwork_mem = \nwork_mem = 'abc\n= 3\nshared_buffers = 1.5GB\nok = 1\n");
        ConfigFile cf = reader();
        assertFalse(cf.parseFile(main(), true, null, 0));
        String f = main();
        assertEquals(List.of("LOG 42601 syntax error in file \"" + f + "\" line 1, near token \"x\"",
                "LOG 42601 syntax error in file \"" + f + "\" line 2, near end of line",
                "LOG 42601 syntax error in file \"" + f + "\" line 3, near token \"'\"",
                "LOG 42601 syntax error in file \"" + f + "\" line 4, near token \"=\"",
                "LOG 42601 syntax error in file \"" + f + "\" line 5, near token \"GB\""), log);
        assertEquals(List.of("postgresql.conf:6 ok=1"), lines(cf));
    }

    @Test
    void anUnfinishedLastLineIsReportedOnThePreviousLine() throws IOException {
        // PostgreSQL counts the end of file as an end of line before reporting
        write("postgresql.conf", "work_mem = 1MB\nwork_mem =");
        assertFalse(reader().parseFile(main(), true, null, 0));
        assertEquals(List.of("LOG 42601 syntax error in file \"" + main() + "\" line 1, near end of line"), log);
    }

    @Test
    void givesUpAfterAHundredSyntaxErrors() throws IOException {
        write("postgresql.conf", "x y z\n".repeat(105));
        assertFalse(reader().parseFile(main(), true, null, 0));
        assertEquals(101, log.size());
        assertEquals("LOG 54000 too many syntax errors found, abandoning file \"" + main() + "\"", log.get(100));
    }

    @Test
    void includesRelativeToTheIncludingFile() throws IOException {
        write("postgresql.conf", "work_mem = 1MB\ninclude 'sub/a.conf'\ninclude_if_exists 'nope.conf'\n"
                + "include_dir 'confd'\nport = 1\n");
        write("sub/a.conf", "work_mem = 2MB\ninclude 'b.conf'\n");
        write("sub/b.conf", "\n\nwork_mem = 3MB\n");
        write("confd/10.conf", "work_mem=5MB\n");
        write("confd/2.conf", "work_mem=6MB\n");
        write("confd/.x.conf", "work_mem=7MB\n");
        write("confd/x.txt", "work_mem=8MB\n");
        write("confd/.conf", "work_mem=9MB\n");
        Files.createDirectories(dir.resolve("confd/dir.conf"));
        ConfigFile cf = reader();
        assertTrue(cf.parseFile(main(), true, null, 0));
        assertEquals(List.of("postgresql.conf:1 work_mem=1MB", "a.conf:1 work_mem=2MB", "b.conf:3 work_mem=3MB",
                "10.conf:1 work_mem=5MB", "2.conf:1 work_mem=6MB", "postgresql.conf:5 port=1"), lines(cf));
        assertEquals(List.of("LOG 00000 skipping missing configuration file \"" + dir.resolve("nope.conf") + "\""), log);
    }

    @Test
    void lineNumbersContinueAfterAnInclude() throws IOException {
        write("postgresql.conf", "work_mem = 1MB\ninclude 'inc.conf'\n\nfoo x y\n");
        write("inc.conf", "\n\n\n\n\nwork_mem=2MB\n");
        assertFalse(reader().parseFile(main(), true, null, 0));
        assertEquals(List.of("LOG 42601 syntax error in file \"" + main() + "\" line 4, near token \"y\""), log);
    }

    @Test
    void includeProblems() throws IOException {
        write("postgresql.conf", "include 'missing.conf'\ninclude ''\ninclude_dir 'nodir'\ninclude_dir ' '\n"
                + "include 'postgresql.conf'\nwork_mem = 1MB\n");
        ConfigFile cf = reader();
        assertFalse(cf.parseFile(main(), true, null, 0));
        assertEquals(List.of(
                "LOG 58P01 could not open configuration file \"" + dir.resolve("missing.conf")
                        + "\": No such file or directory",
                "LOG 22023 empty configuration file name: \"\"",
                "LOG 58P01 could not open configuration directory \"" + dir.resolve("nodir")
                        + "\": No such file or directory",
                "LOG 22023 empty configuration directory name: \" \"",
                "LOG 22023 configuration file recursion in \"" + main() + "\""), log);
        assertEquals(List.of("postgresql.conf:6 work_mem=1MB"), lines(cf));
    }

    @Test
    void nestingIsLimited() throws IOException {
        write("postgresql.conf", "include 'a.conf'\n");
        write("a.conf", "include 'b.conf'\n");
        write("b.conf", "include 'a.conf'\n");
        assertFalse(reader().parseFile(main(), true, null, 0));
        assertEquals(List.of("LOG 54000 could not open configuration file \"a.conf\": maximum nesting depth exceeded"),
                log);
    }

    @Test
    void includeDirectivesAreCaseInsensitive() throws IOException {
        write("postgresql.conf", "INCLUDE 'a.conf'\nInclude_If_Exists = 'b.conf'\n");
        write("a.conf", "port = 2\n");
        ConfigFile cf = reader();
        assertTrue(cf.parseFile(main(), true, null, 0));
        assertEquals(List.of("a.conf:1 port=2"), lines(cf));
    }

    @Test
    void absoluteIncludesAndParentDirectories() throws IOException {
        Path other = write("elsewhere/x.conf", "port = 3\n");
        write("sub/a.conf", "include '../elsewhere/x.conf'\ninclude '" + other + "'\n");
        write("postgresql.conf", "include 'sub/./a.conf'\n");
        ConfigFile cf = reader();
        assertTrue(cf.parseFile(main(), true, null, 0));
        assertEquals(List.of("x.conf:1 port=3", "x.conf:1 port=3"), lines(cf));
        assertEquals(other.toString(), cf.items().get(0).file);
    }

    @Test
    void bytesAreDecodedAsUtf8AfterLexing() throws IOException {
        write("postgresql.conf", "application_name = 'h\u00c3\u00a9'\ncluster_name = \u00c3\u00a9t\u00c3\u00a9\n");
        ConfigFile cf = reader();
        assertTrue(cf.parseFile(main(), true, null, 0));
        assertEquals(List.of("postgresql.conf:1 application_name=h\u00e9", "postgresql.conf:2 cluster_name=\u00e9t\u00e9"),
                lines(cf));
    }

    @Test
    void literalsQuoteOnlyWhatNeedsIt() {
        assertEquals("128MB", SampleConfig.literal("128MB"));
        assertEquals("0.9", SampleConfig.literal("0.9"));
        assertEquals("'1e-05'", SampleConfig.literal("1e-05"));
        assertEquals("scram-sha-256", SampleConfig.literal("scram-sha-256"));
        assertEquals("'read committed'", SampleConfig.literal("read committed"));
        assertEquals("''", SampleConfig.literal(""));
        assertEquals("'it''s'", SampleConfig.literal("it's"));
    }
}
