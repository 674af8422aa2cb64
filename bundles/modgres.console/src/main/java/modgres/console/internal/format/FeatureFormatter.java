package modgres.console.internal.format;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import modgres.console.internal.format.TextTable.Align;

/**
 * Output of {@code modgres:features}: each feature with its description and
 * its bundles (id, state, name, version); a bundle a feature lists but that is
 * not installed shows as {@value BundleInfo#NOT_INSTALLED}. Installed bundles
 * of no feature (the framework itself, bundles installed by hand) come last
 * under {@value #NO_FEATURE}.
 */
public final class FeatureFormatter {

    /** The group of the bundles that no feature lists. */
    public static final String NO_FEATURE = "(no feature)";

    private FeatureFormatter() {
    }

    public static String format(List<Feature> features, List<BundleInfo> bundles) {
        StringBuilder sb = new StringBuilder();
        Set<Long> listed = new HashSet<>();
        for (Feature f : features) {
            sb.append(f.name());
            if (!f.description().isEmpty()) {
                sb.append(": ").append(f.description());
            }
            sb.append('\n');
            TextTable t = table();
            for (String name : f.bundles()) {
                List<BundleInfo> matches = bundles.stream().filter(b -> name.equals(b.symbolicName())).toList();
                if (matches.isEmpty()) {
                    t.row("-", BundleInfo.NOT_INSTALLED, name, "");
                }
                for (BundleInfo b : matches) {
                    listed.add(b.id());
                    t.row(b.id(), b.state(), b.symbolicName(), b.version());
                }
            }
            sb.append(t.size() == 0 ? "  (no bundles)\n" : t.render("  "));
        }
        List<BundleInfo> rest = bundles.stream().filter(b -> !listed.contains(b.id())).toList();
        if (!rest.isEmpty()) {
            sb.append(NO_FEATURE).append('\n');
            TextTable t = table();
            rest.forEach(b -> t.row(b.id(), b.state(), b.symbolicName(), b.version()));
            sb.append(t.render("  "));
        }
        if (sb.length() == 0) {
            sb.append("no features and no bundles\n");
        }
        return sb.toString();
    }

    private static TextTable table() {
        return new TextTable().column("ID", Align.RIGHT).column("STATE", Align.LEFT).column("BUNDLE", Align.LEFT)
                .column("VERSION", Align.LEFT);
    }

    /**
     * Each installed bundle's feature: the first feature that lists its
     * symbolic name, or {@value #NO_FEATURE}; ordered by feature, then as
     * {@code bundles} is.
     */
    public static Map<BundleInfo, String> byFeature(List<Feature> features, List<BundleInfo> bundles) {
        Map<BundleInfo, String> result = new LinkedHashMap<>();
        for (Feature f : features) {
            for (String name : f.bundles()) {
                for (BundleInfo b : bundles) {
                    if (name.equals(b.symbolicName()) && !result.containsKey(b)) {
                        result.put(b, f.name());
                    }
                }
            }
        }
        List<BundleInfo> rest = new ArrayList<>();
        for (BundleInfo b : bundles) {
            if (!result.containsKey(b)) {
                rest.add(b);
            }
        }
        rest.forEach(b -> result.put(b, NO_FEATURE));
        return result;
    }
}
