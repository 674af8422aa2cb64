package modgres.api.sql;

import java.util.List;

/**
 * What Describe (statement) returns: ParameterDescription and RowDescription
 * (or NoData when {@code columns} is null: the statement returns no rows).
 */
public record StatementDescription(int[] parameterTypes, List<ColumnDescriptor> columns) {
}
