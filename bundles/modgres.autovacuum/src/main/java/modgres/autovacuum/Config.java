package modgres.autovacuum;

import java.util.Locale;
import java.util.Map;

import modgres.api.autovacuum.TableInfo;
import modgres.api.settings.Settings;

/**
 * The settings autovacuum works with, read at once (at every round, and for
 * every table a worker starts on: PostgreSQL 15's workers too take the cost
 * settings when they start a table). Times in milliseconds.
 *
 * @param autovacuum       {@code autovacuum}
 * @param trackCounts      {@code track_counts}
 * @param naptimeMillis    {@code autovacuum_naptime}
 * @param maxWorkers       {@code autovacuum_max_workers}
 * @param costDelayMillis  {@code autovacuum_vacuum_cost_delay}, or {@code vacuum_cost_delay} when that is -1
 * @param costLimit        {@code autovacuum_vacuum_cost_limit}, or {@code vacuum_cost_limit} when that is -1 (or 0)
 * @param pageHit          {@code vacuum_cost_page_hit}
 * @param pageMiss         {@code vacuum_cost_page_miss}
 * @param pageDirty        {@code vacuum_cost_page_dirty}
 * @param logMinDuration   {@code log_autovacuum_min_duration} (-1 = off, 0 = every run)
 * @param freezeMaxAge     {@code autovacuum_freeze_max_age}
 */
record Config(boolean autovacuum, boolean trackCounts, long naptimeMillis, int maxWorkers, double costDelayMillis,
        int costLimit, int pageHit, int pageMiss, int pageDirty, long logMinDuration, long freezeMaxAge) {

    /**
     * Reads the settings; {@code naptimeUnitMillis} is what one unit of
     * {@code autovacuum_naptime} is worth (1000: the setting counts seconds;
     * tests pass 1 to count milliseconds).
     */
    static Config read(Settings s, long naptimeUnitMillis) {
        double delay = s.getReal("autovacuum_vacuum_cost_delay");
        if (delay < 0) {
            delay = s.getReal("vacuum_cost_delay");
        }
        int limit = s.getInt("autovacuum_vacuum_cost_limit");
        if (limit <= 0) {
            limit = s.getInt("vacuum_cost_limit");
        }
        return new Config(s.getBool("autovacuum"), s.getBool("track_counts"),
                Math.max(1, s.getLong("autovacuum_naptime")) * naptimeUnitMillis,
                Math.max(1, s.getInt("autovacuum_max_workers")), delay, Math.max(1, limit),
                s.getInt("vacuum_cost_page_hit"), s.getInt("vacuum_cost_page_miss"),
                s.getInt("vacuum_cost_page_dirty"), s.getLong("log_autovacuum_min_duration"),
                s.getLong("autovacuum_freeze_max_age"));
    }

    /**
     * The cost parameters for one table, as PostgreSQL 15's
     * {@code table_recheck_autovac()}: the storage parameters
     * {@code autovacuum_vacuum_cost_delay} (&gt;= 0) and
     * {@code autovacuum_vacuum_cost_limit} (&gt; 0) win over the settings, and a
     * table with either set is left out of the balancing.
     */
    TableCost cost(TableInfo table) {
        Map<String, String> opts = table.relOptions() == null ? Map.of() : table.relOptions();
        double d = costDelayMillis;
        int l = costLimit;
        boolean balanced = true;
        Double od = number(opts.get("autovacuum_vacuum_cost_delay"));
        if (od != null && od >= 0) {
            d = od;
            if (od > 0) {
                balanced = false;
            }
        }
        Double ol = number(opts.get("autovacuum_vacuum_cost_limit"));
        if (ol != null && ol > 0) {
            l = (int) Math.min(Integer.MAX_VALUE, ol.longValue());
            balanced = false;
        }
        return new TableCost(d, Math.max(1, l), balanced);
    }

    /**
     * PostgreSQL's {@code force_vacuum}: the table's relfrozenxid is older than
     * {@code autovacuum_freeze_max_age} (or the smaller storage parameter of
     * that name), so it is vacuumed to prevent wraparound whatever autovacuum,
     * the policy and {@code autovacuum_enabled} say.
     */
    boolean needsWraparoundVacuum(TableInfo table) {
        Map<String, String> opts = table.relOptions() == null ? Map.of() : table.relOptions();
        long max = freezeMaxAge;
        Double o = number(opts.get("autovacuum_freeze_max_age"));
        if (o != null && o >= 100_000 && o < max) {
            max = o.longValue();
        }
        return table.xidAge() > max;
    }

    /** {@code log_autovacuum_min_duration}, or the table's storage parameter of that name when set. */
    long logMinDuration(TableInfo table) {
        Map<String, String> opts = table.relOptions() == null ? Map.of() : table.relOptions();
        Double v = number(opts.get("log_autovacuum_min_duration"));
        return v != null && v >= -1 ? v.longValue() : logMinDuration;
    }

    /**
     * A table's cost-based delay.
     *
     * @param delayMillis the nap when the balance reaches the limit (0 = no delay)
     * @param limit       the limit before balancing
     * @param balanced    whether the limit is shared with the other workers
     */
    record TableCost(double delayMillis, int limit, boolean balanced) {
    }

    static Double number(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Double.valueOf(s.trim().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
