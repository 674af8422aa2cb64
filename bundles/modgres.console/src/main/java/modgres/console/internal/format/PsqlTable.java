package modgres.console.internal.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A table as psql's aligned format prints a query result: centred headers,
 * a {@code ---+---} rule, {@code |} between columns and an {@code (N rows)}
 * footer. Values are left-aligned (the console prints text only).
 */
public final class PsqlTable {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    public PsqlTable(String... headers) {
        this.headers = headers.clone();
    }

    public PsqlTable row(Object... cells) {
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
        return this;
    }

    public String render() {
        int[] width = new int[headers.length];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < headers.length; i++) {
            if (i > 0) {
                l.append('|');
            }
            int room = width[i] - headers[i].length();
            int left = room / 2;
            l.append(' ').append(" ".repeat(left)).append(headers[i]).append(" ".repeat(room - left)).append(' ');
        }
        sb.append(l.toString().stripTrailing()).append('\n');
        for (int i = 0; i < headers.length; i++) {
            if (i > 0) {
                sb.append('+');
            }
            sb.append("-".repeat(width[i] + 2));
        }
        sb.append('\n');
        for (String[] r : rows) {
            l.setLength(0);
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    l.append('|');
                }
                l.append(' ').append(r[i]).append(" ".repeat(width[i] - r[i].length())).append(' ');
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
        sb.append(rows.size() == 1 ? "(1 row)" : "(" + rows.size() + " rows)").append('\n');
        return sb.toString();
    }
}
