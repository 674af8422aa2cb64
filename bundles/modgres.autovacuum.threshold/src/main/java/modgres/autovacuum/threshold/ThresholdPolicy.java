package modgres.autovacuum.threshold;

import modgres.api.autovacuum.Thresholds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import modgres.api.autovacuum.AutovacuumPolicy;
import modgres.api.autovacuum.Candidate;
import modgres.api.autovacuum.TableInfo;
import modgres.api.autovacuum.Task;
import modgres.api.settings.Settings;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;

/**
 * PostgreSQL 15's {@code relation_needs_vacanalyze()}, with
 * {@code reltuples < 0} (never vacuumed or analyzed) counted as 0:
 *
 * <pre>
 * vacuum  when n_dead_tup          &gt; autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor * reltuples
 *         or   n_ins_since_vacuum  &gt; autovacuum_vacuum_insert_threshold
 *                                    + autovacuum_vacuum_insert_scale_factor * reltuples
 *                                    (unless the insert threshold is -1)
 * analyze when n_mod_since_analyze &gt; autovacuum_analyze_threshold + autovacuum_analyze_scale_factor * reltuples
 *         (never pg_catalog.pg_statistic)
 * </pre>
 *
 * Storage parameters of the same names override the settings;
 * {@code autovacuum_enabled = false} skips the table, and so does a table
 * without statistics (PostgreSQL: no pgstat entry, nothing to decide on).
 * PostgreSQL works through a database's tables in catalog order; this
 * policy orders them by how far they are over their threshold
 * ({@code count / threshold}, the largest of the rules that fired, most
 * urgent first; ties by OID), so the tables that bloat fastest relative to
 * their size go first when the workers are few.
 */
@Component(name = "modgres.autovacuum.threshold",
        property = {AutovacuumPolicy.NAME + "=" + ThresholdPolicy.NAME, "service.ranking:Integer=0"})
public final class ThresholdPolicy implements AutovacuumPolicy {

    static final String NAME = "threshold";

    /** A decision with its urgency (how many times over its threshold the table is). */
    record Decision(Task task, double urgency) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Task> choose(List<Candidate> tables, Settings settings) {
        Thresholds base = Thresholds.of(settings);
        List<Decision> decisions = new ArrayList<>();
        for (Candidate c : tables) {
            Decision d = decide(c, base);
            if (d != null) {
                decisions.add(d);
            }
        }
        decisions.sort(Comparator.comparingDouble(Decision::urgency).reversed()
                .thenComparingInt(d -> d.task().table().rel()));
        List<Task> out = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            out.add(d.task());
        }
        return out;
    }

    /** The decision for one table, or null when it needs nothing. */
    static Decision decide(Candidate c, Thresholds base) {
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
        double vacThresh = p.vacThresh() + p.vacScale() * reltuples;
        double insThresh = p.insThresh() + p.insScale() * reltuples;
        double anlThresh = p.anlThresh() + p.anlScale() * reltuples;

        boolean byDead = dead > vacThresh;
        boolean byInserts = p.insThresh() >= 0 && inserted > insThresh;
        boolean analyze = changed > anlThresh && !isPgStatistic(t);
        if (!byDead && !byInserts && !analyze) {
            return null;
        }
        double urgency = 0;
        List<String> why = new ArrayList<>(3);
        if (byDead) {
            urgency = Math.max(urgency, dead / Math.max(vacThresh, 1));
            why.add("n_dead_tup " + dead + " > " + Thresholds.num(vacThresh));
        }
        if (byInserts) {
            urgency = Math.max(urgency, inserted / Math.max(insThresh, 1));
            why.add("n_ins_since_vacuum " + inserted + " > " + Thresholds.num(insThresh));
        }
        if (analyze) {
            urgency = Math.max(urgency, changed / Math.max(anlThresh, 1));
            why.add("n_mod_since_analyze " + changed + " > " + Thresholds.num(anlThresh));
        }
        return new Decision(new Task(t, byDead || byInserts, analyze, false, String.join(", ", why)), urgency);
    }

    /** ANALYZE refuses to work with pg_statistic (PostgreSQL's StatisticRelationId). */
    static boolean isPgStatistic(TableInfo t) {
        return "pg_catalog".equals(t.schema()) && "pg_statistic".equals(t.name());
    }
}
