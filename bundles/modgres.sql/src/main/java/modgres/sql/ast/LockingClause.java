package modgres.sql.ast;

import java.util.List;

/** {@code FOR UPDATE|NO KEY UPDATE|SHARE|KEY SHARE [OF t, ...] [NOWAIT|SKIP LOCKED]}. */
public record LockingClause(Strength strength, List<RangeVar> of, WaitPolicy waitPolicy) {
    public LockingClause {
        of = List.copyOf(of);
    }

    public enum Strength {
        UPDATE("FOR UPDATE"), NO_KEY_UPDATE("FOR NO KEY UPDATE"), SHARE("FOR SHARE"), KEY_SHARE("FOR KEY SHARE");

        public final String sql;

        Strength(String sql) {
            this.sql = sql;
        }
    }

    public enum WaitPolicy { BLOCK, NOWAIT, SKIP_LOCKED }
}
