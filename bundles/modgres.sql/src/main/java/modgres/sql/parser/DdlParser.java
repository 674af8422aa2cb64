package modgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.AlterTableCmd;
import modgres.sql.ast.ColumnDef;
import modgres.sql.ast.Constraint;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.DropBehavior;
import modgres.sql.ast.Expr;
import modgres.sql.ast.IndexElem;
import modgres.sql.ast.IntoClause;
import modgres.sql.ast.ObjectRef;
import modgres.sql.ast.ObjectType;
import modgres.sql.ast.OperatorName;
import modgres.sql.ast.PartitionBound;
import modgres.sql.ast.PartitionSpec;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.RoleSpec;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.Statement;
import modgres.sql.ast.TableElement;
import modgres.sql.ast.TypeName;
import modgres.sql.ast.Utility;

/**
 * Definitions: CREATE / ALTER / DROP of tables, indexes, schemas, sequences,
 * views, databases, roles and extensions; TRUNCATE, GRANT / REVOKE and
 * COMMENT ON.
 */
abstract class DdlParser extends QueryParser {

    protected DdlParser(String src, List<Token> tokens) {
        super(src, tokens);
    }

    /** SET / RESET for ALTER SYSTEM, ALTER DATABASE and ALTER ROLE: implemented by the utility layer. */
    protected abstract Utility.VariableSet setOrReset(int pos, boolean local);

    /** EXECUTE (for CREATE TABLE AS EXECUTE): implemented by the utility layer. */
    protected abstract Utility.Execute execute();

    // ------------------------------------------------------------ generic parts

    protected final boolean ifNotExists() {
        if (isKw("if") && isKw(1, "not") && isKw(2, "exists")) {
            next();
            next();
            next();
            return true;
        }
        return false;
    }

    protected final boolean ifExists() {
        if (isKw("if") && isKw(1, "exists")) {
            next();
            next();
            return true;
        }
        return false;
    }

    protected final DropBehavior optDropBehavior() {
        if (acceptKw("cascade")) {
            return DropBehavior.CASCADE;
        }
        if (acceptKw("restrict")) {
            return DropBehavior.RESTRICT;
        }
        return DropBehavior.DEFAULT;
    }

    /** {@code reloptions}: '(' [ns.]name [= def_arg], ... ')'. */
    @Override
    protected final List<DefElem> reloptions() {
        expectChar('(');
        List<DefElem> list = new ArrayList<>();
        do {
            int pos = pos();
            String name = colLabel();
            String ns = null;
            if (acceptChar('.')) {
                ns = name;
                name = colLabel();
            }
            DefElem.Value value = null;
            if (acceptChar('=')) {
                value = defArg();
            }
            list.add(new DefElem(pos, ns, name, value));
        } while (acceptChar(','));
        expectChar(')');
        return list;
    }

    /** {@code def_arg}: a type or word, a reserved word, an operator, a number, a string, NONE. */
    protected final DefElem.Value defArg() {
        Token t = peek();
        if (t.kind() == TokenKind.SCONST) {
            return new DefElem.Str(next().value());
        }
        if (atNumericOnly()) {
            return new DefElem.Num(numericOnly());
        }
        if (t.kind() == TokenKind.OP || t.kind() == TokenKind.LESS_EQUALS || t.kind() == TokenKind.GREATER_EQUALS
                || t.kind() == TokenKind.NOT_EQUALS || (t.kind() == TokenKind.CHAR && "+-*/%^<>=".contains(t.value())
                        && t.value().length() == 1)) {
            return new DefElem.Op(OperatorName.of(allOp()));
        }
        if (t.kind() == TokenKind.KEYWORD && category(t) == modgres.sql.ast.Keywords.Category.RESERVED) {
            return DefElem.Name.of(next().value());
        }
        if (t.kind() == TokenKind.IDENT || t.kind() == TokenKind.KEYWORD) {
            // a simple word stays a name; anything that is a real type name becomes a type
            if ((isChar(1, ',') || isChar(1, ')') || atEnd(1)) && t.kind() == TokenKind.IDENT
                    || (t.kind() == TokenKind.KEYWORD && !isTypeKeyword(t) && !isChar(1, '.'))) {
                return DefElem.Name.of(next().value());
            }
            return new DefElem.Type(typename());
        }
        throw syntaxError();
    }

    private boolean atEnd(int k) {
        Token t = peek(k);
        return t.kind() == TokenKind.EOF || t.isChar(';');
    }

    private static boolean isTypeKeyword(Token t) {
        return switch (t.value()) {
            case "int", "integer", "smallint", "bigint", "real", "float", "decimal", "dec", "numeric", "boolean",
                    "bit", "char", "character", "varchar", "nchar", "national", "time", "timestamp", "interval",
                    "double", "setof" -> true;
            default -> false;
        };
    }

    protected final List<DefElem> optWithReloptions() {
        if (isKw("with") && isChar(1, '(')) {
            next();
            return reloptions();
        }
        return List.of();
    }

    // ------------------------------------------------------------ CREATE TABLE

    /** After CREATE [persistence]: TABLE ... (a plain table, a partition, a typed table, or AS query). */
    protected final Ddl createTable(int pos, IntoClause.Persistence persistence) {
        expectKw("table");
        boolean ifNotExists = ifNotExists();
        RangeVar rel = qualifiedName();
        // CREATE TABLE ... AS: a column name list, or no list at all, then AS / USING / WITH / ... AS
        if (isCreateTableAs()) {
            List<String> cols = optParenNameList();
            String am = acceptKw("using") ? colId() : null;
            List<DefElem> options = createOptions();
            IntoClause.OnCommit onCommit = onCommit();
            String tablespace = optTablespace();
            expectKw("as");
            IntoClause into = new IntoClause(rel, persistence, cols, am, options, onCommit, tablespace);
            Statement query;
            if (isKw("execute")) {
                query = execute();
            } else {
                query = selectStmt();
            }
            boolean withData = optWithData();
            return new Ddl.CreateTableAs(pos, into, ifNotExists, false, query, withData);
        }
        List<TableElement> elements = List.of();
        RangeVar partitionOf = null;
        PartitionBound bound = null;
        TypeName ofType = null;
        if (isKw("partition") && isKw(1, "of")) {
            next();
            next();
            partitionOf = qualifiedName();
            if (isChar('(')) {
                elements = tableElements(true);
            }
            bound = partitionBound();
        } else if (acceptKw("of")) {
            ofType = TypeName.of(pos(), anyName().toArray(new String[0]));
            if (isChar('(')) {
                elements = tableElements(true);
            }
        } else {
            elements = tableElements(false);
        }
        List<RangeVar> inherits = List.of();
        if (acceptKw("inherits")) {
            expectChar('(');
            inherits = qualifiedNameList();
            expectChar(')');
        }
        PartitionSpec partitionBy = null;
        if (isKw("partition") && isKw(1, "by")) {
            int ppos = next().position();
            next();
            String strategy = colId();
            expectChar('(');
            List<IndexElem> keys = new ArrayList<>();
            do {
                keys.add(indexElem());
            } while (acceptChar(','));
            expectChar(')');
            partitionBy = new PartitionSpec(ppos, strategy, keys);
        }
        String am = acceptKw("using") ? colId() : null;
        List<DefElem> options = createOptions();
        IntoClause.OnCommit onCommit = onCommit();
        String tablespace = optTablespace();
        return new Ddl.CreateTable(pos, rel, persistence, ifNotExists, elements, inherits, partitionBy, partitionOf,
                bound, ofType, am, options, onCommit, tablespace);
    }

    private boolean isCreateTableAs() {
        if (isChar('(')) {
            // "(a, b) AS": only names separated by commas
            return isColId(peek(1)) && (isChar(2, ',') || isChar(2, ')')) && !isChar(1, ')');
        }
        return isKw("as") || (isKw("using") && hasAsBeforeEnd()) || (isKw("with") && hasAsBeforeEnd())
                || (isKw("without") && hasAsBeforeEnd()) || (isKw("on") && hasAsBeforeEnd())
                || (isKw("tablespace") && hasAsBeforeEnd());
    }

    private boolean hasAsBeforeEnd() {
        int depth = 0;
        for (int k = p; k < toks.length; k++) {
            Token t = toks[k];
            if (t.kind() == TokenKind.EOF || (depth == 0 && t.isChar(';'))) {
                return false;
            }
            if (t.isChar('(')) {
                depth++;
            } else if (t.isChar(')')) {
                depth--;
            } else if (depth == 0 && t.isKeyword("as")) {
                return true;
            }
        }
        return false;
    }

    /** {@code OptWith}: WITH (reloptions) | WITHOUT OIDS. */
    private List<DefElem> createOptions() {
        if (isKw("without") && isKw(1, "oids")) {
            next();
            next();
            return List.of();
        }
        if (isKw("with") && !isChar(1, '(')) {
            next();
            throw syntaxError();
        }
        return optWithReloptions();
    }

    private IntoClause.OnCommit onCommit() {
        if (!(isKw("on") && isKw(1, "commit"))) {
            return null;
        }
        next();
        next();
        if (acceptKw("drop")) {
            return IntoClause.OnCommit.DROP;
        }
        if (acceptKw("delete")) {
            expectKw("rows");
            return IntoClause.OnCommit.DELETE_ROWS;
        }
        expectKw("preserve");
        expectKw("rows");
        return IntoClause.OnCommit.PRESERVE_ROWS;
    }

    private String optTablespace() {
        if (acceptKw("tablespace")) {
            return colId();
        }
        return null;
    }

    protected final boolean optWithData() {
        if (isKw("with") && (isKw(1, "data") || (isKw(1, "no") && isKw(2, "data")))) {
            next();
            if (acceptKw("no")) {
                next();
                return false;
            }
            next();
            return true;
        }
        return true;
    }

    private List<TableElement> tableElements(boolean typed) {
        expectChar('(');
        List<TableElement> list = new ArrayList<>();
        if (acceptChar(')')) {
            return list;
        }
        do {
            list.add(tableElement(typed));
        } while (acceptChar(','));
        expectChar(')');
        return list;
    }

    private TableElement tableElement(boolean typed) {
        int pos = pos();
        if (isKw("like") && !typed) {
            next();
            RangeVar source = qualifiedName();
            List<TableElement.LikeOption> options = new ArrayList<>();
            while (isKw("including") || isKw("excluding")) {
                boolean including = next().value().equals("including");
                Token w = peek();
                if (!isAnyKw("comments", "compression", "constraints", "defaults", "identity", "generated",
                        "indexes", "statistics", "storage", "all")) {
                    throw syntaxError();
                }
                next();
                options.add(new TableElement.LikeOption(including, w.value().toUpperCase()));
            }
            return new TableElement.Like(pos, source, options);
        }
        if (isAnyKw("constraint", "check", "unique", "primary", "foreign", "exclude")) {
            return tableConstraint();
        }
        String name = colId();
        TypeName type = null;
        if (typed) {
            if (isKw("with") && isKw(1, "options")) {
                next();
                next();
            }
        } else {
            type = typename();
        }
        String compression = null;
        if (acceptKw("compression")) {
            compression = acceptKw("default") ? "default" : colId();
        }
        List<String> collation = new ArrayList<>();
        List<Constraint> constraints = columnConstraints(collation);
        return new ColumnDef(pos, name, type, compression, collation, constraints);
    }

    /** {@code ColQualList}: column constraints, COLLATE and constraint attributes (merged into the previous). */
    protected final List<Constraint> columnConstraints(List<String> collationOut) {
        List<Constraint> list = new ArrayList<>();
        while (true) {
            int pos = pos();
            if (isKw("collate")) {
                next();
                collationOut.clear();
                collationOut.addAll(anyName());
                continue;
            }
            if (isAnyKw("deferrable", "initially") || (isKw("not") && isKw(1, "deferrable"))) {
                if (list.isEmpty()) {
                    String what = isKw("deferrable") ? "DEFERRABLE" : isKw("not") ? "NOT DEFERRABLE"
                            : isKw(1, "deferred") ? "INITIALLY DEFERRED" : "INITIALLY IMMEDIATE";
                    throw error("42601", "misplaced " + what + " clause", null, pos);
                }
                Constraint last = list.remove(list.size() - 1);
                list.add(last.withAttrs(constraintAttributes(last.attrs(), true)));
                continue;
            }
            String name = null;
            if (acceptKw("constraint")) {
                name = colId();
            }
            Constraint.Spec spec = columnConstraintSpec();
            if (spec == null) {
                if (name != null) {
                    throw syntaxError();
                }
                return list;
            }
            list.add(new Constraint(pos, name, spec, Constraint.Attributes.NONE));
        }
    }

    private Constraint.Spec columnConstraintSpec() {
        if (isKw("not") && isKw(1, "null")) {
            next();
            next();
            return new Constraint.NotNull();
        }
        if (acceptKw("null")) {
            return new Constraint.Null();
        }
        if (acceptKw("unique")) {
            boolean nnd = optNullsNotDistinct();
            List<DefElem> with = optWithReloptions();
            String ts = optUsingIndexTablespace();
            return new Constraint.Unique(nnd, List.of(), List.of(), with, ts, null);
        }
        if (isKw("primary")) {
            next();
            expectKw("key");
            List<DefElem> with = optWithReloptions();
            String ts = optUsingIndexTablespace();
            return new Constraint.PrimaryKey(List.of(), List.of(), with, ts, null);
        }
        if (acceptKw("check")) {
            expectChar('(');
            Expr e = expr();
            expectChar(')');
            return new Constraint.Check(e, optNoInherit());
        }
        if (acceptKw("default")) {
            return new Constraint.Default(bExpr());
        }
        if (acceptKw("generated")) {
            int whenPos = pos();
            boolean always = generatedWhen();
            expectKw("as");
            if (acceptKw("identity")) {
                List<DefElem> opts = List.of();
                if (isChar('(')) {
                    next();
                    opts = sequenceOptions();
                    expectChar(')');
                }
                return new Constraint.Identity(always, opts);
            }
            int pos = pos();
            expectChar('(');
            Expr e = expr();
            expectChar(')');
            expectKw("stored");
            if (!always) {
                throw error("42601", "for a generated column, GENERATED ALWAYS must be specified", null, whenPos);
            }
            return new Constraint.Generated(e);
        }
        if (acceptKw("references")) {
            return references(List.of());
        }
        return null;
    }

    private boolean generatedWhen() {
        if (acceptKw("always")) {
            return true;
        }
        expectKw("by");
        expectKw("default");
        return false;
    }

    private boolean optNullsNotDistinct() {
        if (isKw("nulls") && (isKw(1, "distinct") || (isKw(1, "not") && isKw(2, "distinct")))) {
            next();
            boolean not = acceptKw("not");
            next();
            return not;
        }
        return false;
    }

    private String optUsingIndexTablespace() {
        if (isKw("using") && isKw(1, "index") && isKw(2, "tablespace")) {
            next();
            next();
            next();
            return colId();
        }
        return null;
    }

    private boolean optNoInherit() {
        if (isKw("no") && isKw(1, "inherit")) {
            next();
            next();
            return true;
        }
        return false;
    }

    private Constraint.ForeignKey references(List<String> columns) {
        RangeVar table = qualifiedName();
        List<String> refCols = optParenNameList();
        Constraint.FkMatch match = Constraint.FkMatch.SIMPLE;
        if (acceptKw("match")) {
            if (acceptKw("full")) {
                match = Constraint.FkMatch.FULL;
            } else if (acceptKw("partial")) {
                match = Constraint.FkMatch.PARTIAL;
            } else {
                expectKw("simple");
            }
        }
        Constraint.FkAction onDelete = Constraint.FkAction.NO_ACTION;
        Constraint.FkAction onUpdate = Constraint.FkAction.NO_ACTION;
        List<String> deleteCols = List.of();
        boolean sawDelete = false;
        boolean sawUpdate = false;
        while (isKw("on") && isAnyKwAt(1, "delete", "update")) {
            next();
            boolean delete = next().value().equals("delete");
            if (delete ? sawDelete : sawUpdate) {
                throw syntaxErrorAt(toks[p - 1]);
            }
            Constraint.FkAction action;
            List<String> cols = List.of();
            if (acceptKw("cascade")) {
                action = Constraint.FkAction.CASCADE;
            } else if (acceptKw("restrict")) {
                action = Constraint.FkAction.RESTRICT;
            } else if (isKw("no")) {
                next();
                expectKw("action");
                action = Constraint.FkAction.NO_ACTION;
            } else {
                expectKw("set");
                if (acceptKw("null")) {
                    action = Constraint.FkAction.SET_NULL;
                } else {
                    expectKw("default");
                    action = Constraint.FkAction.SET_DEFAULT;
                }
                if (isChar('(')) {
                    int cpos = pos();
                    cols = parenNameList();
                    if (!delete) {
                        throw error("0A000", "a column list with SET " + (action == Constraint.FkAction.SET_NULL
                                ? "NULL" : "DEFAULT") + " is only supported for ON DELETE actions", null, cpos);
                    }
                }
            }
            if (delete) {
                sawDelete = true;
                onDelete = action;
                deleteCols = cols;
            } else {
                sawUpdate = true;
                onUpdate = action;
            }
        }
        return new Constraint.ForeignKey(columns, table, refCols, match, onDelete, deleteCols, onUpdate);
    }

    /** {@code ConstraintAttributeSpec}: [NOT] DEFERRABLE, INITIALLY DEFERRED|IMMEDIATE, NOT VALID, NO INHERIT. */
    private Constraint.Attributes constraintAttributes(Constraint.Attributes base, boolean columnLevel) {
        boolean deferrable = base.deferrable();
        boolean notDeferrable = false;
        boolean initiallyDeferred = base.initiallyDeferred();
        boolean initiallyImmediate = false;
        boolean notValid = base.notValid();
        int deferrability = 0;
        int initially = 0;
        while (true) {
            int pos = pos();
            if (columnLevel && (isKw("deferrable") || (isKw("not") && isKw(1, "deferrable"))) && deferrability++ > 0) {
                throw error("42601", "multiple DEFERRABLE/NOT DEFERRABLE clauses not allowed", null, pos);
            }
            if (columnLevel && isKw("initially") && initially++ > 0) {
                throw error("42601", "multiple INITIALLY IMMEDIATE/DEFERRED clauses not allowed", null, pos);
            }
            if (acceptKw("deferrable")) {
                deferrable = true;
            } else if (isKw("not") && isKw(1, "deferrable")) {
                next();
                next();
                notDeferrable = true;
            } else if (acceptKw("initially")) {
                if (acceptKw("deferred")) {
                    initiallyDeferred = true;
                } else {
                    expectKw("immediate");
                    initiallyImmediate = true;
                }
            } else if (!columnLevel && isKw("not") && isKw(1, "valid")) {
                next();
                next();
                notValid = true;
            } else {
                break;
            }
            if ((deferrable && notDeferrable) || (initiallyDeferred && initiallyImmediate)) {
                throw error("42601", "conflicting constraint properties", null, pos);
            }
            if (initiallyDeferred && notDeferrable) {
                throw error("42601", "constraint declared INITIALLY DEFERRED must be DEFERRABLE", null, pos);
            }
        }
        return new Constraint.Attributes(deferrable || initiallyDeferred, initiallyDeferred, notValid);
    }

    /** {@code TableConstraint}: [CONSTRAINT name] CHECK | UNIQUE | PRIMARY KEY | FOREIGN KEY | EXCLUDE, with attributes. */
    protected final Constraint tableConstraint() {
        int pos = pos();
        String name = null;
        if (acceptKw("constraint")) {
            name = colId();
        }
        Constraint.Spec spec;
        if (acceptKw("check")) {
            expectChar('(');
            Expr e = expr();
            expectChar(')');
            spec = new Constraint.Check(e, optNoInherit());
        } else if (acceptKw("unique")) {
            boolean nnd = optNullsNotDistinct();
            if (isKw("using") && isKw(1, "index")) {
                next();
                next();
                spec = new Constraint.Unique(nnd, List.of(), List.of(), List.of(), null, colId());
            } else {
                List<String> cols = parenNameList();
                List<String> include = optInclude();
                List<DefElem> with = optWithReloptions();
                spec = new Constraint.Unique(nnd, cols, include, with, optUsingIndexTablespace(), null);
            }
        } else if (acceptKw("primary")) {
            expectKw("key");
            if (isKw("using") && isKw(1, "index")) {
                next();
                next();
                spec = new Constraint.PrimaryKey(List.of(), List.of(), List.of(), null, colId());
            } else {
                List<String> cols = parenNameList();
                List<String> include = optInclude();
                List<DefElem> with = optWithReloptions();
                spec = new Constraint.PrimaryKey(cols, include, with, optUsingIndexTablespace(), null);
            }
        } else if (acceptKw("foreign")) {
            expectKw("key");
            List<String> cols = parenNameList();
            expectKw("references");
            spec = references(cols);
        } else if (acceptKw("exclude")) {
            String am = acceptKw("using") ? colId() : null;
            expectChar('(');
            List<Constraint.ExclusionElem> elems = new ArrayList<>();
            do {
                IndexElem el = indexElem();
                expectKw("with");
                OperatorName op;
                if (isKw("operator") && isChar(1, '(')) {
                    next();
                    op = operatorInParens();
                } else {
                    op = OperatorName.of(allOp());
                }
                elems.add(new Constraint.ExclusionElem(el, op));
            } while (acceptChar(','));
            expectChar(')');
            List<String> include = optInclude();
            List<DefElem> with = optWithReloptions();
            String ts = optUsingIndexTablespace();
            Expr where = null;
            if (acceptKw("where")) {
                expectChar('(');
                where = expr();
                expectChar(')');
            }
            spec = new Constraint.Exclude(am, elems, include, with, ts, where);
        } else {
            throw syntaxError();
        }
        Constraint.Attributes attrs = constraintAttributes(Constraint.Attributes.NONE, false);
        if (spec instanceof Constraint.Check c && !c.noInherit() && optNoInherit()) {
            spec = new Constraint.Check(c.expr(), true);
            attrs = constraintAttributes(attrs, false);
        }
        return new Constraint(pos, name, spec, attrs);
    }

    private List<String> optInclude() {
        if (acceptKw("include")) {
            return parenNameList();
        }
        return List.of();
    }

    private PartitionBound partitionBound() {
        int pos = pos();
        if (acceptKw("default")) {
            return new PartitionBound(pos, PartitionBound.Strategy.DEFAULT, List.of(), List.of(), List.of(), 0, 0);
        }
        expectKw("for");
        expectKw("values");
        if (acceptKw("in")) {
            expectChar('(');
            List<Expr> vals = exprList();
            expectChar(')');
            return new PartitionBound(pos, PartitionBound.Strategy.LIST, vals, List.of(), List.of(), 0, 0);
        }
        if (acceptKw("from")) {
            expectChar('(');
            List<Expr> from = exprList();
            expectChar(')');
            expectKw("to");
            expectChar('(');
            List<Expr> to = exprList();
            expectChar(')');
            return new PartitionBound(pos, PartitionBound.Strategy.RANGE, List.of(), from, to, 0, 0);
        }
        expectKw("with");
        expectChar('(');
        int modulus = -1;
        int remainder = -1;
        do {
            Token t = peek();
            String name = nonReservedWord();
            int v = iconst();
            if (name.equals("modulus")) {
                modulus = v;
            } else if (name.equals("remainder")) {
                remainder = v;
            } else {
                throw error("42601", "unrecognized hash partition bound specification \"" + name + "\"", null,
                        t.position());
            }
        } while (acceptChar(','));
        expectChar(')');
        if (modulus < 0) {
            throw error("42601", "modulus for hash partition must be specified", null, 0);
        }
        if (remainder < 0) {
            throw error("42601", "remainder for hash partition must be specified", null, 0);
        }
        return new PartitionBound(pos, PartitionBound.Strategy.HASH, List.of(), List.of(), List.of(), modulus,
                remainder);
    }

    // ------------------------------------------------------------- sequences

    /** {@code SeqOptList}: sequence options (without surrounding parentheses). */
    protected final List<DefElem> sequenceOptions() {
        List<DefElem> list = new ArrayList<>();
        while (true) {
            int pos = pos();
            if (acceptKw("as")) {
                list.add(DefElem.of(pos, "as", new DefElem.Type(simpleTypename(false))));
            } else if (acceptKw("cache")) {
                list.add(DefElem.of(pos, "cache", new DefElem.Num(numericOnly())));
            } else if (acceptKw("cycle")) {
                list.add(DefElem.of(pos, "cycle", DefElem.Name.of("true")));
            } else if (isKw("no") && isAnyKwAt(1, "cycle", "minvalue", "maxvalue")) {
                next();
                String w = next().value();
                list.add(DefElem.of(pos, w, w.equals("cycle") ? DefElem.Name.of("false") : null));
            } else if (acceptKw("increment")) {
                acceptKw("by");
                list.add(DefElem.of(pos, "increment", new DefElem.Num(numericOnly())));
            } else if (acceptKw("maxvalue")) {
                list.add(DefElem.of(pos, "maxvalue", new DefElem.Num(numericOnly())));
            } else if (acceptKw("minvalue")) {
                list.add(DefElem.of(pos, "minvalue", new DefElem.Num(numericOnly())));
            } else if (isKw("owned") && isKw(1, "by")) {
                next();
                next();
                list.add(DefElem.of(pos, "owned_by", new DefElem.Name(anyName())));
            } else if (isKw("sequence") && isKw(1, "name")) {
                next();
                next();
                list.add(DefElem.of(pos, "sequence_name", new DefElem.Name(anyName())));
            } else if (acceptKw("start")) {
                acceptKw("with");
                list.add(DefElem.of(pos, "start", new DefElem.Num(numericOnly())));
            } else if (acceptKw("restart")) {
                if (acceptKw("with") || atNumericOnly()) {
                    list.add(DefElem.of(pos, "restart", new DefElem.Num(numericOnly())));
                } else {
                    list.add(DefElem.of(pos, "restart", null));
                }
            } else if (isKw("logged") || isKw("unlogged")) {
                list.add(DefElem.of(pos, next().value(), null));
            } else {
                return list;
            }
        }
    }

    // ---------------------------------------------------------------- CREATE

    /** CREATE ... (after the CREATE key word). */
    protected final Statement create(int pos) {
        if (isKw("or") && isKw(1, "replace")) {
            next();
            next();
            if (isAnyKw("view", "temp", "temporary", "recursive") || ((isKw("local") || isKw("global"))
                    && isAnyKwAt(1, "temp", "temporary"))) {
                return createView(pos, true);
            }
            if (isAnyKw("function", "procedure")) {
                return RoutineParser.createFunction(this, pos, true);
            }
            if (isKw("trigger")) {
                return RoutineParser.createTrigger(this, pos, true);
            }
            if (isKw("rule")) {
                return RuleParser.createRule(this, pos, true);
            }
            return unsupported(pos);
        }
        if (isAnyKw("function", "procedure")) {
            return RoutineParser.createFunction(this, pos, false);
        }
        if (acceptKw("policy")) {
            return createPolicy(pos);
        }
        if (isKw("trigger")) {
            return RoutineParser.createTrigger(this, pos, false);
        }
        if (isKw("rule")) {
            return RuleParser.createRule(this, pos, false);
        }
        if (acceptKw("type")) {
            Ddl type = TypeParser.createType(this, pos);
            return type != null ? type : unsupported(pos);
        }
        if (acceptKw("domain")) {
            return DomainParser.createDomain(this, pos);
        }
        if (isKw("operator") && !isAnyKwAt(1, "class", "family")) {
            next();
            return DomainParser.createOperator(this, pos);
        }
        if (isKw("operator") && isKw(1, "class")) {
            next();
            next();
            return OpClassParser.create(this, pos);
        }
        if (acceptKw("unique")) {
            expectKw("index");
            return createIndex(pos, true);
        }
        if (acceptKw("index")) {
            return createIndex(pos, false);
        }
        if (acceptKw("schema")) {
            return createSchema(pos);
        }
        if (acceptKw("database")) {
            return createDatabase(pos);
        }
        if (isAnyKw("role", "user", "group")) {
            if (isKw("user") && isKw(1, "mapping")) {
                return unsupported(pos);
            }
            return createRole(pos);
        }
        if (acceptKw("extension")) {
            boolean ine = ifNotExists();
            String name = colId();
            acceptKw("with");
            List<DefElem> opts = new ArrayList<>();
            while (true) {
                int opos = pos();
                if (acceptKw("schema")) {
                    opts.add(DefElem.of(opos, "schema", DefElem.Name.of(colId())));
                } else if (acceptKw("version")) {
                    opts.add(DefElem.of(opos, "new_version", new DefElem.Str(nonReservedWordOrSconst())));
                } else if (acceptKw("cascade")) {
                    opts.add(DefElem.of(opos, "cascade", DefElem.Name.of("true")));
                } else if (acceptKw("from")) {
                    throw error("0A000", "CREATE EXTENSION ... FROM is no longer supported", null, opos);
                } else {
                    break;
                }
            }
            return new Ddl.CreateExtension(pos, name, ine, opts);
        }
        if (isKw("materialized") && isKw(1, "view")) {
            next();
            next();
            boolean ine = ifNotExists();
            RangeVar rel = qualifiedName();
            List<String> cols = optParenNameList();
            String am = acceptKw("using") ? colId() : null;
            List<DefElem> options = optWithReloptions();
            String ts = optTablespace();
            expectKw("as");
            SelectStmt q = selectStmt();
            boolean withData = optWithData();
            IntoClause into = new IntoClause(rel, IntoClause.Persistence.PERMANENT, cols, am, options, null, ts);
            return new Ddl.CreateTableAs(pos, into, ine, true, q, withData);
        }
        int save = p;
        IntoClause.Persistence persistence = optTemp();
        if (isKw("table")) {
            return createTable(pos, persistence);
        }
        if (acceptKw("sequence")) {
            boolean ine = ifNotExists();
            RangeVar rel = qualifiedName();
            return new Ddl.CreateSequence(pos, rel, persistence, ine, sequenceOptions());
        }
        if (isKw("view") || isKw("recursive")) {
            p = save;
            return createView(pos, false);
        }
        p = save;
        return unsupported(pos);
    }

    /** A statement recognised by its leading words but not parsed: skipped to its end. */
    protected final Utility.Unsupported unsupported(int pos) {
        int startTok = p - 1;
        while (startTok > 0 && toks[startTok].position() > pos) {
            startTok--;
        }
        StringBuilder kind = new StringBuilder(toks[startTok].value().toUpperCase());
        if (List.of("create", "alter", "drop").contains(toks[startTok].value())) {
            int k = startTok + 1;
            while (k < toks.length && toks[k].kind() == TokenKind.KEYWORD) {
                String w = toks[k].value();
                kind.append(' ').append(w.toUpperCase());
                if (!List.of("or", "replace", "constraint", "default", "materialized", "foreign", "text", "search",
                        "event", "access", "user", "operator", "trusted", "procedural", "unique").contains(w)) {
                    break;
                }
                k++;
            }
        }
        int depth = 0;
        while (true) {
            Token t = peek();
            if (t.kind() == TokenKind.EOF || (depth == 0 && t.isChar(';'))) {
                break;
            }
            if (t.isChar('(')) {
                depth++;
            } else if (t.isChar(')') && depth > 0) {
                depth--;
            }
            next();
        }
        int start = toks[startTok].start();
        int end = toks[p - 1].end();
        return new Utility.Unsupported(pos, kind.toString(), src.substring(start, Math.max(start, end)));
    }

    private Ddl.CreateView createView(int pos, boolean orReplace) {
        IntoClause.Persistence persistence = optTemp();
        boolean recursive = acceptKw("recursive");
        expectKw("view");
        RangeVar rel = qualifiedName();
        List<String> cols = optParenNameList();
        List<DefElem> options = optWithReloptions();
        expectKw("as");
        SelectStmt q = selectStmt();
        Ddl.CheckOption check = Ddl.CheckOption.NONE;
        if (isKw("with") && isAnyKwAt(1, "check", "cascaded", "local")) {
            next();
            check = Ddl.CheckOption.CASCADED;
            if (acceptKw("local")) {
                check = Ddl.CheckOption.LOCAL;
            } else {
                acceptKw("cascaded");
            }
            expectKw("check");
            expectKw("option");
        }
        if (recursive && cols.isEmpty()) {
            throw syntaxError();
        }
        return new Ddl.CreateView(pos, rel, orReplace, persistence, recursive, cols, options, q, check);
    }

    private Ddl.CreateIndex createIndex(int pos, boolean unique) {
        boolean concurrently = acceptKw("concurrently");
        boolean ine = ifNotExists();
        String name = null;
        if (ine || !isKw("on")) {
            name = colId();
        }
        expectKw("on");
        RangeVar rel = relationExpr();
        String am = acceptKw("using") ? colId() : null;
        expectChar('(');
        List<IndexElem> elems = indexElems();
        expectChar(')');
        List<IndexElem> include = List.of();
        if (acceptKw("include")) {
            expectChar('(');
            include = indexElems();
            expectChar(')');
        }
        boolean nnd = optNullsNotDistinct();
        List<DefElem> options = optWithReloptions();
        String ts = optTablespace();
        Expr where = acceptKw("where") ? expr() : null;
        return new Ddl.CreateIndex(pos, unique, concurrently, ine, name, rel, am, elems, include, nnd, options, ts,
                where);
    }

    private Ddl.CreateSchema createSchema(int pos) {
        boolean ine = ifNotExists();
        String name = null;
        RoleSpec auth = null;
        if (acceptKw("authorization")) {
            auth = roleSpec();
        } else {
            name = colId();
            if (acceptKw("authorization")) {
                auth = roleSpec();
            }
        }
        List<Statement> elements = new ArrayList<>();
        while (isKw("create") || isKw("grant")) {
            int epos = pos();
            if (isKw("grant")) {
                elements.add(grant(epos));
                continue;
            }
            next();
            Statement s = create(epos);
            if (!(s instanceof Ddl.CreateTable || s instanceof Ddl.CreateView || s instanceof Ddl.CreateIndex
                    || s instanceof Ddl.CreateSequence || s instanceof Utility.Unsupported)) {
                throw syntaxErrorAt(toks[p - 1]);
            }
            elements.add(s);
        }
        if (ine && !elements.isEmpty()) {
            throw error("0A000", "CREATE SCHEMA IF NOT EXISTS cannot include schema elements", null,
                    elements.get(0).position());
        }
        return new Ddl.CreateSchema(pos, name, auth, ine, elements);
    }

    private Ddl.CreateDatabase createDatabase(int pos) {
        String name = colId();
        acceptKw("with");
        return new Ddl.CreateDatabase(pos, name, databaseOptions());
    }

    /** {@code createdb_opt_list}: name [=] value ..., with CONNECTION LIMIT as connection_limit. */
    private List<DefElem> databaseOptions() {
        List<DefElem> list = new ArrayList<>();
        while (true) {
            int opos = pos();
            String name;
            if (isKw("connection") && isKw(1, "limit")) {
                next();
                next();
                name = "connection_limit";
            } else if (isAnyKw("encoding", "location", "owner", "tablespace", "template") || is(TokenKind.IDENT)) {
                name = next().value();
            } else {
                return list;
            }
            acceptChar('=');
            DefElem.Value value;
            if (acceptKw("default")) {
                value = null;
            } else if (atSignedIconst()) {
                value = new DefElem.Num(Integer.toString(signedIconst()));
            } else if (is(TokenKind.SCONST)) {
                value = new DefElem.Str(next().value());
            } else {
                value = DefElem.Name.of(booleanOrWord());
            }
            list.add(DefElem.of(opos, name, value));
        }
    }

    /** {@code opt_boolean_or_string} without strings: TRUE, FALSE, ON, or a non-reserved word. */
    protected final String booleanOrWord() {
        if (isAnyKw("true", "false", "on")) {
            return next().value();
        }
        return nonReservedWord();
    }

    private Ddl.CreateRole createRole(int pos) {
        Ddl.RoleKind kind = Ddl.RoleKind.valueOf(next().value().toUpperCase());
        Token nameTok = peek();
        String name = roleName(nameTok);
        acceptKw("with");
        return new Ddl.CreateRole(pos, kind, name, roleOptions(true));
    }

    private String roleName(Token nameTok) {
        RoleSpec r = roleSpec();
        if (r.kind() != RoleSpec.Kind.NAME) {
            String word = r.kind() == RoleSpec.Kind.PUBLIC ? "public" : r.kind().name().toLowerCase();
            throw error("42939", "role name \"" + word + "\" is reserved", null, nameTok.position());
        }
        return r.name();
    }

    /** {@code OptRoleList} / {@code AlterOptRoleList}, with PostgreSQL's option names. */
    private List<DefElem> roleOptions(boolean create) {
        List<DefElem> list = new ArrayList<>();
        while (true) {
            int opos = pos();
            if (acceptKw("password")) {
                if (acceptKw("null")) {
                    list.add(DefElem.of(opos, "password", null));
                } else {
                    list.add(DefElem.of(opos, "password", new DefElem.Str(sconst())));
                }
            } else if (isKw("encrypted") && isKw(1, "password")) {
                next();
                next();
                list.add(DefElem.of(opos, "password", new DefElem.Str(sconst())));
            } else if (isKw("unencrypted") && isKw(1, "password")) {
                throw error("0A000", "UNENCRYPTED PASSWORD is no longer supported", "Remove UNENCRYPTED to store "
                        + "the password in encrypted form instead.", opos);
            } else if (acceptKw("inherit")) {
                list.add(DefElem.of(opos, "inherit", DefElem.Name.of("true")));
            } else if (isKw("connection") && isKw(1, "limit")) {
                next();
                next();
                list.add(DefElem.of(opos, "connectionlimit", new DefElem.Num(Integer.toString(signedIconst()))));
            } else if (isKw("valid") && isKw(1, "until")) {
                next();
                next();
                list.add(DefElem.of(opos, "validUntil", new DefElem.Str(sconst())));
            } else if (acceptKw("user")) {
                list.add(DefElem.of(opos, "rolemembers", roleListValue()));
            } else if (create && acceptKw("sysid")) {
                list.add(DefElem.of(opos, "sysid", new DefElem.Num(Integer.toString(iconst()))));
            } else if (create && acceptKw("admin")) {
                list.add(DefElem.of(opos, "adminmembers", roleListValue()));
            } else if (create && acceptKw("role")) {
                list.add(DefElem.of(opos, "rolemembers", roleListValue()));
            } else if (create && isKw("in") && isAnyKwAt(1, "role", "group")) {
                next();
                next();
                list.add(DefElem.of(opos, "addroleto", roleListValue()));
            } else if (is(TokenKind.IDENT)) {
                Token t = next();
                String option = switch (t.value()) {
                    case "superuser" -> "superuser=true";
                    case "nosuperuser" -> "superuser=false";
                    case "createrole" -> "createrole=true";
                    case "nocreaterole" -> "createrole=false";
                    case "replication" -> "isreplication=true";
                    case "noreplication" -> "isreplication=false";
                    case "createdb" -> "createdb=true";
                    case "nocreatedb" -> "createdb=false";
                    case "login" -> "canlogin=true";
                    case "nologin" -> "canlogin=false";
                    case "bypassrls" -> "bypassrls=true";
                    case "nobypassrls" -> "bypassrls=false";
                    case "noinherit" -> "inherit=false";
                    default -> null;
                };
                if (option == null) {
                    throw error("42601", "unrecognized role option \"" + t.value() + "\"", null, t.position());
                }
                int eq = option.indexOf('=');
                list.add(DefElem.of(opos, option.substring(0, eq), DefElem.Name.of(option.substring(eq + 1))));
            } else {
                return list;
            }
        }
    }

    private DefElem.Value roleListValue() {
        List<DefElem.Value> roles = new ArrayList<>();
        for (RoleSpec r : roleList()) {
            roles.add(DefElem.Name.of(r.kind() == RoleSpec.Kind.NAME ? r.name() : r.kind().name().toLowerCase()));
        }
        return new DefElem.Lst(roles);
    }

    // ----------------------------------------------------------------- ALTER

    /** ALTER ... (after the ALTER key word). */
    /** CREATE POLICY (after the key words): see {@link Ddl.CreatePolicy}. */
    private Ddl.CreatePolicy createPolicy(int pos) {
        String name = colId();
        expectKw("on");
        RangeVar table = qualifiedName();
        boolean permissive = true;
        if (acceptKw("as")) {
            Token t = next();
            if (t.value().equals("restrictive")) {
                permissive = false;
            } else if (!t.value().equals("permissive")) {
                throw new modgres.api.error.PgException("42601", "unrecognized row security option \""
                        + t.value() + "\"", null, "Only PERMISSIVE or RESTRICTIVE policies are supported currently.",
                        t.position(), null);
            }
        }
        String command = "ALL";
        if (acceptKw("for")) {
            Token t = next();
            if (!List.of("all", "select", "insert", "update", "delete").contains(t.value())) {
                throw syntaxErrorAt(t);
            }
            command = t.value().toUpperCase(java.util.Locale.ROOT);
        }
        List<RoleSpec> roles = List.of();
        if (acceptKw("to")) {
            roles = roleList();
        }
        Expr[] exprs = policyExpressions();
        return new Ddl.CreatePolicy(pos, name, table, permissive, command, roles, exprs[0], exprs[1]);
    }

    /** ALTER POLICY (after the key words): see {@link Ddl.AlterPolicy}. */
    private Ddl.AlterPolicy alterPolicy(int pos) {
        String name = colId();
        expectKw("on");
        RangeVar table = qualifiedName();
        if (acceptKw("rename")) {
            expectKw("to");
            return new Ddl.AlterPolicy(pos, name, table, colId(), null, null, null);
        }
        List<RoleSpec> roles = null;
        if (acceptKw("to")) {
            roles = roleList();
        }
        Expr[] exprs = policyExpressions();
        return new Ddl.AlterPolicy(pos, name, table, null, roles, exprs[0], exprs[1]);
    }

    /** A policy's optional {@code USING (e)} and {@code WITH CHECK (e)}: {using, check}, null when absent. */
    private Expr[] policyExpressions() {
        Expr[] out = new Expr[2];
        if (acceptKw("using")) {
            expectChar('(');
            out[0] = expr();
            expectChar(')');
        }
        if (isKw("with") && isKw(1, "check")) {
            next();
            next();
            expectChar('(');
            out[1] = expr();
            expectChar(')');
        }
        return out;
    }

    protected final Statement alter(int pos) {
        if (acceptKw("policy")) {
            return alterPolicy(pos);
        }
        if (acceptKw("type")) {
            Ddl type = TypeParser.alterType(this, pos);
            return type != null ? type : unsupported(pos);
        }
        if (acceptKw("domain")) {
            return DomainParser.alterDomain(this, pos);
        }
        if (acceptKw("table")) {
            return alterRelation(pos, ObjectType.TABLE);
        }
        if (acceptKw("index")) {
            return alterRelation(pos, ObjectType.INDEX);
        }
        if (acceptKw("view")) {
            return alterRelation(pos, ObjectType.VIEW);
        }
        if (isKw("materialized") && isKw(1, "view")) {
            next();
            next();
            return alterRelation(pos, ObjectType.MATERIALIZED_VIEW);
        }
        if (isKw("foreign") && isKw(1, "table")) {
            next();
            next();
            return alterRelation(pos, ObjectType.FOREIGN_TABLE);
        }
        if (acceptKw("sequence")) {
            int save = p;
            boolean ie = ifExists();
            RangeVar rel = qualifiedName();
            if (isAnyKw("rename", "owner") || (isKw("set") && isAnyKwAt(1, "schema", "logged", "unlogged"))
                    || isKw("reset") || (isKw("set") && isChar(1, '('))) {
                p = save;
                return alterRelation(pos, ObjectType.SEQUENCE);
            }
            List<DefElem> opts = sequenceOptions();
            if (opts.isEmpty()) {
                throw syntaxError();
            }
            return new Ddl.AlterSequence(pos, rel, ie, opts);
        }
        if (acceptKw("schema")) {
            String name = colId();
            if (acceptKw("rename")) {
                expectKw("to");
                return new Ddl.Rename(pos, ObjectType.SCHEMA, null, null, List.of(name), null, colId(), false);
            }
            expectKw("owner");
            expectKw("to");
            return new Ddl.AlterOwner(pos, ObjectType.SCHEMA, List.of(name), roleSpec());
        }
        if (acceptKw("database")) {
            String name = colId();
            if (acceptKw("rename")) {
                expectKw("to");
                return new Ddl.Rename(pos, ObjectType.DATABASE, null, null, List.of(name), null, colId(), false);
            }
            if (isKw("owner") && isKw(1, "to")) {
                next();
                next();
                return new Ddl.AlterOwner(pos, ObjectType.DATABASE, List.of(name), roleSpec());
            }
            if (isKw("set") || isKw("reset")) {
                return new Ddl.AlterDatabase(pos, name, List.of(), setOrReset(pos(), false));
            }
            acceptKw("with");
            List<DefElem> opts = databaseOptions();
            if (opts.isEmpty()) {
                throw syntaxError();
            }
            return new Ddl.AlterDatabase(pos, name, opts, null);
        }
        if (isAnyKw("role", "user", "group")) {
            if (isKw("user") && isKw(1, "mapping")) {
                return unsupported(pos);
            }
            Ddl.RoleKind kind = Ddl.RoleKind.valueOf(next().value().toUpperCase());
            RoleSpec role = null;
            if (!acceptKw("all")) {
                role = roleSpec();
            }
            if (role != null && role.kind() == RoleSpec.Kind.NAME && acceptKw("rename")) {
                expectKw("to");
                return new Ddl.Rename(pos, ObjectType.ROLE, null, null, List.of(role.name()), null, colId(), false);
            }
            String db = null;
            if (isKw("in") && isKw(1, "database")) {
                next();
                next();
                db = colId();
            }
            if (isKw("set") || isKw("reset")) {
                return new Ddl.AlterRoleSet(pos, role, db, setOrReset(pos(), false));
            }
            if (role == null || db != null) {
                throw syntaxError();
            }
            acceptKw("with");
            return new Ddl.AlterRole(pos, kind, role, roleOptions(false));
        }
        return unsupported(pos);
    }

    private Statement alterRelation(int pos, ObjectType type) {
        boolean ie = ifExists();
        RangeVar rel = relationExpr();
        if (acceptKw("rename")) {
            if (acceptKw("to")) {
                return new Ddl.Rename(pos, type, type, rel, null, null, colId(), ie);
            }
            if (acceptKw("constraint")) {
                String old = colId();
                expectKw("to");
                return new Ddl.Rename(pos, ObjectType.TABLE_CONSTRAINT, type, rel, null, old, colId(), ie);
            }
            acceptKw("column");
            String old = colId();
            expectKw("to");
            return new Ddl.Rename(pos, ObjectType.COLUMN, type, rel, null, old, colId(), ie);
        }
        if (isKw("set") && isKw(1, "schema")) {
            next();
            next();
            return new Ddl.AlterObjectSchema(pos, type, rel, ie, colId());
        }
        List<AlterTableCmd> cmds = new ArrayList<>();
        do {
            cmds.add(alterTableCmd());
        } while (acceptChar(','));
        return new Ddl.AlterTable(pos, type, ie, rel, cmds);
    }

    private AlterTableCmd alterTableCmd() {
        int pos = pos();
        if (acceptKw("add")) {
            if (isAnyKw("constraint", "check", "unique", "primary", "foreign", "exclude")) {
                return new AlterTableCmd.AddConstraint(pos, tableConstraint());
            }
            acceptKw("column");
            boolean ine = ifNotExists();
            TableElement col = tableElement(false);
            if (!(col instanceof ColumnDef cd)) {
                throw syntaxError();
            }
            return new AlterTableCmd.AddColumn(pos, ine, cd);
        }
        if (acceptKw("drop")) {
            if (acceptKw("constraint")) {
                boolean ie = ifExists();
                String name = colId();
                return new AlterTableCmd.DropConstraint(pos, ie, name, optDropBehavior());
            }
            acceptKw("column");
            boolean ie = ifExists();
            String name = colId();
            return new AlterTableCmd.DropColumn(pos, ie, name, optDropBehavior());
        }
        if (acceptKw("alter")) {
            if (acceptKw("constraint")) {
                String name = colId();
                return new AlterTableCmd.AlterConstraint(pos, name,
                        constraintAttributes(Constraint.Attributes.NONE, true));
            }
            acceptKw("column");
            String col = colId();
            return alterColumn(pos, col);
        }
        if (isKw("validate") && isKw(1, "constraint")) {
            next();
            next();
            return new AlterTableCmd.ValidateConstraint(pos, colId());
        }
        if (isKw("owner") && isKw(1, "to")) {
            next();
            next();
            return new AlterTableCmd.OwnerTo(pos, roleSpec());
        }
        if (acceptKw("set")) {
            if (isChar('(')) {
                return new AlterTableCmd.SetOptions(pos, reloptions(), false);
            }
            if (acceptKw("tablespace")) {
                return new AlterTableCmd.SetTablespace(pos, colId());
            }
            if (acceptKw("logged")) {
                return simple(pos, AlterTableCmd.SimpleKind.SET_LOGGED, null);
            }
            if (acceptKw("unlogged")) {
                return simple(pos, AlterTableCmd.SimpleKind.SET_UNLOGGED, null);
            }
            if (acceptKw("without")) {
                if (acceptKw("oids")) {
                    return simple(pos, AlterTableCmd.SimpleKind.SET_WITHOUT_OIDS, null);
                }
                expectKw("cluster");
                return simple(pos, AlterTableCmd.SimpleKind.SET_WITHOUT_CLUSTER, null);
            }
            if (isKw("access") && isKw(1, "method")) {
                next();
                next();
                return simple(pos, AlterTableCmd.SimpleKind.SET_ACCESS_METHOD, List.of(colId()));
            }
            throw syntaxError();
        }
        if (acceptKw("reset")) {
            return new AlterTableCmd.SetOptions(pos, reloptions(), true);
        }
        if (isKw("cluster") && isKw(1, "on")) {
            next();
            next();
            return simple(pos, AlterTableCmd.SimpleKind.CLUSTER_ON, List.of(colId()));
        }
        if (isKw("enable") || isKw("disable")) {
            boolean enable = next().value().equals("enable");
            String mode = "";
            if (enable && (isKw("always") || isKw("replica"))) {
                mode = next().value();
            }
            if (acceptKw("trigger")) {
                List<String> name = List.of(isAnyKw("all", "user") ? next().value().toUpperCase() : colId());
                AlterTableCmd.SimpleKind kind = !enable ? AlterTableCmd.SimpleKind.DISABLE_TRIGGER
                        : mode.equals("always") ? AlterTableCmd.SimpleKind.ENABLE_ALWAYS_TRIGGER
                        : mode.equals("replica") ? AlterTableCmd.SimpleKind.ENABLE_REPLICA_TRIGGER
                        : AlterTableCmd.SimpleKind.ENABLE_TRIGGER;
                return simple(pos, kind, name);
            }
            if (acceptKw("rule")) {
                List<String> name = List.of(colId());
                AlterTableCmd.SimpleKind kind = !enable ? AlterTableCmd.SimpleKind.DISABLE_RULE
                        : mode.equals("always") ? AlterTableCmd.SimpleKind.ENABLE_ALWAYS_RULE
                        : mode.equals("replica") ? AlterTableCmd.SimpleKind.ENABLE_REPLICA_RULE
                        : AlterTableCmd.SimpleKind.ENABLE_RULE;
                return simple(pos, kind, name);
            }
            expectKw("row");
            expectKw("level");
            expectKw("security");
            return simple(pos, enable ? AlterTableCmd.SimpleKind.ENABLE_RLS : AlterTableCmd.SimpleKind.DISABLE_RLS,
                    null);
        }
        if (isKw("force") || (isKw("no") && isKw(1, "force"))) {
            boolean no = acceptKw("no");
            next();
            expectKw("row");
            expectKw("level");
            expectKw("security");
            return simple(pos, no ? AlterTableCmd.SimpleKind.NO_FORCE_RLS : AlterTableCmd.SimpleKind.FORCE_RLS,
                    null);
        }
        if (acceptKw("inherit")) {
            return simple(pos, AlterTableCmd.SimpleKind.INHERIT, anyName());
        }
        if (isKw("no") && isKw(1, "inherit")) {
            next();
            next();
            return simple(pos, AlterTableCmd.SimpleKind.NO_INHERIT, anyName());
        }
        if (acceptKw("of")) {
            return simple(pos, AlterTableCmd.SimpleKind.OF, anyName());
        }
        if (isKw("not") && isKw(1, "of")) {
            next();
            next();
            return simple(pos, AlterTableCmd.SimpleKind.NOT_OF, null);
        }
        if (isKw("replica") && isKw(1, "identity")) {
            next();
            next();
            if (acceptKw("default")) {
                return simple(pos, AlterTableCmd.SimpleKind.REPLICA_IDENTITY_DEFAULT, null);
            }
            if (acceptKw("full")) {
                return simple(pos, AlterTableCmd.SimpleKind.REPLICA_IDENTITY_FULL, null);
            }
            if (acceptKw("nothing")) {
                return simple(pos, AlterTableCmd.SimpleKind.REPLICA_IDENTITY_NOTHING, null);
            }
            expectKw("using");
            expectKw("index");
            return simple(pos, AlterTableCmd.SimpleKind.REPLICA_IDENTITY_INDEX, List.of(colId()));
        }
        if (isKw("attach") && isKw(1, "partition")) {
            next();
            next();
            RangeVar part = qualifiedName();
            return new AlterTableCmd.AttachPartition(pos, part, partitionBound());
        }
        if (isKw("detach") && isKw(1, "partition")) {
            next();
            next();
            RangeVar part = qualifiedName();
            boolean conc = acceptKw("concurrently");
            boolean fin = !conc && acceptKw("finalize");
            return new AlterTableCmd.DetachPartition(pos, part, conc, fin);
        }
        throw syntaxError();
    }

    private static AlterTableCmd simple(int pos, AlterTableCmd.SimpleKind kind, List<String> name) {
        return new AlterTableCmd.Simple(pos, kind, name);
    }

    private AlterTableCmd alterColumn(int pos, String col) {
        if (acceptKw("set")) {
            if (acceptKw("default")) {
                return new AlterTableCmd.ColumnDefault(pos, col, expr());
            }
            if (isKw("not") && isKw(1, "null")) {
                next();
                next();
                return new AlterTableCmd.ColumnNotNull(pos, col, true);
            }
            if (isKw("data") && isKw(1, "type")) {
                next();
                next();
                return columnType(pos, col);
            }
            if (acceptKw("statistics")) {
                return new AlterTableCmd.ColumnStatistics(pos, col, new Expr.Constant(pos(), Expr.ConstKind.INTEGER,
                        Integer.toString(signedIconst())));
            }
            if (acceptKw("storage")) {
                return new AlterTableCmd.ColumnStorage(pos, col, colId(), false);
            }
            if (acceptKw("compression")) {
                return new AlterTableCmd.ColumnStorage(pos, col, acceptKw("default") ? "default" : colId(), true);
            }
            if (isChar('(')) {
                return new AlterTableCmd.ColumnOptions(pos, col, reloptions(), false);
            }
            if (acceptKw("generated")) {
                boolean always = generatedWhen();
                List<DefElem> opts = new ArrayList<>();
                opts.add(DefElem.of(pos, "generated", DefElem.Name.of(always ? "always" : "by default")));
                opts.addAll(identityOptions());
                return new AlterTableCmd.SetIdentity(pos, col, opts);
            }
            p--;
            List<DefElem> opts = identityOptions();
            if (opts.isEmpty()) {
                throw syntaxError();
            }
            return new AlterTableCmd.SetIdentity(pos, col, opts);
        }
        if (acceptKw("drop")) {
            if (acceptKw("default")) {
                return new AlterTableCmd.ColumnDefault(pos, col, null);
            }
            if (isKw("not") && isKw(1, "null")) {
                next();
                next();
                return new AlterTableCmd.ColumnNotNull(pos, col, false);
            }
            if (acceptKw("identity")) {
                return new AlterTableCmd.DropIdentity(pos, col, ifExists(), false);
            }
            if (acceptKw("expression")) {
                return new AlterTableCmd.DropIdentity(pos, col, ifExists(), true);
            }
            throw syntaxError();
        }
        if (acceptKw("type")) {
            return columnType(pos, col);
        }
        if (acceptKw("reset")) {
            return new AlterTableCmd.ColumnOptions(pos, col, reloptions(), true);
        }
        if (isKw("add") && isKw(1, "generated")) {
            int cpos = next().position();
            next();
            boolean always = generatedWhen();
            expectKw("as");
            expectKw("identity");
            List<DefElem> opts = List.of();
            if (isChar('(')) {
                next();
                opts = sequenceOptions();
                expectChar(')');
            }
            return new AlterTableCmd.AddIdentity(pos, col, new Constraint(cpos, null,
                    new Constraint.Identity(always, opts), Constraint.Attributes.NONE));
        }
        if (isKw("restart")) {
            List<DefElem> opts = identityOptions();
            return new AlterTableCmd.SetIdentity(pos, col, opts);
        }
        throw syntaxError();
    }

    /** {@code alter_identity_column_option_list}: RESTART [[WITH] n] | SET seq_option, repeated. */
    private List<DefElem> identityOptions() {
        List<DefElem> list = new ArrayList<>();
        while (true) {
            int opos = pos();
            if (acceptKw("restart")) {
                if (acceptKw("with") || atNumericOnly()) {
                    list.add(DefElem.of(opos, "restart", new DefElem.Num(numericOnly())));
                } else {
                    list.add(DefElem.of(opos, "restart", null));
                }
            } else if (isKw("set") && !isKw(1, "generated") && !isKw(1, "default") && !isKw(1, "not")
                    && !isKw(1, "data")) {
                next();
                List<DefElem> one = sequenceOptions();
                if (one.isEmpty()) {
                    throw syntaxError();
                }
                list.add(one.get(0));
                if (one.size() > 1) {
                    list.addAll(one.subList(1, one.size()));
                }
            } else {
                return list;
            }
        }
    }

    private AlterTableCmd columnType(int pos, String col) {
        TypeName type = typename();
        List<String> collation = List.of();
        if (acceptKw("collate")) {
            collation = anyName();
        }
        Expr using = acceptKw("using") ? expr() : null;
        return new AlterTableCmd.ColumnType(pos, col, type, collation, using);
    }

    // ------------------------------------------------------------------ DROP

    /** DROP ... (after the DROP key word). */
    protected final Statement drop(int pos) {
        ObjectType type = null;
        boolean concurrently = false;
        if (isKw("operator") && !isAnyKwAt(1, "class", "family")) {
            next();
            return DomainParser.dropOperator(this, pos);
        }
        if (isKw("operator") && isKw(1, "class")) {
            next();
            next();
            return OpClassParser.drop(this, pos);
        }
        if (acceptKw("table")) {
            type = ObjectType.TABLE;
        } else if (acceptKw("sequence")) {
            type = ObjectType.SEQUENCE;
        } else if (acceptKw("view")) {
            type = ObjectType.VIEW;
        } else if (isKw("materialized") && isKw(1, "view")) {
            next();
            next();
            type = ObjectType.MATERIALIZED_VIEW;
        } else if (acceptKw("index")) {
            type = ObjectType.INDEX;
            concurrently = acceptKw("concurrently");
        } else if (isKw("foreign") && isKw(1, "table")) {
            next();
            next();
            type = ObjectType.FOREIGN_TABLE;
        } else if (acceptKw("schema")) {
            type = ObjectType.SCHEMA;
        } else if (acceptKw("extension")) {
            type = ObjectType.EXTENSION;
        } else if (acceptKw("type")) {
            type = ObjectType.TYPE;
        } else if (acceptKw("domain")) {
            type = ObjectType.DOMAIN;
        } else if (acceptKw("collation")) {
            type = ObjectType.COLLATION;
        } else if (acceptKw("function")) {
            type = ObjectType.FUNCTION;
        } else if (acceptKw("procedure")) {
            type = ObjectType.PROCEDURE;
        } else if (acceptKw("routine")) {
            type = ObjectType.ROUTINE;
        } else if (acceptKw("aggregate")) {
            type = ObjectType.AGGREGATE;
        } else if (acceptKw("trigger")) {
            type = ObjectType.TRIGGER;
        } else if (acceptKw("rule")) {
            type = ObjectType.RULE;
        } else if (acceptKw("policy")) {
            type = ObjectType.POLICY;
        } else if (acceptKw("database")) {
            boolean ie = ifExists();
            String name = colId();
            boolean force = false;
            if (isChar('(') || (isKw("with") && isChar(1, '('))) {
                acceptKw("with");
                expectChar('(');
                do {
                    expectKw("force");
                    force = true;
                } while (acceptChar(','));
                expectChar(')');
            }
            return new Ddl.DropDatabase(pos, name, ie, force);
        } else if (isAnyKw("role", "user", "group")) {
            if (isKw("user") && isKw(1, "mapping")) {
                return unsupported(pos);
            }
            Ddl.RoleKind kind = Ddl.RoleKind.valueOf(next().value().toUpperCase());
            boolean ie = ifExists();
            return new Ddl.DropRole(pos, kind, ie, roleList());
        } else {
            return unsupported(pos);
        }
        boolean ie = ifExists();
        List<ObjectRef> objects = new ArrayList<>();
        switch (type) {
            case TRIGGER, RULE, POLICY -> {
                String name = colId();
                expectKw("on");
                objects.add(new ObjectRef(List.of(name), null, anyName()));
            }
            case FUNCTION, PROCEDURE, ROUTINE, AGGREGATE -> {
                do {
                    objects.add(functionWithArgTypes(type == ObjectType.AGGREGATE));
                } while (acceptChar(','));
            }
            case SCHEMA, EXTENSION -> {
                for (String n : nameList()) {
                    objects.add(ObjectRef.of(List.of(n)));
                }
            }
            default -> {
                for (List<String> n : anyNameList()) {
                    objects.add(ObjectRef.of(n));
                }
            }
        }
        return new Ddl.Drop(pos, type, concurrently, ie, objects, optDropBehavior());
    }

    /** {@code function_with_argtypes}: name [( [mode] [name] type, ... )]. */
    protected final ObjectRef functionWithArgTypes(boolean aggregate) {
        List<String> name = new ArrayList<>();
        Token first = peek();
        if (!isTypeFunctionName(first) && !isColId(first)) {
            throw syntaxError();
        }
        name.add(next().value());
        while (isChar('.')) {
            next();
            name.add(colLabel());
        }
        if (!isChar('(')) {
            return ObjectRef.of(name);
        }
        next();
        List<TypeName> args = new ArrayList<>();
        if (aggregate && acceptChar('*')) {
            expectChar(')');
            return new ObjectRef(name, args, null);
        }
        if (!isChar(')')) {
            do {
                args.add(functionArgType());
            } while (acceptChar(','));
            if (aggregate && isKw("order")) {
                next();
                expectKw("by");
                do {
                    args.add(functionArgType());
                } while (acceptChar(','));
            }
        }
        expectChar(')');
        return new ObjectRef(name, args, null);
    }

    /** {@code func_arg}: [IN|OUT|INOUT|VARIADIC] [name] type. */
    private TypeName functionArgType() {
        if (isAnyKw("in", "out", "inout", "variadic")) {
            next();
        }
        // a parameter name followed by its type
        if ((is(TokenKind.IDENT) || (isNonReservedWord(peek()) && !atTypename()))
                && (atTypenameAt(1))) {
            next();
        }
        return typename();
    }

    private boolean atTypenameAt(int k) {
        Token t = peek(k);
        if (t.isChar(',') || t.isChar(')') || t.isChar('.') || t.isChar('(') || t.isChar('[') || t.isChar('%')) {
            return false;
        }
        return isTypeFunctionName(t) || (t.kind() == TokenKind.KEYWORD && isTypeKeyword(t));
    }

    // --------------------------------------------------------------- TRUNCATE

    protected final Ddl.Truncate truncate(int pos) {
        acceptKw("table");
        List<RangeVar> rels = relationExprList();
        boolean restart = false;
        if (acceptKw("restart")) {
            expectKw("identity");
            restart = true;
        } else if (acceptKw("continue")) {
            expectKw("identity");
        }
        return new Ddl.Truncate(pos, rels, restart, optDropBehavior());
    }

    // ----------------------------------------------------------- GRANT/REVOKE

    protected final Ddl grant(int pos) {
        boolean grant = next().value().equals("grant");
        boolean option = false;
        if (!grant && isKw("grant") && isKw(1, "option") && isKw(2, "for")) {
            next();
            next();
            next();
            option = true;
        }
        boolean adminOption = false;
        if (!grant && isKw("admin") && isKw(1, "option") && isKw(2, "for")) {
            next();
            next();
            next();
            adminOption = true;
        }
        if (!adminOption && isPrivilegeGrant()) {
            List<Ddl.Privilege> privileges = privileges();
            expectKw("on");
            ObjectType type = ObjectType.TABLE;
            boolean allInSchema = false;
            List<ObjectRef> objects = new ArrayList<>();
            if (acceptKw("all")) {
                if (acceptKw("tables")) {
                    type = ObjectType.TABLE;
                } else if (acceptKw("sequences")) {
                    type = ObjectType.SEQUENCE;
                } else if (acceptKw("functions")) {
                    type = ObjectType.FUNCTION;
                } else if (acceptKw("procedures")) {
                    type = ObjectType.PROCEDURE;
                } else {
                    expectKw("routines");
                    type = ObjectType.ROUTINE;
                }
                expectKw("in");
                expectKw("schema");
                allInSchema = true;
                for (String n : nameList()) {
                    objects.add(ObjectRef.of(List.of(n)));
                }
            } else {
                if (acceptKw("table")) {
                    type = ObjectType.TABLE;
                } else if (acceptKw("sequence")) {
                    type = ObjectType.SEQUENCE;
                } else if (acceptKw("database")) {
                    type = ObjectType.DATABASE;
                } else if (acceptKw("schema")) {
                    type = ObjectType.SCHEMA;
                } else if (acceptKw("function")) {
                    type = ObjectType.FUNCTION;
                } else if (acceptKw("procedure")) {
                    type = ObjectType.PROCEDURE;
                } else if (acceptKw("routine")) {
                    type = ObjectType.ROUTINE;
                } else if (acceptKw("type")) {
                    type = ObjectType.TYPE;
                } else if (acceptKw("domain")) {
                    type = ObjectType.DOMAIN;
                } else if (acceptKw("language")) {
                    type = ObjectType.LANGUAGE;
                } else if (acceptKw("tablespace")) {
                    type = ObjectType.TABLESPACE;
                } else if (isKw("foreign") && isKw(1, "data")) {
                    next();
                    next();
                    expectKw("wrapper");
                    type = ObjectType.FOREIGN_DATA_WRAPPER;
                } else if (isKw("foreign") && isKw(1, "server")) {
                    next();
                    next();
                    type = ObjectType.FOREIGN_SERVER;
                } else if (isKw("large") && isKw(1, "object")) {
                    next();
                    next();
                    type = ObjectType.LARGE_OBJECT;
                }
                switch (type) {
                    case FUNCTION, PROCEDURE, ROUTINE -> {
                        do {
                            objects.add(functionWithArgTypes(false));
                        } while (acceptChar(','));
                    }
                    case DATABASE, SCHEMA, LANGUAGE, TABLESPACE, FOREIGN_DATA_WRAPPER, FOREIGN_SERVER -> {
                        for (String n : nameList()) {
                            objects.add(ObjectRef.of(List.of(n)));
                        }
                    }
                    case LARGE_OBJECT -> {
                        do {
                            objects.add(ObjectRef.of(List.of(numericOnly())));
                        } while (acceptChar(','));
                    }
                    default -> {
                        for (List<String> n : anyNameList()) {
                            objects.add(ObjectRef.of(n));
                        }
                    }
                }
            }
            if (grant) {
                expectKw("to");
            } else {
                expectKw("from");
            }
            List<RoleSpec> grantees = grantees();
            if (grant && isKw("with") && isKw(1, "grant")) {
                next();
                next();
                expectKw("option");
                option = true;
            }
            RoleSpec grantedBy = optGrantedBy();
            DropBehavior behavior = grant ? DropBehavior.DEFAULT : optDropBehavior();
            return new Ddl.Grant(pos, grant, privileges, type, allInSchema, objects, grantees, option, grantedBy,
                    behavior);
        }
        List<String> roles = new ArrayList<>();
        do {
            RoleSpec r = roleSpec();
            roles.add(r.kind() == RoleSpec.Kind.NAME ? r.name() : r.kind().name().toLowerCase());
        } while (acceptChar(','));
        if (grant) {
            expectKw("to");
        } else {
            expectKw("from");
        }
        List<RoleSpec> grantees = grantees();
        if (grant && isKw("with") && isKw(1, "admin")) {
            next();
            next();
            expectKw("option");
            adminOption = true;
        }
        RoleSpec grantedBy = optGrantedBy();
        DropBehavior behavior = grant ? DropBehavior.DEFAULT : optDropBehavior();
        return new Ddl.GrantRole(pos, grant, roles, grantees, adminOption, grantedBy, behavior);
    }

    /** Whether the GRANT / REVOKE names privileges ON an object (an ON before TO/FROM). */
    private boolean isPrivilegeGrant() {
        int depth = 0;
        for (int k = p; k < toks.length; k++) {
            Token t = toks[k];
            if (t.kind() == TokenKind.EOF || (depth == 0 && t.isChar(';'))) {
                return false;
            }
            if (t.isChar('(')) {
                depth++;
            } else if (t.isChar(')')) {
                depth--;
            } else if (depth == 0 && t.isKeyword("on")) {
                return true;
            } else if (depth == 0 && (t.isKeyword("to") || t.isKeyword("from"))) {
                return false;
            }
        }
        return false;
    }

    private List<Ddl.Privilege> privileges() {
        if (acceptKw("all")) {
            acceptKw("privileges");
            if (isChar('(')) {
                return List.of(new Ddl.Privilege(null, parenNameList()));
            }
            return null;
        }
        List<Ddl.Privilege> list = new ArrayList<>();
        do {
            String name;
            if (isAnyKw("select", "references", "create")) {
                name = next().value();
            } else {
                name = colId();
            }
            list.add(new Ddl.Privilege(name, optParenNameList()));
        } while (acceptChar(','));
        return list;
    }

    private List<RoleSpec> grantees() {
        List<RoleSpec> list = new ArrayList<>();
        do {
            acceptKw("group");
            list.add(roleSpec());
        } while (acceptChar(','));
        return list;
    }

    /** {@code DROP OWNED BY roles [CASCADE | RESTRICT]}, after DROP OWNED BY. */
    protected final Ddl dropOwned(int pos) {
        List<RoleSpec> roles = grantees();
        return new Ddl.DropOwned(pos, roles, optDropBehavior());
    }

    /** {@code REASSIGN OWNED BY roles TO role}, after REASSIGN OWNED BY. */
    protected final Ddl reassignOwned(int pos) {
        List<RoleSpec> roles = grantees();
        expectKw("to");
        return new Ddl.ReassignOwned(pos, roles, roleSpec());
    }

    private RoleSpec optGrantedBy() {
        if (isKw("granted") && isKw(1, "by")) {
            next();
            next();
            return roleSpec();
        }
        return null;
    }

    // -------------------------------------------------------------- COMMENT

    protected final Ddl.Comment comment(int pos) {
        expectKw("on");
        ObjectType type;
        ObjectRef object;
        if (acceptKw("column")) {
            type = ObjectType.COLUMN;
            Token t = peek();
            List<String> name = anyName();
            if (name.size() < 2) {
                throw error("42601", "column name must be qualified", null, 0);
            }
            object = ObjectRef.of(name);
        } else if (acceptKw("constraint")) {
            type = ObjectType.TABLE_CONSTRAINT;
            String name = colId();
            expectKw("on");
            if (acceptKw("domain")) {
                object = new ObjectRef(List.of(name), null, anyName());
            } else {
                object = new ObjectRef(List.of(name), null, anyName());
            }
        } else if (isAnyKw("trigger", "rule", "policy")) {
            type = ObjectType.valueOf(next().value().toUpperCase());
            String name = colId();
            expectKw("on");
            object = new ObjectRef(List.of(name), null, anyName());
        } else if (isAnyKw("function", "procedure", "routine", "aggregate")) {
            type = ObjectType.valueOf(next().value().toUpperCase());
            object = functionWithArgTypes(type == ObjectType.AGGREGATE);
        } else {
            if (acceptKw("table")) {
                type = ObjectType.TABLE;
            } else if (acceptKw("index")) {
                type = ObjectType.INDEX;
            } else if (acceptKw("sequence")) {
                type = ObjectType.SEQUENCE;
            } else if (acceptKw("view")) {
                type = ObjectType.VIEW;
            } else if (isKw("materialized") && isKw(1, "view")) {
                next();
                next();
                type = ObjectType.MATERIALIZED_VIEW;
            } else if (isKw("foreign") && isKw(1, "table")) {
                next();
                next();
                type = ObjectType.FOREIGN_TABLE;
            } else if (acceptKw("schema")) {
                type = ObjectType.SCHEMA;
            } else if (acceptKw("database")) {
                type = ObjectType.DATABASE;
            } else if (acceptKw("role")) {
                type = ObjectType.ROLE;
            } else if (acceptKw("extension")) {
                type = ObjectType.EXTENSION;
            } else if (acceptKw("type")) {
                type = ObjectType.TYPE;
            } else if (acceptKw("domain")) {
                type = ObjectType.DOMAIN;
            } else if (acceptKw("collation")) {
                type = ObjectType.COLLATION;
            } else if (acceptKw("tablespace")) {
                type = ObjectType.TABLESPACE;
            } else {
                throw syntaxError();
            }
            if (type == ObjectType.TYPE || type == ObjectType.DOMAIN) {
                object = ObjectRef.of(typename().names());
            } else {
                object = ObjectRef.of(anyName());
            }
        }
        expectKw("is");
        String text = null;
        if (!acceptKw("null")) {
            text = sconst();
        }
        return new Ddl.Comment(pos, type, object, text);
    }
}
