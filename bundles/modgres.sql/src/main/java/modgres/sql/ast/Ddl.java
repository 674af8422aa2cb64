package modgres.sql.ast;

import java.util.List;

/** Statements that define, change or remove objects, and privileges and comments on them. */
public sealed interface Ddl extends Statement {

    /**
     * {@code CREATE TYPE name AS (attr type [COLLATE c], ...)} (composite, {@code enumLabels} null) or
     * {@code CREATE TYPE name AS ENUM ('label', ...)} (enum, {@code attrNames}/{@code attrTypes} empty).
     */
    record CreateType(int position, List<String> name, List<String> attrNames, List<TypeName> attrTypes,
            List<String> enumLabels) implements Ddl {
        public CreateType {
            attrNames = List.copyOf(attrNames);
            attrTypes = List.copyOf(attrTypes);
            enumLabels = enumLabels == null ? null : List.copyOf(enumLabels);
        }
    }

    /** {@code ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label' [BEFORE|AFTER 'neighbor']}. */
    record AlterTypeAddValue(int position, List<String> name, boolean ifNotExists, String label, String neighbor,
            boolean after) implements Ddl {
    }

    /**
     * {@code CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] name (elements)
     * [INHERITS (...)] [PARTITION BY ...] [USING am] [WITH (...)] [ON COMMIT ...]
     * [TABLESPACE t]}, also {@code PARTITION OF parent [(...)] bound} and
     * {@code OF type}.
     *
     * @param partitionBy   null when not partitioned
     * @param partitionOf   the parent of a partition, or null
     * @param bound         the partition bound with partitionOf, else null
     * @param ofType        the type of a typed table, or null
     */
    record CreateTable(int position, RangeVar relation, IntoClause.Persistence persistence, boolean ifNotExists,
            List<TableElement> elements, List<RangeVar> inherits, PartitionSpec partitionBy,
            RangeVar partitionOf, PartitionBound bound, TypeName ofType, String accessMethod,
            List<DefElem> options, IntoClause.OnCommit onCommit, String tablespace) implements Ddl {
        public CreateTable {
            elements = List.copyOf(elements);
            inherits = List.copyOf(inherits);
            options = List.copyOf(options);
        }
    }

    /**
     * {@code CREATE [TEMP] TABLE [IF NOT EXISTS] name [(cols)] ... AS query
     * [WITH [NO] DATA]} and {@code CREATE MATERIALIZED VIEW}; query is a
     * SelectStmt or a {@link Utility.Execute}.
     */
    record CreateTableAs(int position, IntoClause into, boolean ifNotExists, boolean materialized,
            Statement query, boolean withData) implements Ddl {
    }

    /** {@code REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]}. */
    record RefreshMaterializedView(int position, boolean concurrently, RangeVar relation, boolean withData)
            implements Ddl {
    }

    /**
     * {@code ALTER TABLE|INDEX|SEQUENCE|VIEW|MATERIALIZED VIEW|FOREIGN TABLE
     * [IF EXISTS] [ONLY] name action, ...}.
     */
    record AlterTable(int position, ObjectType objectType, boolean ifExists, RangeVar relation,
            List<AlterTableCmd> commands) implements Ddl {
        public AlterTable {
            commands = List.copyOf(commands);
        }
    }

    /**
     * {@code ALTER ... RENAME ...}: a relation (relation non-null), a column or
     * constraint of one (subname), or another object by name (object).
     *
     * @param renameType   what is renamed (TABLE, COLUMN, TABLE_CONSTRAINT, SCHEMA...)
     * @param relationType the kind of relation named, when relation is non-null
     */
    record Rename(int position, ObjectType renameType, ObjectType relationType, RangeVar relation,
            List<String> object, String subname, String newName, boolean ifExists) implements Ddl {
        public Rename {
            object = object == null ? null : List.copyOf(object);
        }
    }

    /** {@code ALTER TABLE|SEQUENCE|VIEW ... [IF EXISTS] name SET SCHEMA s}. */
    record AlterObjectSchema(int position, ObjectType objectType, RangeVar relation, boolean ifExists,
            String newSchema) implements Ddl {
    }

    /** {@code ALTER SCHEMA|DATABASE name OWNER TO role}. */
    record AlterOwner(int position, ObjectType objectType, List<String> object, RoleSpec owner) implements Ddl {
        public AlterOwner {
            object = List.copyOf(object);
        }
    }

    /**
     * {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON
     * [ONLY] table [USING method] (elems) [INCLUDE (...)] [NULLS [NOT]
     * DISTINCT] [WITH (...)] [TABLESPACE t] [WHERE pred]}.
     *
     * @param name null when not given
     */
    record CreateIndex(int position, boolean unique, boolean concurrently, boolean ifNotExists, String name,
            RangeVar relation, String accessMethod, List<IndexElem> elements, List<IndexElem> include,
            boolean nullsNotDistinct, List<DefElem> options, String tablespace, Expr where) implements Ddl {
        public CreateIndex {
            elements = List.copyOf(elements);
            include = List.copyOf(include);
            options = List.copyOf(options);
        }
    }

    /** {@code DROP type [CONCURRENTLY] [IF EXISTS] objects [CASCADE|RESTRICT]}. */
    record Drop(int position, ObjectType objectType, boolean concurrently, boolean ifExists,
            List<ObjectRef> objects, DropBehavior behavior) implements Ddl {
        public Drop {
            objects = List.copyOf(objects);
        }
    }

    /**
     * {@code CREATE SCHEMA [IF NOT EXISTS] [name] [AUTHORIZATION role] [elements]};
     * name null when only the role is given.
     */
    record CreateSchema(int position, String name, RoleSpec authorization, boolean ifNotExists,
            List<Statement> elements) implements Ddl {
        public CreateSchema {
            elements = List.copyOf(elements);
        }
    }

    /** {@code CREATE [TEMP|UNLOGGED] SEQUENCE [IF NOT EXISTS] name [options]}. */
    record CreateSequence(int position, RangeVar relation, IntoClause.Persistence persistence, boolean ifNotExists,
            List<DefElem> options) implements Ddl {
        public CreateSequence {
            options = List.copyOf(options);
        }
    }

    /** {@code ALTER SEQUENCE [IF EXISTS] name options}. */
    record AlterSequence(int position, RangeVar relation, boolean ifExists, List<DefElem> options) implements Ddl {
        public AlterSequence {
            options = List.copyOf(options);
        }
    }

    enum CheckOption { NONE, LOCAL, CASCADED }

    /**
     * {@code CREATE [OR REPLACE] [TEMP] [RECURSIVE] VIEW name [(cols)] [WITH (...)]
     * AS query [WITH [CASCADED|LOCAL] CHECK OPTION]}.
     */
    record CreateView(int position, RangeVar relation, boolean orReplace, IntoClause.Persistence persistence,
            boolean recursive, List<String> columns, List<DefElem> options, SelectStmt query,
            CheckOption checkOption) implements Ddl {
        public CreateView {
            columns = List.copyOf(columns);
            options = List.copyOf(options);
        }
    }

    /** {@code TRUNCATE [TABLE] [ONLY] t, ... [RESTART|CONTINUE IDENTITY] [CASCADE|RESTRICT]}. */
    record Truncate(int position, List<RangeVar> relations, boolean restartIdentity, DropBehavior behavior)
            implements Ddl {
        public Truncate {
            relations = List.copyOf(relations);
        }
    }

    /** {@code CREATE DATABASE name [WITH] [option [=] value ...]}. */
    record CreateDatabase(int position, String name, List<DefElem> options) implements Ddl {
        public CreateDatabase {
            options = List.copyOf(options);
        }
    }

    /** {@code ALTER DATABASE name [WITH] options} or {@code ALTER DATABASE name SET/RESET ...} (set non-null). */
    record AlterDatabase(int position, String name, List<DefElem> options, Utility.VariableSet set)
            implements Ddl {
        public AlterDatabase {
            options = List.copyOf(options);
        }
    }

    /** {@code DROP DATABASE [IF EXISTS] name [[WITH] (FORCE)]}. */
    record DropDatabase(int position, String name, boolean ifExists, boolean force) implements Ddl {
    }

    enum RoleKind { ROLE, USER, GROUP }

    /**
     * {@code CREATE ROLE|USER|GROUP name [WITH] options}: options named as
     * PostgreSQL names them (superuser, canlogin, password, connectionlimit,
     * validUntil, inherit, createdb, createrole, isreplication, bypassrls,
     * addroleto, rolemembers, adminmembers, sysid).
     */
    record CreateRole(int position, RoleKind kind, String name, List<DefElem> options) implements Ddl {
        public CreateRole {
            options = List.copyOf(options);
        }
    }

    /** {@code ALTER ROLE|USER role [WITH] options}. */
    record AlterRole(int position, RoleKind kind, RoleSpec role, List<DefElem> options) implements Ddl {
        public AlterRole {
            options = List.copyOf(options);
        }
    }

    /** {@code ALTER ROLE|USER role|ALL [IN DATABASE d] SET/RESET ...}; role null for ALL. */
    record AlterRoleSet(int position, RoleSpec role, String database, Utility.VariableSet set) implements Ddl {
    }

    /** {@code DROP ROLE|USER|GROUP [IF EXISTS] names}. */
    record DropRole(int position, RoleKind kind, boolean ifExists, List<RoleSpec> roles) implements Ddl {
        public DropRole {
            roles = List.copyOf(roles);
        }
    }

    /** A privilege of GRANT/REVOKE, with columns (possibly empty); name null for {@code ALL (cols)}. */
    record Privilege(String name, List<String> columns) {
        public Privilege {
            columns = List.copyOf(columns);
        }
    }

    /**
     * {@code GRANT privileges ON [type] objects TO grantees [WITH GRANT OPTION]
     * [GRANTED BY r]} and {@code REVOKE [GRANT OPTION FOR] ... FROM ...
     * [CASCADE|RESTRICT]}.
     *
     * @param privileges  null for ALL [PRIVILEGES]
     * @param allInSchema {@code ALL TABLES|SEQUENCES|FUNCTIONS IN SCHEMA s, ...}
     * @param grantOption WITH GRANT OPTION, or for REVOKE, GRANT OPTION FOR
     */
    record Grant(int position, boolean grant, List<Privilege> privileges, ObjectType objectType,
            boolean allInSchema, List<ObjectRef> objects, List<RoleSpec> grantees, boolean grantOption,
            RoleSpec grantedBy, DropBehavior behavior) implements Ddl {
        public Grant {
            privileges = privileges == null ? null : List.copyOf(privileges);
            objects = List.copyOf(objects);
            grantees = List.copyOf(grantees);
        }
    }

    /** {@code GRANT roles TO grantees [WITH ADMIN OPTION]} / {@code REVOKE [ADMIN OPTION FOR] roles FROM ...}. */
    record GrantRole(int position, boolean grant, List<String> roles, List<RoleSpec> grantees, boolean adminOption,
            RoleSpec grantedBy, DropBehavior behavior) implements Ddl {
        public GrantRole {
            roles = List.copyOf(roles);
            grantees = List.copyOf(grantees);
        }
    }

    /** {@code DROP OWNED BY roles [CASCADE | RESTRICT]}. */
    record DropOwned(int position, List<RoleSpec> roles, DropBehavior behavior) implements Ddl {
        public DropOwned {
            roles = List.copyOf(roles);
        }
    }

    /** {@code REASSIGN OWNED BY roles TO newOwner}. */
    record ReassignOwned(int position, List<RoleSpec> roles, RoleSpec newOwner) implements Ddl {
        public ReassignOwned {
            roles = List.copyOf(roles);
        }
    }

    /** {@code COMMENT ON type object IS 'text' | NULL}; comment null for NULL. */
    record Comment(int position, ObjectType objectType, ObjectRef object, String comment) implements Ddl {
    }

    /** {@code CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]}. */
    record CreateExtension(int position, String name, boolean ifNotExists, List<DefElem> options) implements Ddl {
        public CreateExtension {
            options = List.copyOf(options);
        }
    }

    /**
     * A parameter of CREATE FUNCTION / PROCEDURE: mode 'i' IN, 'o' OUT, 'b' INOUT, 'v' VARIADIC (PostgreSQL's
     * proargmodes letters), name null when not given, default expression or null.
     */
    record FunctionParam(char mode, String name, TypeName type, Expr defaultValue) {
    }

    /**
     * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE name(params) [RETURNS type | RETURNS TABLE(cols)] options
     * AS 'body'}. returns null for a procedure or when OUT parameters give the result; tableColumns non-null for
     * RETURNS TABLE; volatility 'i', 's', 'v'; bodyPosition the 1-based offset of the body string.
     */
    record CreateFunction(int position, boolean orReplace, boolean procedure, List<String> name,
            List<FunctionParam> params, TypeName returns, List<FunctionParam> tableColumns, String language,
            String body, int bodyPosition, char volatility, boolean strict, boolean securityDefiner)
            implements Ddl {
        public CreateFunction {
            name = List.copyOf(name);
            params = List.copyOf(params);
            tableColumns = tableColumns == null ? null : List.copyOf(tableColumns);
        }
    }

    /**
     * {@code CREATE POLICY name ON table [AS PERMISSIVE|RESTRICTIVE] [FOR ALL|SELECT|INSERT|UPDATE|DELETE]
     * [TO roles] [USING (e)] [WITH CHECK (e)]}: command "ALL", "SELECT", ...; roles empty means PUBLIC; using /
     * withCheck null when absent.
     */
    record CreatePolicy(int position, String name, RangeVar table, boolean permissive, String command,
            List<RoleSpec> roles, Expr using, Expr withCheck) implements Ddl {
        public CreatePolicy {
            roles = List.copyOf(roles);
        }
    }

    /**
     * {@code ALTER POLICY name ON table RENAME TO new} (newName set) or {@code ALTER POLICY name ON table
     * [TO roles] [USING (e)] [WITH CHECK (e)]} (roles null when not given).
     */
    record AlterPolicy(int position, String name, RangeVar table, String newName, List<RoleSpec> roles, Expr using,
            Expr withCheck) implements Ddl {
    }

    /**
     * {@code CREATE [OR REPLACE] TRIGGER name BEFORE|AFTER|INSTEAD OF events ON table [FOR EACH ROW|STATEMENT]
     * [WHEN (cond)] EXECUTE FUNCTION f(args)}. timing 'B', 'A', 'I'; events a subset of "INSERT", "UPDATE",
     * "DELETE", "TRUNCATE"; updateColumns the UPDATE OF columns (empty when none); referencing the transition
     * tables, "OLD name" / "NEW name".
     */
    /**
     * {@code CREATE [OR REPLACE] RULE name AS ON SELECT|INSERT|UPDATE|DELETE TO table [WHERE cond] DO
     * [ALSO|INSTEAD] {NOTHING | command | (command; ...)}}: event in upper case; actions empty for NOTHING.
     */
    record CreateRule(int position, boolean orReplace, String name, String event, RangeVar table, Expr where,
            boolean instead, List<Statement> actions) implements Ddl {
        public CreateRule {
            actions = List.copyOf(actions);
        }
    }

    record CreateTrigger(int position, boolean orReplace, String name, char timing, List<String> events,
            List<String> updateColumns, RangeVar table, List<String> referencing, boolean forEachRow, Expr when,
            List<String> function, List<String> args) implements Ddl {
        public CreateTrigger {
            referencing = List.copyOf(referencing);
            events = List.copyOf(events);
            updateColumns = List.copyOf(updateColumns);
            function = List.copyOf(function);
            args = List.copyOf(args);
        }
    }

    /**
     * {@code CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [[CONSTRAINT n] NOT NULL | NULL | CHECK (e)]...}:
     * the constraints in the order written (DEFAULT is one of them, as in PostgreSQL's grammar).
     */
    record CreateDomain(int position, List<String> name, TypeName type, List<String> collation,
            List<Constraint> constraints) implements Ddl {
        public CreateDomain {
            name = List.copyOf(name);
            collation = List.copyOf(collation);
            constraints = List.copyOf(constraints);
        }
    }

    /**
     * {@code ALTER DOMAIN name action}: action one of "SET DEFAULT" (expr), "DROP DEFAULT", "SET NOT NULL",
     * "DROP NOT NULL", "ADD CONSTRAINT" (constraint), "DROP CONSTRAINT" (constraintName, ifExists, behavior),
     * "VALIDATE CONSTRAINT" (constraintName), "RENAME TO" (the new name in constraintName).
     */
    record AlterDomain(int position, List<String> name, String action, Expr defaultExpr, Constraint constraint,
            String constraintName, boolean ifExists, DropBehavior behavior) implements Ddl {
        public AlterDomain {
            name = List.copyOf(name);
        }
    }

    /**
     * {@code CREATE OPERATOR [schema.]op (FUNCTION|PROCEDURE = f, LEFTARG = t, RIGHTARG = t, ...)}: the
     * definition's items as written (names lower-cased), values as DefElem values.
     */
    record CreateOperator(int position, List<String> name, List<DefElem> definition) implements Ddl {
        public CreateOperator {
            name = List.copyOf(name);
            definition = List.copyOf(definition);
        }
    }

    /**
     * {@code DROP OPERATOR [IF EXISTS] op (left|NONE, right), ... [CASCADE|RESTRICT]}: each operator's name
     * (possibly qualified) and its argument types (null for NONE).
     */
    record DropOperator(int position, boolean ifExists, List<OperatorWithArgs> operators, DropBehavior behavior)
            implements Ddl {
        public DropOperator {
            operators = List.copyOf(operators);
        }
    }

    /** An operator named with its argument types ({@code +(int4, int4)}, {@code -(NONE, int4)}). */
    record OperatorWithArgs(int position, List<String> name, TypeName left, TypeName right) {
        public OperatorWithArgs {
            name = List.copyOf(name);
        }
    }

    /**
     * {@code CREATE OPERATOR CLASS name [DEFAULT] FOR TYPE t USING am [FAMILY f] AS item, ...}: the class's
     * operators, support functions and storage type.
     */
    record CreateOpClass(int position, List<String> name, boolean isDefault, TypeName forType, String method,
            List<String> family, List<OpClassItem> items) implements Ddl {
        public CreateOpClass {
            name = List.copyOf(name);
            family = family == null ? null : List.copyOf(family);
            items = List.copyOf(items);
        }
    }

    /**
     * One item of CREATE OPERATOR CLASS: {@code OPERATOR n op [(l, r)]} (kind 'o', name the operator),
     * {@code FUNCTION n [(l [, r])] f(args)} (kind 'f', name the function, args its argument types) or
     * {@code STORAGE t} (kind 's', storage the type); classTypes are the optional (l, r) types.
     */
    record OpClassItem(int position, char kind, int number, List<String> name, List<TypeName> classTypes,
            List<TypeName> args, TypeName storage) {
        public OpClassItem {
            name = name == null ? null : List.copyOf(name);
            classTypes = List.copyOf(classTypes);
            args = List.copyOf(args);
        }
    }

    /** {@code DROP OPERATOR CLASS [IF EXISTS] name USING am [CASCADE|RESTRICT]}. */
    record DropOpClass(int position, boolean ifExists, List<String> name, String method, DropBehavior behavior)
            implements Ddl {
        public DropOpClass {
            name = List.copyOf(name);
        }
    }
}
