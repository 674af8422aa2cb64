package modgres.api.settings;

import java.util.List;

/**
 * What PostgreSQL 15 says about one setting. Values are strings in the form
 * {@code pg_settings} shows them: integers and reals in the setting's base unit
 * ({@link #unit()}, e.g. {@code 8kB} for {@code shared_buffers}), booleans as
 * {@code on}/{@code off}.
 *
 * @param name       lower-case name
 * @param type       value type
 * @param context    when it may change
 * @param unit       base unit ({@code 8kB}, {@code kB}, {@code MB}, {@code ms}, {@code s}, {@code min}) or null
 * @param category   {@code pg_settings.category}
 * @param shortDesc  {@code pg_settings.short_desc}
 * @param bootValue  the built-in default ({@code pg_settings.boot_val})
 * @param minValue   lower bound for numbers, else null
 * @param maxValue   upper bound for numbers, else null
 * @param enumValues allowed values of an enum, else empty
 */
public record SettingDefinition(String name, SettingType type, SettingContext context, String unit,
        String category, String shortDesc, String bootValue, String minValue, String maxValue,
        List<String> enumValues) {

    public SettingDefinition {
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
    }
}
