package modgres.autovacuum.hotspot;

import modgres.api.autovacuum.Thresholds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import modgres.api.autovacuum.AutovacuumPolicy;
import modgres.api.autovacuum.Candidate;
import modgres.api.autovacuum.TableInfo;
import modgres.api.autovacuum.Task;
import modgres.api.settings.Setting;
import modgres.api.settings.Settings;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;

/**
 * An autovacuum policy for hot spots: small tables that take most of the
 * updates (pgbench's branches and tellers, counters, queues) and bloat long
 * before PostgreSQL's {@code 50 + 20 % of reltuples} fires for the mid-sized
 * tables around them, and that should not wait behind a big table's vacuum.
 *
 * <pre>
 * density = n_dead_tup / max(relpages, 1)
 * vacuum  when n_dead_tup &gt; max(autovacuum_vacuum_threshold, scale * reltuples)   scale: 5 %
 *         or   density    &gt; dead_per_page                                          20 dead tuples per page
 *         or   the insert rule of PostgreSQL (as the threshold policy)
 * analyze as PostgreSQL (as the threshold policy)
 * order   tables to vacuum by density, densest first (then by n_dead_tup, then OID);
 *         analyze-only tables after them, by how far over their threshold
 * </pre>
 *
 * {@code scale} is the custom setting {@code autovacuum_hotspot.scale_factor}
 * (default 0.05) unless the table has its own
 * {@code autovacuum_vacuum_scale_factor} storage parameter; {@code dead_per_page}
 * is {@code autovacuum_hotspot.dead_per_page} (default 20). The other storage
 * parameters count as in PostgreSQL; {@code autovacuum_enabled = false} skips
 * the table; a table without statistics is skipped.
 */
@Component(name = "modgres.autovacuum.hotspot",
        property = {AutovacuumPolicy.NAME + "=" + HotspotPolicy.NAME, "service.ranking:Integer=0"})
public final class HotspotPolicy implements AutovacuumPolicy {

    static final String NAME = "hotspot";
    /** Custom setting: the fraction of reltuples that dead tuples must exceed (instead of 20 %). */
    static final String SCALE_SETTING = "autovacuum_hotspot.scale_factor";
    /** Custom setting: the dead tuples per page above which a table is vacuumed whatever its size. */
    static final String DENSITY_SETTING = "autovacuum_hotspot.dead_per_page";
    static final double DEFAULT_SCALE = 0.05;
    static final double DEFAULT_DENSITY = 20;

    /** A decision with what it is ranked by. */
    record Decision(Task task, double density, long dead, double analyzeUrgency) {
    }

    private static final Comparator<Decision> ORDER = Comparator
            .comparing((Decision d) -> !d.task().vacuum()) // vacuums first
            .thenComparing(Comparator.comparingDouble(Decision::density).reversed())
            .thenComparing(Comparator.comparingLong(Decision::dead).reversed())
            .thenComparing(Comparator.comparingDouble(Decision::analyzeUrgency).reversed())
            .thenComparingInt(d -> d.task().table().rel());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Task> choose(List<Candidate> tables, Settings settings) {
        Thresholds base = Thresholds.of(settings);
        double scale = custom(settings, SCALE_SETTING, DEFAULT_SCALE, 0, 100);
        double perPage = custom(settings, DENSITY_SETTING, DEFAULT_DENSITY, 0, Double.MAX_VALUE);
        List<Decision> decisions = new ArrayList<>();
        for (Candidate c : tables) {
            Decision d = decide(c, base, scale, perPage);
            if (d != null) {
                decisions.add(d);
            }
        }
        decisions.sort(ORDER);
        List<Task> out = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            out.add(d.task());
        }
        return out;
    }

    /** The decision for one table, or null when it needs nothing. */
    static Decision decide(Candidate c, Thresholds base, double hotspotScale, double perPage) {
        TableInfo t = c.table();
        TableStats s = c.stats();
        Thresholds p = base.with(t.relOptions());
        if (!p.enabled() || s == null) {
            return null;
        }
        double reltuples = Math.max(0, t.relTuples());
        long dead = s.get(TableCounter.N_DEAD_TUP);
        long inserted = s.get(TableCounter.N_INS_SINCE_VACUUM);
        long changed = s.get(TableCounter.N_MOD_SINCE_ANALYZE);
        double density = (double) dead / Math.max(t.relPages(), 1);
        // the table's own scale factor wins; otherwise the hotspot fraction replaces the 20 %
        Double ownScale = Thresholds.option(t.relOptions(), "autovacuum_vacuum_scale_factor", 0);
        double scale = ownScale != null ? ownScale : hotspotScale;
        double deadThresh = Math.max(p.vacThresh(), scale * reltuples);
        double insThresh = p.insThresh() + p.insScale() * reltuples;
        double anlThresh = p.anlThresh() + p.anlScale() * reltuples;

        boolean byDead = dead > deadThresh;
        boolean byDensity = dead > 0 && density > perPage;
        boolean byInserts = p.insThresh() >= 0 && inserted > insThresh;
        boolean analyze = changed > anlThresh && !isPgStatistic(t);
        if (!byDead && !byDensity && !byInserts && !analyze) {
            return null;
        }
        List<String> why = new ArrayList<>(4);
        if (byDensity) {
            why.add(Thresholds.num(round2(density)) + " dead tuples per page > " + Thresholds.num(perPage));
        }
        if (byDead) {
            why.add("n_dead_tup " + dead + " > " + Thresholds.num(deadThresh));
        }
        if (byInserts) {
            why.add("n_ins_since_vacuum " + inserted + " > " + Thresholds.num(insThresh));
        }
        if (analyze) {
            why.add("n_mod_since_analyze " + changed + " > " + Thresholds.num(anlThresh));
        }
        boolean vacuum = byDead || byDensity || byInserts;
        return new Decision(new Task(t, vacuum, analyze, false, String.join(", ", why)), vacuum ? density : 0,
                vacuum ? dead : 0, analyze ? changed / Math.max(anlThresh, 1) : 0);
    }

    /** ANALYZE refuses to work with pg_statistic (PostgreSQL's StatisticRelationId). */
    static boolean isPgStatistic(TableInfo t) {
        return "pg_catalog".equals(t.schema()) && "pg_statistic".equals(t.name());
    }

    /** A custom setting ({@code postgresql.conf} placeholder) as a number in [min, max], or the default. */
    static double custom(Settings settings, String name, double fallback, double min, double max) {
        Optional<Setting> s;
        try {
            s = settings.find(name);
        } catch (RuntimeException e) {
            return fallback;
        }
        if (s.isEmpty() || s.get().value() == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(s.get().value().trim());
            return d >= min && d <= max ? d : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double round2(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
