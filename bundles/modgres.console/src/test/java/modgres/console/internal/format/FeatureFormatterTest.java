package modgres.console.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FeatureFormatterTest {

    static final Map<String, String> PROPS = Map.of(
            "modgres.features", "core, background,console",
            "modgres.feature.core.bundles", "org.apache.felix.scr,modgres.api,modgres.postmaster",
            "modgres.feature.core.description", "OSGi runtime services and the postmaster",
            "modgres.feature.background.bundles", "modgres.logger",
            "modgres.feature.background.description", "Background processes: logger",
            "modgres.feature.console.bundles", "modgres.console");

    static final List<BundleInfo> BUNDLES = List.of(
            new BundleInfo(0, "org.apache.felix.framework", "7.0.5", "ACTIVE"),
            new BundleInfo(1, "org.apache.felix.scr", "2.2.10", "ACTIVE"),
            new BundleInfo(2, "modgres.api", "0.1.0.SNAPSHOT", "ACTIVE"),
            new BundleInfo(3, "modgres.postmaster", "0.1.0.SNAPSHOT", "ACTIVE"),
            new BundleInfo(5, "modgres.console", "0.1.0.SNAPSHOT", "RESOLVED"));

    @Test
    void readsFeaturesFromFrameworkProperties() {
        List<Feature> f = Feature.fromProperties(PROPS::get);
        assertEquals(List.of("core", "background", "console"), f.stream().map(Feature::name).toList());
        assertEquals(List.of("org.apache.felix.scr", "modgres.api", "modgres.postmaster"), f.get(0).bundles());
        assertEquals("Background processes: logger", f.get(1).description());
        assertEquals("", f.get(2).description());
    }

    @Test
    void noFeaturePropertyMeansNoFeatures() {
        assertEquals(List.of(), Feature.fromProperties(k -> null));
    }

    @Test
    void listsEachFeatureWithItsBundlesAndTheRest() {
        assertEquals("""
                core: OSGi runtime services and the postmaster
                  ID  STATE   BUNDLE                VERSION
                   1  ACTIVE  org.apache.felix.scr  2.2.10
                   2  ACTIVE  modgres.api           0.1.0.SNAPSHOT
                   3  ACTIVE  modgres.postmaster    0.1.0.SNAPSHOT
                background: Background processes: logger
                  ID  STATE          BUNDLE          VERSION
                   -  NOT INSTALLED  modgres.logger
                console
                  ID  STATE     BUNDLE           VERSION
                   5  RESOLVED  modgres.console  0.1.0.SNAPSHOT
                (no feature)
                  ID  STATE   BUNDLE                      VERSION
                   0  ACTIVE  org.apache.felix.framework  7.0.5
                """, FeatureFormatter.format(Feature.fromProperties(PROPS::get), BUNDLES));
    }

    @Test
    void groupsBundlesByFirstFeatureThatListsThem() {
        List<Feature> features = List.of(new Feature("a", "", List.of("modgres.api")),
                new Feature("b", "", List.of("modgres.api", "modgres.console")));
        Map<BundleInfo, String> g = FeatureFormatter.byFeature(features, BUNDLES);
        assertEquals(List.of("modgres.api", "modgres.console", "org.apache.felix.framework", "org.apache.felix.scr",
                "modgres.postmaster"), g.keySet().stream().map(BundleInfo::symbolicName).toList());
        assertEquals(List.of("a", "b", "(no feature)", "(no feature)", "(no feature)"), List.copyOf(g.values()));
    }

    @Test
    void bundleStateNames() {
        assertEquals("ACTIVE", BundleInfo.stateName(org.osgi.framework.Bundle.ACTIVE));
        assertEquals("RESOLVED", BundleInfo.stateName(org.osgi.framework.Bundle.RESOLVED));
        assertEquals("INSTALLED", BundleInfo.stateName(org.osgi.framework.Bundle.INSTALLED));
        assertEquals("STARTING", BundleInfo.stateName(org.osgi.framework.Bundle.STARTING));
        assertEquals("UNKNOWN(3)", BundleInfo.stateName(3));
    }
}
