package modgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.Ddl;
import modgres.sql.ast.TypeName;

/*
 * Design notes: CREATE / DROP OPERATOR CLASS (PostgreSQL's CreateOpClassStmt
 * and RemoveOpClassStmt), kept out of DdlParser as DomainParser is. Entered
 * just after the key words OPERATOR CLASS; leaves the parser at the end of
 * the statement. The strategy and support numbers are checked against the
 * access method when the statement runs (as PostgreSQL's DefineOpClass does),
 * so the grammar takes any integer.
 */
/** CREATE / DROP OPERATOR CLASS; see the design notes. */
final class OpClassParser {
    private OpClassParser() {
    }

    /** After {@code CREATE OPERATOR CLASS}. */
    static Ddl.CreateOpClass create(DdlParser ps, int pos) {
        List<String> name = ps.anyName();
        boolean isDefault = ps.acceptKw("default");
        ps.expectKw("for");
        ps.expectKw("type");
        TypeName type = ps.typename();
        ps.expectKw("using");
        String method = ps.colId();
        List<String> family = ps.acceptKw("family") ? ps.anyName() : null;
        ps.expectKw("as");
        List<Ddl.OpClassItem> items = new ArrayList<>();
        do {
            items.add(item(ps));
        } while (ps.acceptChar(','));
        return new Ddl.CreateOpClass(pos, name, isDefault, type, method, family, items);
    }

    private static Ddl.OpClassItem item(DdlParser ps) {
        int pos = ps.pos();
        if (ps.acceptKw("storage")) {
            return new Ddl.OpClassItem(pos, 's', 0, null, List.of(), List.of(), ps.typename());
        }
        boolean operator = ps.acceptKw("operator");
        if (!operator && !ps.acceptKw("function")) {
            throw ps.syntaxError();
        }
        int number = number(ps);
        if (operator) {
            List<String> op = new ArrayList<>();
            while (ps.isColId(ps.peek()) && ps.isChar(1, '.')) {
                op.add(ps.next().value());
                ps.next();
            }
            op.add(ps.allOp());
            List<TypeName> types = typeList(ps);
            if (ps.acceptKw("for")) { // FOR SEARCH | FOR ORDER BY family: only search operators are kept
                if (!ps.acceptKw("search")) {
                    ps.expectKw("order");
                    ps.expectKw("by");
                    ps.anyName();
                }
            }
            return new Ddl.OpClassItem(pos, 'o', number, op, types, List.of(), null);
        }
        List<TypeName> types = ps.isChar('(') ? typeList(ps) : List.of();
        List<String> fn = ps.anyName();
        List<TypeName> args = new ArrayList<>();
        ps.expectChar('(');
        if (!ps.acceptChar(')')) {
            do {
                args.add(ps.typename());
            } while (ps.acceptChar(','));
            ps.expectChar(')');
        }
        return new Ddl.OpClassItem(pos, 'f', number, fn, types, args, null);
    }

    private static List<TypeName> typeList(DdlParser ps) {
        List<TypeName> types = new ArrayList<>();
        if (ps.acceptChar('(')) {
            do {
                types.add(ps.typename());
            } while (ps.acceptChar(','));
            ps.expectChar(')');
        }
        return types;
    }

    private static int number(DdlParser ps) {
        if (ps.peek().kind() != TokenKind.ICONST) {
            throw ps.syntaxError();
        }
        return Integer.parseInt(ps.next().value());
    }

    /** After {@code DROP OPERATOR CLASS}. */
    static Ddl.DropOpClass drop(DdlParser ps, int pos) {
        boolean ie = ps.ifExists();
        List<String> name = ps.anyName();
        ps.expectKw("using");
        String method = ps.colId();
        return new Ddl.DropOpClass(pos, ie, name, method, ps.optDropBehavior());
    }
}
