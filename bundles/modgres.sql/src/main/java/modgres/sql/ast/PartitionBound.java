package modgres.sql.ast;

import java.util.List;

/**
 * The bound of a partition: {@code DEFAULT}, {@code FOR VALUES IN (...)},
 * {@code FOR VALUES FROM (...) TO (...)} or
 * {@code FOR VALUES WITH (MODULUS m, REMAINDER r)}.
 */
public record PartitionBound(int position, Strategy strategy, List<Expr> listValues, List<Expr> from,
        List<Expr> to, int modulus, int remainder) implements Node {
    public PartitionBound {
        listValues = List.copyOf(listValues);
        from = List.copyOf(from);
        to = List.copyOf(to);
    }

    public enum Strategy { DEFAULT, LIST, RANGE, HASH }
}
