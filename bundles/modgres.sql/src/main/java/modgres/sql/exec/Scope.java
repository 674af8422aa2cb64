package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;

/**
 * The names visible to an expression: the FROM items of a query level
 * (PostgreSQL's range table), each with its columns at an offset of the row
 * the level's plan produces, and the enclosing query's scope for correlated
 * subqueries.
 */
public final class Scope {

    /** One FROM item: its name (alias or table name), its columns and where they start in the row. */
    public record Entry(String name, List<OutCol> cols, int offset) {
    }

    /** A resolved column: how many levels up (0 = this one), its index in that level's row, and the column. */
    public record Ref(int depth, int index, OutCol col) {
    }

    final List<Entry> entries = new ArrayList<>();
    final Scope parent;
    int width;

    public Scope(Scope parent) {
        this.parent = parent;
    }

    public Entry add(String name, List<OutCol> cols) {
        Entry e = new Entry(name, cols, width);
        entries.add(e);
        width += cols.size();
        return e;
    }

    /** Table names hidden by an alias (FROM t AS x): name -> alias, for PostgreSQL's hint. */
    final java.util.Map<String, String> aliased = new java.util.HashMap<>();

    public void aliasOf(String table, String alias) {
        if (table != null && alias != null && !table.equals(alias)) {
            aliased.put(table, alias);
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    public Scope parent() {
        return parent;
    }

    public int width() {
        return width;
    }

    public Entry entry(String name) {
        Entry found = null;
        for (Entry e : entries) {
            if (e.name() != null && e.name().equals(name)) {
                if (found != null) {
                    throw new PgException("42P09", "table reference \"" + name + "\" is ambiguous");
                }
                found = e;
            }
        }
        return found;
    }

    /** Resolves a column reference ({@code a}, {@code t.a}, {@code s.t.a}). */
    public Ref resolve(List<String> fields, int position) {
        int depth = 0;
        for (Scope s = this; s != null; s = s.parent, depth++) {
            Ref r = s.resolveHere(fields, position, depth);
            if (r != null) {
                return r;
            }
        }
        if (fields.size() >= 2) {
            String table = fields.get(fields.size() - 2);
            boolean tableExists = false;
            for (Scope s = this; s != null; s = s.parent) {
                tableExists |= s.hasTable(table);
            }
            if (!tableExists) {
                for (Scope s = this; s != null; s = s.parent) {
                    String alias = s.aliased.get(table);
                    if (alias != null) {
                        throw new PgException("42P01", "invalid reference to FROM-clause entry for table \"" + table
                                + "\"", null, "Perhaps you meant to reference the table alias \"" + alias + "\".",
                                position, null);
                    }
                }
                throw new PgException("42P01", "missing FROM-clause entry for table \"" + table + "\"", null, null,
                        position, null);
            }
            throw new PgException("42703", "column " + table + "." + fields.get(fields.size() - 1)
                    + " does not exist", null, null, position, null);
        }
        throw new PgException("42703", "column \"" + fields.get(0) + "\" does not exist", null, null, position, null);
    }

    /** True when some FROM item of this level is called {@code name} or has columns qualified by it. */
    boolean hasTable(String name) {
        for (Entry e : entries) {
            if (name.equals(e.name())) {
                return true;
            }
            for (OutCol c : e.cols()) {
                if (name.equals(c.qualifier())) {
                    return true;
                }
            }
        }
        return false;
    }

    private Ref resolveHere(List<String> fields, int position, int depth) {
        String col = fields.get(fields.size() - 1);
        String table = fields.size() >= 2 ? fields.get(fields.size() - 2) : null;
        if (table != null && !hasTable(table)) {
            return null;
        }
        Ref found = null;
        for (Entry e : entries) {
            for (int i = 0; i < e.cols().size(); i++) {
                OutCol c = e.cols().get(i);
                if (!c.name().equals(col) || isDropped(c)) {
                    continue;
                }
                if (table != null && !table.equals(c.qualifier()) && !table.equals(e.name())) {
                    continue;
                }
                if (found != null) {
                    throw new PgException("42702", "column reference \"" + (table == null ? col : table + "." + col)
                            + "\" is ambiguous", null, null, position, null);
                }
                found = new Ref(depth, e.offset() + i, c);
                break;
            }
        }
        if (found == null && table != null) {
            throw new PgException("42703", "column " + table + "." + col + " does not exist", null, null, position,
                    null);
        }
        return found;
    }

    /**
     * A whole-row reference: the visible columns of the FROM item called {@code name} (its alias or table
     * name), searched from this level outwards, as Refs; null when no FROM item has that name.
     */
    public List<Ref> wholeRow(String name) {
        int depth = 0;
        for (Scope s = this; s != null; s = s.parent, depth++) {
            List<Ref> out = new ArrayList<>();
            boolean found = false;
            for (Entry e : s.entries) {
                boolean named = name.equals(e.name());
                for (int i = 0; i < e.cols().size(); i++) {
                    OutCol c = e.cols().get(i);
                    if (named || e.name() == null && name.equals(c.qualifier())) {
                        found = true;
                        if (!c.hidden()) {
                            out.add(new Ref(depth, e.offset() + i, c));
                        }
                    }
                }
                if (named) {
                    break;
                }
            }
            if (found) {
                return out;
            }
        }
        return null;
    }

    private static boolean isDropped(OutCol c) {
        return c.hidden() && c.attnum() > 0;
    }
}
