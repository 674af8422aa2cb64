package modgres.sql.exec;

/*
 * Design notes: per-column statistics (what ANALYZE gathers, PostgreSQL's
 * pg_statistic as the pg_stats view shows it).
 *
 * Gathering: one pass over the table counts the live rows and keeps a
 * uniform random sample of at most 300 x default_statistics_target (100)
 * rows (reservoir sampling: row k replaces a random slot with probability
 * size/k). Per column of the sample, as PostgreSQL's compute_scalar_stats:
 *
 *   null_frac     NULLs / sampled rows
 *   avg_width     average stored width of the non-null values
 *   n_distinct    the distinct values of the sample when the sample is the
 *                 whole table or no value was seen only once; else the
 *                 Haas-Stokes estimator n*d / (n - f1 + f1*n/N). All values
 *                 distinct gives -1 x (1 - null_frac); above 10% of the rows
 *                 it is stored negative, as a fraction of the rows, so it
 *                 scales with the table
 *   MCVs          every repeated value when they are all the distinct values
 *                 (and at most 100); else the values seen at least
 *                 1.25 x the average count (and twice), most common first
 *   histogram     up to 101 bounds splitting the other values (sorted) into
 *                 equal-count bins
 *   correlation   between the values' order and the rows' physical order
 *
 * Storage: one pg_statistic row per column (starelid, staattnum), the value
 * lists as the text of arrays of the column's type; replaced by each ANALYZE.
 * The planner reads them back (typed, through the type's array input) via
 * load(), once per catalog view and table.
 */

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.catalog.TxnContext;

/** ANALYZE's column statistics and their reading; see the design notes. */
public final class ColumnStatistics {
    private ColumnStatistics() {
    }

    /** default_statistics_target. */
    static final int TARGET = 100;
    private static final int SAMPLE = 300 * TARGET;

    /** One column's statistics (values typed as the column). */
    public record Stats(float nullFrac, int width, float nDistinct, Object[] mcv, float[] mcvFreqs,
            Object[] histogram, Float correlation) {

        /** The distinct values of the column in a table of {@code rows} rows. */
        double distinct(double rows) {
            return nDistinct >= 0 ? nDistinct : -nDistinct * rows;
        }

        double mcvTotal() {
            double s = 0;
            for (float f : mcvFreqs) {
                s += f;
            }
            return s;
        }
    }

    /** Scans the table: its live rows and a random sample of them (deformed, detoasted). */
    record Sample(long live, List<Object[]> rows) {
    }

    static Sample sample(ExecState ex, Relation r) {
        int[] types = Scans.types(r);
        List<Object[]> rows = new ArrayList<>();
        long n = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try (HeapScan s = ex.heap.scan(r.ref(), ex.txn.snapshot(), true)) {
            for (HeapTuple t = s.next(); t != null; t = s.next()) {
                n++;
                ex.tick();
                if (rows.size() < SAMPLE) {
                    rows.add(Scans.toRow(ex, r, types, t));
                } else {
                    long k = rnd.nextLong(n);
                    if (k < SAMPLE) {
                        rows.set((int) k, Scans.toRow(ex, r, types, t));
                    }
                }
            }
        }
        return new Sample(n, rows);
    }

    /**
     * ANALYZE of {@code r}: counts its live rows, computes each column's statistics from a sample and replaces
     * its pg_statistic rows. Returns the live row count.
     */
    static long analyze(ExecState ex, TxnContext tx, CatalogStore store, TypeSystem ts, Relation r) {
        Sample s = sample(ex, r);
        store.ensureStorage(SysTable.PG_STATISTIC, tx.snapshot());
        for (CatalogStore.Row old : store.scan(SysTable.PG_STATISTIC, tx.snapshot())) {
            if (((Number) old.get(SysTable.PG_STATISTIC, "starelid")).intValue() == r.oid()) {
                store.delete(SysTable.PG_STATISTIC, old.tid(), tx);
            }
        }
        for (Relation.Column c : r.columns()) {
            if (c.dropped()) {
                continue;
            }
            Object[] row = compute(ex, ts, r, c, s);
            if (row != null) {
                store.insert(SysTable.PG_STATISTIC, row, tx);
            }
        }
        tx.catalogChanged();
        return s.live();
    }

    /** A pg_statistic row for one column of the sample, or null when the sample is empty. */
    private static Object[] compute(ExecState ex, TypeSystem ts, Relation r, Relation.Column c, Sample s) {
        int rows = s.rows().size();
        if (rows == 0) {
            return null;
        }
        int type = c.type();
        int col = c.attnum() - 1;
        List<Object> values = new ArrayList<>();
        long width = 0;
        for (int i = 0; i < rows; i++) {
            Object v = s.rows().get(i)[col];
            if (v != null) {
                values.add(v);
                width += width(type, v, ts, ex);
            }
        }
        int nonNull = values.size();
        float nullFrac = (float) (rows - nonNull) / rows;
        int avgWidth = nonNull == 0 ? 0 : (int) Math.round((double) width / nonNull);
        if (nonNull == 0) {
            return new Object[] {r.oid(), (short) c.attnum(), false, nullFrac, avgWidth, 0f, null, null, null,
                    null};
        }
        // group equal values (the type's equality) and count them
        Map<Object, int[]> counts = new HashMap<>();
        Map<Object, Object> firstValue = new HashMap<>();
        for (Object v : values) {
            Object key = ex.types.hashKey(type, v);
            counts.computeIfAbsent(key, k -> new int[1])[0]++;
            firstValue.putIfAbsent(key, v);
        }
        int d = counts.size();
        int f1 = 0;
        for (int[] n : counts.values()) {
            f1 += n[0] == 1 ? 1 : 0;
        }
        double totalRows = Math.max(s.live(), rows);
        double distinct;
        if (f1 == nonNull) {
            distinct = -1.0 * (1.0 - nullFrac); // every value unique
        } else {
            if (rows >= s.live() || f1 == 0) {
                distinct = d;
            } else {
                double n = nonNull;
                double bigN = totalRows * (1.0 - nullFrac);
                distinct = n * d / ((n - f1) + f1 * n / bigN);
                distinct = Math.max(d, Math.min(distinct, bigN));
                distinct = Math.floor(distinct + 0.5);
            }
            if (distinct > 0.1 * totalRows) {
                distinct = -(distinct / totalRows);
            }
        }
        // most common values
        List<Map.Entry<Object, int[]>> repeated = new ArrayList<>();
        for (Map.Entry<Object, int[]> e : counts.entrySet()) {
            if (e.getValue()[0] > 1) {
                repeated.add(e);
            }
        }
        repeated.sort((a, b) -> {
            int byCount = Integer.compare(b.getValue()[0], a.getValue()[0]);
            if (byCount != 0) {
                return byCount;
            }
            try { // equally common values in the type's order, as PostgreSQL's lists read
                return ex.types.compare(type, firstValue.get(a.getKey()), firstValue.get(b.getKey()));
            } catch (RuntimeException e) {
                return 0;
            }
        });
        List<Map.Entry<Object, int[]>> mcv = new ArrayList<>();
        if (repeated.size() == d && distinct > 0 && d <= TARGET) {
            mcv.addAll(repeated);
        } else {
            double est = distinct > 0 ? distinct : -distinct * totalRows;
            double avg = nonNull / Math.max(1.0, Math.min(est, nonNull));
            double min = Math.max(2, avg * 1.25);
            for (Map.Entry<Object, int[]> e : repeated) {
                if (e.getValue()[0] >= min && mcv.size() < TARGET) {
                    mcv.add(e);
                }
            }
        }
        Object[] mcvVals = new Object[mcv.size()];
        float[] freqs = new float[mcv.size()];
        java.util.Set<Object> inMcv = new java.util.HashSet<>();
        for (int i = 0; i < mcv.size(); i++) {
            mcvVals[i] = firstValue.get(mcv.get(i).getKey());
            freqs[i] = (float) mcv.get(i).getValue()[0] / rows;
            inMcv.add(mcv.get(i).getKey());
        }
        // histogram of the other values, and the correlation of value order with physical order
        Object[] hist = null;
        Float correlation = null;
        try {
            Integer[] order = new Integer[nonNull];
            for (int i = 0; i < nonNull; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> ex.types.compare(type, values.get(a), values.get(b)));
            correlation = correlation(order);
            List<Object> rest = new ArrayList<>();
            for (Integer i : order) {
                Object v = values.get(i);
                if (!inMcv.contains(ex.types.hashKey(type, v))) {
                    rest.add(v);
                }
            }
            int restDistinct = d - mcv.size();
            int bins = Math.min(TARGET + 1, restDistinct);
            if (bins >= 2) {
                hist = new Object[bins];
                for (int i = 0; i < bins; i++) {
                    hist[i] = rest.get((int) ((long) i * (rest.size() - 1) / (bins - 1)));
                }
            }
        } catch (RuntimeException e) {
            // a type without an ordering: no histogram, no correlation (as PostgreSQL's compute_distinct_stats)
        }
        return new Object[] {r.oid(), (short) c.attnum(), false, nullFrac, avgWidth, (float) distinct,
                mcvVals.length == 0 ? null : arrayText(ts, ex, type, mcvVals),
                freqs.length == 0 ? null : floatsText(ts, ex, freqs),
                hist == null ? null : arrayText(ts, ex, type, hist), correlation};
    }

    /**
     * The correlation of the values' order with their order in the sample (PostgreSQL's: rank i holds the
     * value read i-th from the table when the two orders agree, giving 1; the sums are exact integers).
     */
    private static Float correlation(Integer[] order) {
        int n = order.length;
        if (n < 2) {
            return n == 1 ? 1f : null;
        }
        double xsum = 0;
        double x2sum = 0;
        double xysum = 0;
        for (int rank = 0; rank < n; rank++) {
            xsum += rank;
            x2sum += (double) rank * rank;
            xysum += (double) rank * order[rank];
        }
        return (float) ((n * xysum - xsum * xsum) / (n * x2sum - xsum * xsum));
    }

    /** The stored width of a value: the type's length, or a varlena's bytes with its header. */
    private static long width(int type, Object v, TypeSystem ts, ExecState ex) {
        int fixed = DdlExecutor.typlen(type);
        if (fixed > 0) {
            return fixed;
        }
        int bytes;
        if (v instanceof String str) {
            bytes = str.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        } else if (v instanceof byte[] b) {
            bytes = b.length;
        } else {
            bytes = ts.outputText(type, v, ex).length();
        }
        return bytes + (bytes < 127 ? 1 : 4);
    }

    private static String arrayText(TypeSystem ts, ExecState ex, int type, Object[] vals) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < vals.length; i++) {
            sb.append(i == 0 ? "" : ",").append(element(ts.outputText(type, vals[i], ex)));
        }
        return sb.append('}').toString();
    }

    private static String floatsText(TypeSystem ts, ExecState ex, float[] vals) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < vals.length; i++) {
            sb.append(i == 0 ? "" : ",").append(ts.outputText(700, vals[i], ex));
        }
        return sb.append('}').toString();
    }

    /** An array element as PostgreSQL's array output writes it (quoted when it must be). */
    private static String element(String s) {
        boolean quote = s.isEmpty() || s.equalsIgnoreCase("null");
        for (int i = 0; i < s.length() && !quote; i++) {
            char ch = s.charAt(i);
            quote = ch == ',' || ch == '{' || ch == '}' || ch == '"' || ch == '\\' || Character.isWhitespace(ch);
        }
        if (!quote) {
            return s;
        }
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * The statistics of the columns of a table by attnum, read from the catalog view's pg_statistic rows; empty
     * when the table was never analyzed.
     */
    static Map<Integer, Stats> load(CatalogView cat, TypeSystem ts, Relation r) {
        Map<Integer, Stats> out = new HashMap<>();
        List<CatalogStore.Row> rows = cat.rows(SysTable.PG_STATISTIC);
        if (rows == null) {
            return out;
        }
        SysTable t = SysTable.PG_STATISTIC;
        for (CatalogStore.Row row : rows) {
            if (((Number) row.get(t, "starelid")).intValue() != r.oid()) {
                continue;
            }
            int attnum = ((Number) row.get(t, "staattnum")).intValue();
            if (attnum < 1 || attnum > r.natts()) {
                continue;
            }
            Relation.Column c = r.columns().get(attnum - 1);
            try {
                Object[] mcv = values(ts, c.type(), (String) row.get(t, "stamcvals"));
                Object[] freqObjs = values(ts, 700, (String) row.get(t, "stamcfreqs"));
                float[] freqs = new float[freqObjs.length];
                for (int i = 0; i < freqs.length; i++) {
                    freqs[i] = ((Number) freqObjs[i]).floatValue();
                }
                Object[] hist = values(ts, c.type(), (String) row.get(t, "stahistogram"));
                out.put(attnum, new Stats((Float) row.get(t, "stanullfrac"), (Integer) row.get(t, "stawidth"),
                        (Float) row.get(t, "stadistinct"), mcv, freqs, hist.length == 0 ? null : hist,
                        (Float) row.get(t, "stacorrelation")));
            } catch (RuntimeException e) {
                // a column whose type changed since: no statistics until the next ANALYZE
            }
        }
        return out;
    }

    private static Object[] values(TypeSystem ts, int type, String text) {
        if (text == null) {
            return new Object[0];
        }
        modgres.sql.types.Type t = modgres.sql.types.Types.byOid(type);
        if (t == null || t.arrayOid() == 0) {
            return new Object[0];
        }
        return ((modgres.sql.types.PgArray) ts.input(t.arrayOid(), -1, text, null)).values();
    }
}
