package modgres.console.internal.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A feature the launcher installed, as its framework properties describe it:
 * {@code modgres.features} (the names, in order) and per feature
 * {@code modgres.feature.NAME.bundles} (bundle symbolic names) and
 * {@code modgres.feature.NAME.description}.
 */
public record Feature(String name, String description, List<String> bundles) {

    public static final String FEATURES = "modgres.features";

    public Feature {
        description = description == null ? "" : description;
        bundles = List.copyOf(bundles);
    }

    /** The features named by the properties, in order; empty when there are none. */
    public static List<Feature> fromProperties(Function<String, String> properties) {
        List<Feature> result = new ArrayList<>();
        for (String name : list(properties.apply(FEATURES))) {
            String prefix = "modgres.feature." + name + ".";
            result.add(new Feature(name, properties.apply(prefix + "description"),
                    list(properties.apply(prefix + "bundles"))));
        }
        return result;
    }

    private static List<String> list(String s) {
        if (s == null) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
