package modgres.sql.ast;

import java.util.List;

/**
 * {@code ON CONFLICT [(index elems) [WHERE pred] | ON CONSTRAINT name]
 * DO NOTHING | DO UPDATE SET ... [WHERE cond]}.
 */
public record OnConflict(int position, List<IndexElem> inferElems, Expr inferWhere, String constraint,
        boolean doUpdate, List<SetClause> set, Expr where) implements Node {
    public OnConflict {
        inferElems = List.copyOf(inferElems);
        set = List.copyOf(set);
    }
}
