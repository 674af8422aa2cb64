package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void parsesPostgresStyleOptions() throws Exception {
        Main.Options o = Main.Options.parse(new String[] {"-D", "/data", "-p", "5433", "-c", "work_mem=8MB",
                "--shared-buffers=256MB", "-cfsync=off", "--no-console"}, null);
        assertEquals("/data", o.dataDir);
        assertEquals(List.of("port=5433", "work_mem=8MB", "shared_buffers=256MB", "fsync=off"), o.settings);
        assertTrue(o.noConsole);
    }

    @Test
    void pgdataIsTheDefaultDataDirectory() throws Exception {
        assertEquals("/srv/pg", Main.Options.parse(new String[0], "/srv/pg").dataDir);
        assertEquals("/other", Main.Options.parse(new String[] {"-D", "/other"}, "/srv/pg").dataDir);
    }

    @Test
    void initdbOptionsAreKeptApartFromSettings() throws Exception {
        Main.Options o = Main.Options.parse(new String[] {"--auth=scram-sha-256", "--pwfile=/tmp/pw", "-U", "admin"},
                null);
        assertEquals(Map.of("auth", "scram-sha-256", "pwfile", "/tmp/pw", "username", "admin"), o.initdb);
        assertTrue(o.settings.isEmpty());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(Main.UsageException.class, () -> Main.Options.parse(new String[] {"-c", "novalue"}, null));
        assertThrows(Main.UsageException.class, () -> Main.Options.parse(new String[] {"-D"}, null));
        assertThrows(Main.UsageException.class, () -> Main.Options.parse(new String[] {"stray"}, null));
    }

    @Test
    void featureDescriptorsParseWithStartLevels() throws Exception {
        String text = """
                name=demo
                description=a demo
                requires=core
                bundles=a@1,b,c@4
                alternatives=d@3
                config.x.y=z
                """;
        Main.Feature f = Main.Feature.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals("demo", f.name());
        assertEquals(List.of("core"), f.requires());
        assertEquals(List.of(new Main.Feature.Entry("a", 1, true), new Main.Feature.Entry("b", 3, true),
                new Main.Feature.Entry("c", 4, true), new Main.Feature.Entry("d", 3, false)), f.entries());
        assertEquals(Map.of("x.y", "z"), f.config());
    }

    @Test
    void selectingAFeatureBringsWhatItRequires() throws Exception {
        Main.Feature core = new Main.Feature("core", "", List.of(), List.of(), Map.of());
        Main.Feature bg = new Main.Feature("background", "", List.of("core"), List.of(), Map.of());
        Main.Feature console = new Main.Feature("console", "", List.of("core"), List.of(), Map.of());
        List<Main.Feature> all = List.of(core, bg, console);
        assertEquals(List.of(core, console), Main.Feature.select(all, List.of("console")));
        assertEquals(all, Main.Feature.select(all, null));
        assertThrows(Main.UsageException.class, () -> Main.Feature.select(all, List.of("nope")));
    }
}
