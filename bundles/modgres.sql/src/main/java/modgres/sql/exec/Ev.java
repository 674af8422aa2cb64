package modgres.sql.exec;

/** A compiled expression: computes a value from the current row. */
@FunctionalInterface
public interface Ev {
    Object eval(Object[] row, ExecState ex);
}
