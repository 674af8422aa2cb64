package modgres.api.access;

/** The row lock strengths of {@code SELECT ... FOR ...} ({@code LockTupleMode}), weakest first. */
public enum RowLockMode {
    KEY_SHARE, SHARE, NO_KEY_EXCLUSIVE, EXCLUSIVE
}
