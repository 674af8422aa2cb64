package modgres.sql.ast;

import java.util.List;

/** An element of CREATE TABLE's parenthesised list. */
public sealed interface TableElement extends Node permits ColumnDef, Constraint, TableElement.Like {

    /** {@code INCLUDING|EXCLUDING what} of a LIKE element; what is upper case (DEFAULTS, ALL...). */
    record LikeOption(boolean including, String what) {
    }

    /** {@code LIKE source [INCLUDING ... | EXCLUDING ...]}. */
    record Like(int position, RangeVar source, List<LikeOption> options) implements TableElement {
        public Like {
            options = List.copyOf(options);
        }
    }
}
