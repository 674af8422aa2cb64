package modgres.sql.ast;

import java.util.List;

/** {@code PARTITION BY strategy (keys)} of CREATE TABLE; strategy lower case (range, list, hash). */
public record PartitionSpec(int position, String strategy, List<IndexElem> keys) implements Node {
    public PartitionSpec {
        keys = List.copyOf(keys);
    }
}
