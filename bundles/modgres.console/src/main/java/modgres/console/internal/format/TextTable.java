package modgres.console.internal.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns aligned with blanks, a header line of capitals, no rules: the look
 * of {@code ps} and Felix's {@code lb}. Trailing blanks are trimmed.
 */
public final class TextTable {

    /** How a column's cells line up. */
    public enum Align {
        LEFT, RIGHT
    }

    private final List<String> headers = new ArrayList<>();
    private final List<Align> aligns = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    public TextTable column(String header, Align align) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("columns must be declared before rows");
        }
        headers.add(header);
        aligns.add(align);
        return this;
    }

    /** Adds a row; null cells print as empty, missing trailing cells too. */
    public TextTable row(Object... cells) {
        String[] r = new String[headers.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** The table, each line starting with indent and ending with a newline. */
    public String render(String indent) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, indent, headers.toArray(new String[0]), width);
        for (String[] r : rows) {
            line(sb, indent, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String indent, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                l.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            if (aligns.get(i) == Align.RIGHT) {
                l.append(pad).append(cells[i]);
            } else {
                l.append(cells[i]).append(pad);
            }
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
