package modgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.Ddl;
import modgres.sql.ast.TypeName;

/*
 * Design notes: CREATE TYPE (composite and enum; PostgreSQL's
 * CompositeTypeStmt and CreateEnumStmt) and ALTER TYPE ... ADD VALUE
 * (AlterEnumStmt), kept out of DdlParser as RoutineParser is. Entered just
 * after the key words CREATE TYPE / ALTER TYPE; leaves the parser at the end
 * of the statement. The other forms PostgreSQL has (base types with I/O
 * functions, ranges, shell types) are reported as not supported.
 */
/** CREATE TYPE ... AS (...) | AS ENUM (...), ALTER TYPE ... ADD VALUE; see the design notes. */
final class TypeParser {
    private TypeParser() {
    }

    /** After {@code CREATE TYPE}: null when the form is not one this engine builds (the caller reports it). */
    static Ddl createType(DdlParser ps, int pos) {
        List<String> name = ps.anyName();
        if (!ps.acceptKw("as")) {
            return null;
        }
        if (ps.acceptKw("enum")) {
            ps.expectChar('(');
            List<String> labels = new ArrayList<>();
            if (!ps.isChar(')')) {
                do {
                    labels.add(ps.sconst());
                } while (ps.acceptChar(','));
            }
            ps.expectChar(')');
            return new Ddl.CreateType(pos, name, List.of(), List.of(), labels);
        }
        if (ps.isKw("range")) {
            return null;
        }
        ps.expectChar('(');
        List<String> names = new ArrayList<>();
        List<TypeName> types = new ArrayList<>();
        if (!ps.isChar(')')) {
            do {
                names.add(ps.colId());
                types.add(ps.typename());
                if (ps.acceptKw("collate")) {
                    ps.anyName();
                }
            } while (ps.acceptChar(','));
        }
        ps.expectChar(')');
        return new Ddl.CreateType(pos, name, names, types, null);
    }

    /** After {@code ALTER TYPE}: ADD VALUE, else null (the caller reports the form as not supported). */
    static Ddl alterType(DdlParser ps, int pos) {
        List<String> name = ps.anyName();
        if (!(ps.isKw("add") && ps.isKw(1, "value"))) {
            return null;
        }
        ps.next();
        ps.next();
        boolean ine = false;
        if (ps.isKw("if") && ps.isKw(1, "not")) {
            ps.next();
            ps.next();
            ps.expectKw("exists");
            ine = true;
        }
        String label = ps.sconst();
        String neighbor = null;
        boolean after = false;
        if (ps.acceptKw("before")) {
            neighbor = ps.sconst();
        } else if (ps.acceptKw("after")) {
            neighbor = ps.sconst();
            after = true;
        }
        return new Ddl.AlterTypeAddValue(pos, name, ine, label, neighbor, after);
    }
}
