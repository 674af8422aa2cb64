package modgres.sql.ast;

import java.util.List;

/** One action of ALTER TABLE (and ALTER INDEX / SEQUENCE / VIEW). */
public sealed interface AlterTableCmd extends Node {

    /** {@code ADD [COLUMN] [IF NOT EXISTS] coldef}. */
    record AddColumn(int position, boolean ifNotExists, ColumnDef column) implements AlterTableCmd {
    }

    /** {@code DROP [COLUMN] [IF EXISTS] name [CASCADE|RESTRICT]}. */
    record DropColumn(int position, boolean ifExists, String column, DropBehavior behavior) implements AlterTableCmd {
    }

    /** {@code ALTER [COLUMN] c SET DEFAULT expr} or, with expr null, {@code DROP DEFAULT}. */
    record ColumnDefault(int position, String column, Expr expr) implements AlterTableCmd {
    }

    /** {@code ALTER [COLUMN] c SET NOT NULL} (set) or {@code DROP NOT NULL}. */
    record ColumnNotNull(int position, String column, boolean set) implements AlterTableCmd {
    }

    /** {@code ALTER [COLUMN] c [SET DATA] TYPE t [COLLATE x] [USING expr]}; using may be null. */
    record ColumnType(int position, String column, TypeName type, List<String> collation, Expr using)
            implements AlterTableCmd {
        public ColumnType {
            collation = List.copyOf(collation);
        }
    }

    /** {@code ALTER [COLUMN] c SET STATISTICS n}. */
    record ColumnStatistics(int position, String column, Expr target) implements AlterTableCmd {
    }

    /** {@code ALTER [COLUMN] c SET STORAGE s} / {@code SET COMPRESSION m} (compression true). */
    record ColumnStorage(int position, String column, String value, boolean compression) implements AlterTableCmd {
    }

    /** {@code ALTER [COLUMN] c SET (opts)} or {@code RESET (opts)}. */
    record ColumnOptions(int position, String column, List<DefElem> options, boolean reset) implements AlterTableCmd {
        public ColumnOptions {
            options = List.copyOf(options);
        }
    }

    /** {@code ALTER [COLUMN] c ADD GENERATED ... AS IDENTITY [(opts)]}. */
    record AddIdentity(int position, String column, Constraint identity) implements AlterTableCmd {
    }

    /**
     * {@code ALTER [COLUMN] c SET GENERATED {ALWAYS|BY DEFAULT}} / {@code RESTART [WITH n]} /
     * {@code SET sequence_option}: each as an option ("generated" = always|by default, "restart", ...).
     */
    record SetIdentity(int position, String column, List<DefElem> options) implements AlterTableCmd {
        public SetIdentity {
            options = List.copyOf(options);
        }
    }

    /** {@code ALTER [COLUMN] c DROP IDENTITY [IF EXISTS]} / {@code DROP EXPRESSION [IF EXISTS]} (expression true). */
    record DropIdentity(int position, String column, boolean ifExists, boolean expression) implements AlterTableCmd {
    }

    /** {@code ADD table_constraint [NOT VALID]}. */
    record AddConstraint(int position, Constraint constraint) implements AlterTableCmd {
    }

    /** {@code DROP CONSTRAINT [IF EXISTS] name [CASCADE|RESTRICT]}. */
    record DropConstraint(int position, boolean ifExists, String name, DropBehavior behavior)
            implements AlterTableCmd {
    }

    /** {@code ALTER CONSTRAINT name [NOT] DEFERRABLE [INITIALLY ...]}. */
    record AlterConstraint(int position, String name, Constraint.Attributes attrs) implements AlterTableCmd {
    }

    /** {@code VALIDATE CONSTRAINT name}. */
    record ValidateConstraint(int position, String name) implements AlterTableCmd {
    }

    /** {@code SET (storage parameters)} or {@code RESET (names)}. */
    record SetOptions(int position, List<DefElem> options, boolean reset) implements AlterTableCmd {
        public SetOptions {
            options = List.copyOf(options);
        }
    }

    /** {@code OWNER TO role}. */
    record OwnerTo(int position, RoleSpec owner) implements AlterTableCmd {
    }

    /** {@code SET TABLESPACE name}. */
    record SetTablespace(int position, String tablespace) implements AlterTableCmd {
    }

    /** Actions that are a fixed phrase and at most one name. */
    enum SimpleKind {
        SET_LOGGED("SET LOGGED"), SET_UNLOGGED("SET UNLOGGED"), SET_WITHOUT_OIDS("SET WITHOUT OIDS"),
        SET_WITHOUT_CLUSTER("SET WITHOUT CLUSTER"), CLUSTER_ON("CLUSTER ON"),
        ENABLE_TRIGGER("ENABLE TRIGGER"), ENABLE_ALWAYS_TRIGGER("ENABLE ALWAYS TRIGGER"),
        ENABLE_REPLICA_TRIGGER("ENABLE REPLICA TRIGGER"), DISABLE_TRIGGER("DISABLE TRIGGER"),
        ENABLE_RULE("ENABLE RULE"), ENABLE_ALWAYS_RULE("ENABLE ALWAYS RULE"),
        ENABLE_REPLICA_RULE("ENABLE REPLICA RULE"), DISABLE_RULE("DISABLE RULE"),
        INHERIT("INHERIT"), NO_INHERIT("NO INHERIT"), OF("OF"), NOT_OF("NOT OF"),
        ENABLE_RLS("ENABLE ROW LEVEL SECURITY"), DISABLE_RLS("DISABLE ROW LEVEL SECURITY"),
        FORCE_RLS("FORCE ROW LEVEL SECURITY"), NO_FORCE_RLS("NO FORCE ROW LEVEL SECURITY"),
        REPLICA_IDENTITY_DEFAULT("REPLICA IDENTITY DEFAULT"), REPLICA_IDENTITY_FULL("REPLICA IDENTITY FULL"),
        REPLICA_IDENTITY_NOTHING("REPLICA IDENTITY NOTHING"),
        REPLICA_IDENTITY_INDEX("REPLICA IDENTITY USING INDEX"), SET_ACCESS_METHOD("SET ACCESS METHOD");

        public final String sql;

        SimpleKind(String sql) {
            this.sql = sql;
        }
    }

    /**
     * A fixed-phrase action with an optional name: the trigger, rule, index,
     * parent table or type it concerns ({@code ALL} and {@code USER} for
     * triggers are the names "ALL" and "USER" in upper case), or null.
     */
    record Simple(int position, SimpleKind kind, List<String> name) implements AlterTableCmd {
        public Simple {
            name = name == null ? null : List.copyOf(name);
        }
    }

    /** {@code ATTACH PARTITION t bound}. */
    record AttachPartition(int position, RangeVar partition, PartitionBound bound) implements AlterTableCmd {
    }

    /** {@code DETACH PARTITION t [CONCURRENTLY | FINALIZE]}. */
    record DetachPartition(int position, RangeVar partition, boolean concurrently, boolean finalizeDetach)
            implements AlterTableCmd {
    }
}
