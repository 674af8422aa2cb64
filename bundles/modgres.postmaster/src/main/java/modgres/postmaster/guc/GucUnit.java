package modgres.postmaster.guc;

import java.util.List;

/**
 * The base unit of a numeric setting and PostgreSQL's conversion tables for
 * it: memory settings accept B, kB, MB, GB and TB; time settings us, ms, s,
 * min, h and d. Unit names are case-sensitive, as in PostgreSQL.
 */
enum GucUnit {
    BYTES("B", true, 1), KILOBYTES("kB", true, 1024), MEGABYTES("MB", true, 1024 * 1024),
    /** 8 kB pages (BLCKSZ, and XLOG_BLCKSZ, which is the same size). */
    BLOCKS("8kB", true, 8192),
    MILLISECONDS("ms", false, 1), SECONDS("s", false, 1000), MINUTES("min", false, 60_000);

    static final int BLCKSZ = 8192;
    static final String MEMORY_HINT = "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".";
    static final String TIME_HINT = "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".";

    private static final int MAX_UNIT_LEN = 3;

    /** One row of a conversion table: {@code value in unit * multiplier = value in base unit}. */
    record Conversion(String unit, double multiplier) {
    }

    private final String pgName;
    private final boolean memory;
    /** Size of the base unit in bytes (memory) or milliseconds (time). */
    private final List<Conversion> table;

    GucUnit(String pgName, boolean memory, double scale) {
        this.pgName = pgName;
        this.memory = memory;
        this.table = buildTable(memory, scale);
    }

    /** The name {@code pg_settings.unit} shows and range errors print ({@code 8kB}, {@code kB}, {@code ms}). */
    String pgName() {
        return pgName;
    }

    boolean isMemory() {
        return memory;
    }

    String hint() {
        return memory ? MEMORY_HINT : TIME_HINT;
    }

    static GucUnit fromPgName(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        for (GucUnit u : values()) {
            if (u.pgName.equals(name)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown unit " + name);
    }

    /**
     * The table for this base unit, largest unit first, as PostgreSQL orders
     * it. Each multiplier is one division of exact sizes, as in PostgreSQL.
     */
    List<Conversion> table() {
        return table;
    }

    private static List<Conversion> buildTable(boolean memory, double scale) {
        if (memory) {
            return List.of(new Conversion("TB", 1099511627776.0 / scale), new Conversion("GB", 1073741824.0 / scale),
                    new Conversion("MB", 1048576.0 / scale), new Conversion("kB", 1024.0 / scale),
                    new Conversion("B", 1.0 / scale));
        }
        double baseMicros = scale * 1000;
        return List.of(new Conversion("d", 86_400_000_000.0 / baseMicros),
                new Conversion("h", 3_600_000_000.0 / baseMicros), new Conversion("min", 60_000_000.0 / baseMicros),
                new Conversion("s", 1_000_000.0 / baseMicros), new Conversion("ms", 1000.0 / baseMicros),
                new Conversion("us", 1.0 / baseMicros));
    }

    /**
     * PostgreSQL's convert_to_base_unit: {@code unitText} is what follows the
     * number (after white space); returns the value in the base unit, or null
     * for an unknown unit or trailing garbage. A fractional value is rounded
     * to a multiple of the next smaller unit.
     */
    Double toBase(double value, String unitText) {
        int i = 0;
        int n = unitText.length();
        StringBuilder unit = new StringBuilder();
        while (i < n && !CNumbers.isSpace(unitText.charAt(i)) && unit.length() < MAX_UNIT_LEN) {
            unit.append(unitText.charAt(i++));
        }
        while (i < n && CNumbers.isSpace(unitText.charAt(i))) {
            i++;
        }
        if (i < n) {
            return null;
        }
        List<Conversion> table = table();
        for (int k = 0; k < table.size(); k++) {
            if (table.get(k).unit().contentEquals(unit)) {
                double v = value * table.get(k).multiplier();
                if (k + 1 < table.size()) {
                    double next = table.get(k + 1).multiplier();
                    v = Math.rint(v / next) * next;
                }
                return v;
            }
        }
        return null;
    }

    /** PostgreSQL's convert_int_from_base_unit: the largest unit that divides the value evenly. */
    String formatInt(long baseValue) {
        for (Conversion c : table()) {
            if (c.multiplier() <= 1.0 || baseValue % (long) c.multiplier() == 0) {
                return (long) Math.rint(baseValue / c.multiplier()) + c.unit();
            }
        }
        throw new AssertionError();
    }

    /**
     * PostgreSQL's convert_real_from_base_unit: the first unit giving a value
     * within 1e-8 of an integer, else the smallest unit.
     */
    String formatReal(double baseValue) {
        double v = baseValue;
        String unit = null;
        for (Conversion c : table()) {
            v = baseValue / c.multiplier();
            unit = c.unit();
            if (v > 0 && Math.abs((Math.rint(v) / v) - 1.0) <= 1e-8) {
                break;
            }
        }
        return CNumbers.formatG(v) + unit;
    }
}
