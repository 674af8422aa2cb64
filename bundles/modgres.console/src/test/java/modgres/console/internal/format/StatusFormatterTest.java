package modgres.console.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.server.ProcessInfo;
import modgres.console.internal.format.Fixtures.FakeServer;

class StatusFormatterTest {

    static final Instant NOW = Instant.parse("2026-11-25T11:03:04Z");

    @Test
    void showsServerProcessesAndBundlesByFeature() {
        FakeServer s = new FakeServer();
        s.processes = List.of(new ProcessInfo(4712, "logger", "modgres.logger", List.of()),
                new ProcessInfo(4713, "checkpointer", "modgres.postmaster", List.of()));
        List<Feature> features = Feature.fromProperties(FeatureFormatterTest.PROPS::get);
        assertEquals("""
                state           ready
                pid             4711
                uptime          1 day 02:03:04 (since 2026-11-24 09:00:00 Z)
                data directory  /srv/modgres/data
                port            5432
                version         15.0 (Modgres 0.1.0)

                processes
                   PID  NAME          BUNDLE              BUNDLE STATE
                  4712  logger        modgres.logger      NOT INSTALLED
                  4713  checkpointer  modgres.postmaster  ACTIVE

                bundles
                  FEATURE       ID  STATE     BUNDLE                      VERSION
                  core           1  ACTIVE    org.apache.felix.scr        2.2.10
                  core           2  ACTIVE    modgres.api                 0.1.0.SNAPSHOT
                  core           3  ACTIVE    modgres.postmaster          0.1.0.SNAPSHOT
                  console        5  RESOLVED  modgres.console             0.1.0.SNAPSHOT
                  (no feature)   0  ACTIVE    org.apache.felix.framework  7.0.5
                """, StatusFormatter.format(s, "/ignored", FeatureFormatterTest.BUNDLES, features, NOW,
                ZoneOffset.UTC));
    }

    @Test
    void withoutServerSaysSoAndStillListsBundles() {
        String out = StatusFormatter.format(null, "/srv/data", List.of(new BundleInfo(0, "sys", "1", "ACTIVE")),
                List.of(), NOW, ZoneOffset.UTC);
        assertEquals("""
                state           no server (the postmaster is not running or is being restarted)
                data directory  /srv/data

                bundles
                  FEATURE       ID  STATE   BUNDLE  VERSION
                  (no feature)   0  ACTIVE  sys     1
                """, out);
    }

    @Test
    void aServerFailingMidwayCountsAsNoServer() {
        FakeServer s = new FakeServer();
        s.failing = true;
        String out = StatusFormatter.format(s, null, List.of(), List.of(), NOW, ZoneOffset.UTC);
        assertEquals("""
                state           no server (the postmaster is not running or is being restarted)
                data directory  (not set)

                bundles
                  (none)
                """, out);
    }

    @Test
    void noProcessesSaysNone() {
        String out = StatusFormatter.format(new FakeServer(), null, List.of(), List.of(), NOW, ZoneOffset.UTC);
        assertEquals(true, out.contains("processes\n  (none)\n"), out);
    }

    @Test
    void uptimeFormat() {
        assertEquals("00:00:00", StatusFormatter.uptime(Duration.ZERO));
        assertEquals("00:00:00", StatusFormatter.uptime(Duration.ofSeconds(-5)));
        assertEquals("01:02:03", StatusFormatter.uptime(Duration.ofSeconds(3723)));
        assertEquals("23:59:59", StatusFormatter.uptime(Duration.ofSeconds(86_399)));
        assertEquals("1 day 00:00:00", StatusFormatter.uptime(Duration.ofDays(1)));
        assertEquals("3 days 00:00:01", StatusFormatter.uptime(Duration.ofDays(3).plusSeconds(1)));
    }
}
