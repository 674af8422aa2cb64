package modgres.sql.ast;

import java.util.List;

/**
 * A window: in a WINDOW clause ({@code name AS (...)}) or after OVER.
 * {@code OVER w} has {@code name = w} and nothing else; {@code OVER (w ORDER
 * BY x)} has {@code refName = w}.
 */
public record WindowDef(int position, String name, String refName, List<Expr> partitionBy, List<SortBy> orderBy,
        Frame frame) implements Node {

    public WindowDef {
        partitionBy = List.copyOf(partitionBy);
        orderBy = List.copyOf(orderBy);
    }

    public enum FrameMode { RANGE, ROWS, GROUPS }

    public enum BoundKind { UNBOUNDED_PRECEDING, PRECEDING, CURRENT_ROW, FOLLOWING, UNBOUNDED_FOLLOWING }

    public enum Exclusion { NONE, CURRENT_ROW, GROUP, TIES, NO_OTHERS }

    /** One end of a frame; offset for PRECEDING and FOLLOWING. */
    public record Bound(BoundKind kind, Expr offset) {
    }

    /** The frame clause; end null when written without BETWEEN. */
    public record Frame(FrameMode mode, Bound start, Bound end, Exclusion exclusion) {
    }

    public WindowDef withName(String newName) {
        return new WindowDef(position, newName, refName, partitionBy, orderBy, frame);
    }
}
