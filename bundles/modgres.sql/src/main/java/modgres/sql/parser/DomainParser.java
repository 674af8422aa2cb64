package modgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.Constraint;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.DropBehavior;
import modgres.sql.ast.Expr;
import modgres.sql.ast.TypeName;

/*
 * Design notes: the statements that define domains and operators
 * (PostgreSQL's CreateDomainStmt, AlterDomainStmt, DefineStmt for OPERATOR
 * and RemoveOperStmt), kept out of DdlParser as RoutineParser is. Each
 * method works on the parser it is given, is entered just after the key
 * word(s) naming the object (CREATE DOMAIN, ALTER DOMAIN, CREATE OPERATOR,
 * DROP OPERATOR) and leaves the parser at the end of the statement.
 *
 * A domain's constraints use the column constraint grammar (ColQualList), as
 * PostgreSQL's does; which of them a domain may have is checked when the
 * statement runs (PostgreSQL's DefineDomain), so the errors are the same.
 */
/** CREATE / ALTER DOMAIN, CREATE / DROP OPERATOR; see the design notes. */
final class DomainParser {
    private DomainParser() {
    }

    /** After {@code CREATE DOMAIN}. */
    static Ddl.CreateDomain createDomain(DdlParser ps, int pos) {
        List<String> name = ps.anyName();
        ps.acceptKw("as");
        TypeName type = ps.typename();
        List<String> collation = new ArrayList<>();
        List<Constraint> constraints = ps.columnConstraints(collation);
        return new Ddl.CreateDomain(pos, name, type, collation, constraints);
    }

    /** After {@code ALTER DOMAIN}. */
    static Ddl.AlterDomain alterDomain(DdlParser ps, int pos) {
        List<String> name = ps.anyName();
        if (ps.isKw("set") && ps.isKw(1, "default")) {
            ps.next();
            ps.next();
            Expr e = ps.expr();
            return new Ddl.AlterDomain(pos, name, "SET DEFAULT", e, null, null, false, DropBehavior.DEFAULT);
        }
        if (ps.isKw("drop") && ps.isKw(1, "default")) {
            ps.next();
            ps.next();
            return new Ddl.AlterDomain(pos, name, "DROP DEFAULT", null, null, null, false, DropBehavior.DEFAULT);
        }
        if (ps.isAnyKw("set", "drop") && ps.isKw(1, "not") && ps.isKw(2, "null")) {
            String action = ps.next().value().equals("set") ? "SET NOT NULL" : "DROP NOT NULL";
            ps.next();
            ps.next();
            return new Ddl.AlterDomain(pos, name, action, null, null, null, false, DropBehavior.DEFAULT);
        }
        if (ps.acceptKw("add")) {
            int cpos = ps.pos();
            String cname = null;
            if (ps.acceptKw("constraint")) {
                cname = ps.colId();
            }
            Constraint.Spec spec;
            if (ps.isKw("not") && ps.isKw(1, "null")) {
                ps.next();
                ps.next();
                spec = new Constraint.NotNull();
            } else if (ps.acceptKw("check")) {
                ps.expectChar('(');
                Expr e = ps.expr();
                ps.expectChar(')');
                spec = new Constraint.Check(e, false);
            } else {
                throw ps.syntaxError();
            }
            boolean notValid = false;
            if (ps.isKw("not") && ps.isKw(1, "valid")) {
                ps.next();
                ps.next();
                notValid = true;
            }
            Constraint c = new Constraint(cpos, cname, spec, new Constraint.Attributes(false, false, notValid));
            return new Ddl.AlterDomain(pos, name, "ADD CONSTRAINT", null, c, null, false, DropBehavior.DEFAULT);
        }
        if (ps.isKw("drop") && ps.isKw(1, "constraint")) {
            ps.next();
            ps.next();
            boolean ie = ps.ifExists();
            String cname = ps.colId();
            return new Ddl.AlterDomain(pos, name, "DROP CONSTRAINT", null, null, cname, ie, ps.optDropBehavior());
        }
        if (ps.isKw("rename") && ps.isKw(1, "to")) {
            ps.next();
            ps.next();
            String to = ps.colId();
            return new Ddl.AlterDomain(pos, name, "RENAME TO", null, null, to, false, DropBehavior.DEFAULT);
        }
        if (ps.isKw("validate") && ps.isKw(1, "constraint")) {
            ps.next();
            ps.next();
            String cname = ps.colId();
            return new Ddl.AlterDomain(pos, name, "VALIDATE CONSTRAINT", null, null, cname, false,
                    DropBehavior.DEFAULT);
        }
        throw ps.syntaxError();
    }

    /** {@code any_operator}: [schema '.']... all_Op. */
    private static List<String> anyOperator(DdlParser ps) {
        List<String> name = new ArrayList<>();
        while (ps.isColId(ps.peek()) && ps.isChar(1, '.')) {
            name.add(ps.next().value());
            ps.next();
        }
        name.add(ps.allOp());
        return name;
    }

    /** After {@code CREATE OPERATOR}. */
    static Ddl.CreateOperator createOperator(DdlParser ps, int pos) {
        List<String> name = anyOperator(ps);
        ps.expectChar('(');
        List<DefElem> def = new ArrayList<>();
        do {
            int dpos = ps.pos();
            String item = ps.colLabel();
            DefElem.Value v = null;
            if (ps.acceptChar('=')) {
                v = ps.defArg();
            }
            def.add(DefElem.of(dpos, item, v));
        } while (ps.acceptChar(','));
        ps.expectChar(')');
        return new Ddl.CreateOperator(pos, name, def);
    }

    /** After {@code DROP OPERATOR}. */
    static Ddl.DropOperator dropOperator(DdlParser ps, int pos) {
        boolean ie = ps.ifExists();
        List<Ddl.OperatorWithArgs> ops = new ArrayList<>();
        do {
            int opos = ps.pos();
            List<String> name = anyOperator(ps);
            ps.expectChar('(');
            TypeName left = ps.acceptKw("none") ? null : ps.typename();
            if (!ps.acceptChar(',')) {
                throw ps.error("42601", "missing argument",
                        "Use NONE to denote the missing argument of a unary operator.", ps.pos());
            }
            TypeName right = ps.acceptKw("none") ? null : ps.typename();
            ps.expectChar(')');
            ops.add(new Ddl.OperatorWithArgs(opos, name, left, right));
        } while (ps.acceptChar(','));
        return new Ddl.DropOperator(pos, ie, ops, ps.optDropBehavior());
    }
}
