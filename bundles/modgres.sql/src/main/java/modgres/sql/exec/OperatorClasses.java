package modgres.sql.exec;

/*
 * Design notes
 * ------------
 * CREATE / DROP OPERATOR CLASS for the btree and hash access methods, stored
 * as PostgreSQL stores them:
 *
 *   pg_opfamily  the family (FAMILY f, else one of the class's own name,
 *                created with it, as PostgreSQL does; DROP OPERATOR CLASS
 *                leaves it, as PostgreSQL does)
 *   pg_opclass   the class: access method, input type, DEFAULT flag
 *   pg_amop      one row per OPERATOR n op (strategy n)
 *   pg_amproc    one row per FUNCTION n f(...) (support function n)
 *
 * What uses them: a PARTITION BY HASH key column naming a class (PostgreSQL's
 * "(a part_test_int4_ops)") hashes its values with the class's extended hash
 * support function (number 2: f(value, seed int8) returns int8), so the rows
 * land where the user's function says; pg_partitioned_table.partclass keeps
 * the class OIDs (0 for a column using its type's default), and DROP
 * OPERATOR CLASS refuses while a partition key uses the class. B-tree classes
 * are stored and validated but indexes and sorts still use the types' own
 * orderings.
 *
 * Checks follow PostgreSQL's DefineOpClass: the access method exists
 * (42704), strategy and support numbers are in the method's range (42P17),
 * the hash support functions have the required signatures (42P17), a class
 * of that name does not already exist for the method (42710), and only one
 * user-defined DEFAULT class per type and method.
 */

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import modgres.api.error.PgException;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.DropBehavior;
import modgres.sql.ast.TypeName;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.SysTable;

/** CREATE / DROP OPERATOR CLASS and the classes' lookups; see the design notes. */
public final class OperatorClasses {
    private static final int BTREE = 403, HASH = 405;
    private static final int INT4 = 23, INT8 = 20, BOOL = 16;

    private final DdlExecutor d;

    public OperatorClasses(DdlExecutor d) {
        this.d = d;
    }

    /** The OID of an access method by name (pg_am's rows), or 42704. */
    private static int accessMethod(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "btree" -> BTREE;
            case "hash" -> HASH;
            case "gist" -> 783;
            case "gin" -> 2742;
            case "spgist" -> 4000;
            case "brin" -> 3580;
            default -> throw new PgException("42704", "access method \"" + name + "\" does not exist");
        };
    }

    private static String methodName(int oid) {
        return oid == BTREE ? "btree" : oid == HASH ? "hash" : String.valueOf(oid);
    }

    public String create(Ddl.CreateOpClass c) {
        int am = accessMethod(c.method());
        if (am != BTREE && am != HASH) {
            throw new PgException("0A000", "operator classes for access method \"" + c.method()
                    + "\" are not supported yet", null, null, c.position(), null);
        }
        String name = c.name().get(c.name().size() - 1);
        String schema = c.name().size() > 1 ? c.name().get(c.name().size() - 2) : null;
        int nsp = "pg_temp".equals(schema) ? d.tempNamespace() : d.creationNamespace(schema, c.position());
        int type = typeOid(c.forType());
        ensureStorage();
        CatalogView cat = d.cat;
        for (CatalogStore.Row r : cat.rows(SysTable.PG_OPCLASS)) {
            if (name.equals(r.get(SysTable.PG_OPCLASS, "opcname")) && nsp == oid(r, SysTable.PG_OPCLASS, "opcnamespace")
                    && am == oid(r, SysTable.PG_OPCLASS, "opcmethod")) {
                throw new PgException("42710", "operator class \"" + name + "\" for access method \"" + c.method()
                        + "\" already exists");
            }
            if (c.isDefault() && Boolean.TRUE.equals(r.get(SysTable.PG_OPCLASS, "opcdefault"))
                    && type == oid(r, SysTable.PG_OPCLASS, "opcintype") && am == oid(r, SysTable.PG_OPCLASS, "opcmethod")) {
                throw new PgException("42710", "could not make operator class \"" + name + "\" be default for type "
                        + d.ts.format(type, -1), "Operator class \"" + r.get(SysTable.PG_OPCLASS, "opcname")
                        + "\" already is the default.", null);
            }
        }
        int owner = d.ownerOid();
        int family = family(c, am, nsp, name, owner);
        int opclass = d.tx.newOid();
        int storage = 0;
        int maxStrategy = am == HASH ? 1 : 5;
        int maxSupport = am == HASH ? 3 : 5;
        List<Object[]> amops = new ArrayList<>();
        List<Object[]> amprocs = new ArrayList<>();
        for (Ddl.OpClassItem it : c.items()) {
            switch (it.kind()) {
                case 's' -> storage = typeOid(it.storage());
                case 'o' -> {
                    if (it.number() < 1 || it.number() > maxStrategy) {
                        throw new PgException("42P17", "invalid operator number " + it.number()
                                + ", must be between 1 and " + maxStrategy);
                    }
                    int left = it.classTypes().isEmpty() ? type : typeOid(it.classTypes().get(0));
                    int right = it.classTypes().size() < 2 ? left : typeOid(it.classTypes().get(1));
                    String op = it.name().get(it.name().size() - 1);
                    TypeSystem.Fn fn = d.ts.operator(op, left, right); // 42883 when there is none
                    if (fn.resultType() != BOOL) {
                        throw new PgException("42P17", "index operators must return boolean");
                    }
                    amops.add(new Object[] {d.tx.newOid(), family, left, right, (short) it.number(), "s",
                            userOperatorOid(op, left, right), am, 0});
                }
                default -> {
                    if (it.number() < 1 || it.number() > maxSupport) {
                        throw new PgException("42P17", "invalid function number " + it.number()
                                + ", must be between 1 and " + maxSupport);
                    }
                    int[] args = it.args().stream().mapToInt(this::typeOid).toArray();
                    String fname = it.name().get(it.name().size() - 1);
                    if (it.name().size() > 1 && it.name().get(it.name().size() - 2).equals("pg_temp")) {
                        fname = "pg_temp." + fname;
                    }
                    TypeSystem.Fn fn = d.ts.function(fname, args); // 42883 when there is none
                    int proc = procOid(it.name(), args);
                    if (am == HASH) {
                        checkHashSupport(it.number(), args, fn.resultType());
                    }
                    int left = it.classTypes().isEmpty() ? type : typeOid(it.classTypes().get(0));
                    int right = it.classTypes().size() < 2 ? left : typeOid(it.classTypes().get(1));
                    amprocs.add(new Object[] {d.tx.newOid(), family, left, right, (short) it.number(), proc});
                }
            }
        }
        d.store.insert(SysTable.PG_OPCLASS, new Object[] {opclass, am, name, nsp, owner, family, type,
                c.isDefault(), storage}, d.tx);
        for (Object[] r : amops) {
            d.store.insert(SysTable.PG_AMOP, r, d.tx);
        }
        for (Object[] r : amprocs) {
            d.store.insert(SysTable.PG_AMPROC, r, d.tx);
        }
        d.tx.catalogChanged();
        return "CREATE OPERATOR CLASS";
    }

    /** PostgreSQL's checks of hash support functions 1 (value -> int4) and 2 (value, int8 seed -> int8). */
    private static void checkHashSupport(int number, int[] args, int result) {
        if (number == 1) {
            if (args.length != 1) {
                throw new PgException("42P17", "hash function 1 must have one argument");
            }
            if (result != INT4) {
                throw new PgException("42P17", "hash function 1 must return integer");
            }
        } else if (number == 2) {
            if (args.length != 2 || args[1] != INT8) {
                throw new PgException("42P17", "hash function 2 must have two arguments");
            }
            if (result != INT8) {
                throw new PgException("42P17", "hash function 2 must return bigint");
            }
        }
    }

    /** The family named by FAMILY (which must exist), else a new one of the class's name (or that one). */
    private int family(Ddl.CreateOpClass c, int am, int nsp, String name, int owner) {
        String fname = c.family() != null ? c.family().get(c.family().size() - 1) : name;
        for (CatalogStore.Row r : d.cat.rows(SysTable.PG_OPFAMILY)) {
            if (fname.equals(r.get(SysTable.PG_OPFAMILY, "opfname")) && am == oid(r, SysTable.PG_OPFAMILY, "opfmethod")
                    && (c.family() != null || nsp == oid(r, SysTable.PG_OPFAMILY, "opfnamespace"))) {
                return oid(r, SysTable.PG_OPFAMILY, "oid");
            }
        }
        if (c.family() != null) {
            throw new PgException("42704", "operator family \"" + fname + "\" does not exist for access method \""
                    + c.method() + "\"");
        }
        int oid = d.tx.newOid();
        d.store.insert(SysTable.PG_OPFAMILY, new Object[] {oid, am, fname, nsp, owner}, d.tx);
        return oid;
    }

    public String drop(Ddl.DropOpClass dr) {
        int am = accessMethod(dr.method());
        ensureStorage();
        CatalogStore.Row found = find(d.cat, d.planner.searchPath, dr.name(), am);
        String name = dr.name().get(dr.name().size() - 1);
        if (found == null) {
            if (dr.ifExists()) {
                d.notice.accept("operator class \"" + String.join(".", dr.name()) + "\" does not exist for access"
                        + " method \"" + dr.method() + "\", skipping");
                return "DROP OPERATOR CLASS";
            }
            throw new PgException("42704", "operator class \"" + String.join(".", dr.name())
                    + "\" does not exist for access method \"" + dr.method() + "\"");
        }
        int oid = oid(found, SysTable.PG_OPCLASS, "oid");
        for (CatalogStore.Row r : d.cat.rows(SysTable.PG_PARTITIONED_TABLE)) {
            if (classesOf((String) r.get(SysTable.PG_PARTITIONED_TABLE, "partclass")).contains(oid)) {
                int rel = oid(r, SysTable.PG_PARTITIONED_TABLE, "partrelid");
                String table = d.cat.relation(rel) != null ? d.cat.relation(rel).name() : String.valueOf(rel);
                if (dr.behavior() != DropBehavior.CASCADE) {
                    throw new PgException("2BP01", "cannot drop operator class " + name + " for access method "
                            + dr.method() + " because other objects depend on it", "table " + table
                            + " depends on operator class " + name + " for access method " + dr.method(),
                            "Use DROP ... CASCADE to drop the dependent objects too.");
                }
                throw new PgException("0A000", "DROP OPERATOR CLASS ... CASCADE of a class a partition key uses"
                        + " is not supported yet");
            }
        }
        int family = oid(found, SysTable.PG_OPCLASS, "opcfamily");
        int type = oid(found, SysTable.PG_OPCLASS, "opcintype");
        d.store.delete(SysTable.PG_OPCLASS, found.tid(), d.tx);
        // the class's operators and functions: those of its family for its input type (PostgreSQL's
        // dependencies of a class on its pg_amop/pg_amproc rows)
        for (CatalogStore.Row r : d.cat.rowsWhere(SysTable.PG_AMOP, "amopfamily", family)) {
            if (oid(r, SysTable.PG_AMOP, "amoplefttype") == type) {
                d.store.delete(SysTable.PG_AMOP, r.tid(), d.tx);
            }
        }
        for (CatalogStore.Row r : d.cat.rowsWhere(SysTable.PG_AMPROC, "amprocfamily", family)) {
            if (oid(r, SysTable.PG_AMPROC, "amproclefttype") == type) {
                d.store.delete(SysTable.PG_AMPROC, r.tid(), d.tx);
            }
        }
        d.tx.catalogChanged();
        return "DROP OPERATOR CLASS";
    }

    /** The class named (qualified, or the first found along search_path) for an access method, or null. */
    static CatalogStore.Row find(CatalogView cat, List<String> searchPath, List<String> name, int am) {
        String cls = name.get(name.size() - 1);
        List<Integer> spaces = new ArrayList<>();
        if (name.size() > 1) {
            Namespace ns = cat.namespace(name.get(name.size() - 2));
            if (ns == null) {
                throw new PgException("3F000", "schema \"" + name.get(name.size() - 2) + "\" does not exist");
            }
            spaces.add(ns.oid());
        } else {
            for (String s : searchPath) {
                Namespace ns = cat.namespace(s);
                if (ns != null) {
                    spaces.add(ns.oid());
                }
            }
        }
        List<CatalogStore.Row> rows = cat.rows(SysTable.PG_OPCLASS);
        if (rows == null) {
            return null;
        }
        for (int nsp : spaces) {
            for (CatalogStore.Row r : rows) {
                if (cls.equals(r.get(SysTable.PG_OPCLASS, "opcname")) && am == oid(r, SysTable.PG_OPCLASS, "opcmethod")
                        && nsp == oid(r, SysTable.PG_OPCLASS, "opcnamespace")) {
                    return r;
                }
            }
        }
        return null;
    }

    /**
     * The OID of the hash operator class a PARTITION BY HASH key column names, checked against the column's
     * type; 0 when the column names none or a built-in one (its type's own hashing).
     */
    static int hashKeyClass(CatalogView cat, List<String> searchPath, List<String> opclass, int keyType,
            TypeSystem ts) {
        if (opclass.isEmpty()) {
            return 0;
        }
        CatalogStore.Row r = find(cat, searchPath, opclass, HASH);
        if (r == null && opclass.size() == 1 && opclass.get(0).endsWith("_ops")) {
            return 0; // a built-in class (int4_ops, text_ops, ...): the type's own hashing
        }
        if (r == null) {
            throw new PgException("42704", "operator class \"" + String.join(".", opclass)
                    + "\" does not exist for access method \"hash\"");
        }
        int intype = oid(r, SysTable.PG_OPCLASS, "opcintype");
        if (intype != keyType) {
            throw new PgException("42804", "operator class \"" + String.join(".", opclass)
                    + "\" does not accept data type " + ts.format(keyType, -1));
        }
        return oid(r, SysTable.PG_OPCLASS, "oid");
    }

    /**
     * The extended hash support function (number 2) of a hash operator class as a callable function, or null
     * when the class has none (then the type's own hashing applies).
     */
    static TypeSystem.Fn extendedHash(CatalogView cat, TypeSystem ts, int opclass) {
        CatalogStore.Row cls = cat.row(SysTable.PG_OPCLASS, "oid", opclass);
        if (cls == null) {
            return null;
        }
        int family = oid(cls, SysTable.PG_OPCLASS, "opcfamily");
        int type = oid(cls, SysTable.PG_OPCLASS, "opcintype");
        for (CatalogStore.Row r : cat.rowsWhere(SysTable.PG_AMPROC, "amprocfamily", family)) {
            if (((Number) r.get(SysTable.PG_AMPROC, "amprocnum")).intValue() == 2
                    && oid(r, SysTable.PG_AMPROC, "amproclefttype") == type) {
                CatalogStore.Row proc = cat.row(SysTable.PG_PROC, "oid", r.get(SysTable.PG_AMPROC, "amproc"));
                if (proc == null) {
                    return null;
                }
                Namespace ns = cat.namespace(oid(proc, SysTable.PG_PROC, "pronamespace"));
                String fname = (ns != null && ns.name().startsWith("pg_temp") ? "pg_temp." : "")
                        + proc.get(SysTable.PG_PROC, "proname");
                return ts.function(fname, new int[] {type, INT8});
            }
        }
        return null;
    }

    /** The class OIDs of pg_partitioned_table.partclass ("" or space-separated OIDs). */
    static List<Integer> classesOf(String partclass) {
        List<Integer> out = new ArrayList<>();
        if (partclass != null && !partclass.isBlank()) {
            for (String s : partclass.trim().split("\\s+")) {
                out.add(Integer.parseInt(s));
            }
        }
        return out;
    }

    private int typeOid(TypeName t) {
        return d.ts.typeOid(t.names(), !t.arrayBounds().isEmpty());
    }

    /** The pg_proc OID of a user-defined function by (possibly qualified) name and argument types, or 42883. */
    private int procOid(List<String> name, int[] args) {
        String fname = name.get(name.size() - 1);
        String want = String.join(" ", java.util.Arrays.stream(args).mapToObj(String::valueOf).toList());
        for (CatalogStore.Row r : d.cat.rowsWhere(SysTable.PG_PROC, "proname", fname)) {
            String have = (String) r.get(SysTable.PG_PROC, "proargtypes");
            if (want.equals(have == null ? "" : have.trim().replaceAll("[,{}]", " ").trim().replaceAll("\\s+", " "))) {
                return oid(r, SysTable.PG_PROC, "oid");
            }
        }
        throw new PgException("0A000", "built-in functions as support functions of an operator class are not"
                + " supported yet");
    }

    /** The pg_operator OID of a user-defined operator, else 0 (a built-in one: see the design notes). */
    private int userOperatorOid(String op, int left, int right) {
        List<CatalogStore.Row> rows = d.cat.rows(SysTable.PG_OPERATOR);
        if (rows != null) {
            for (CatalogStore.Row r : rows) {
                if (op.equals(r.get(SysTable.PG_OPERATOR, "oprname")) && left == oid(r, SysTable.PG_OPERATOR, "oprleft")
                        && right == oid(r, SysTable.PG_OPERATOR, "oprright")) {
                    return oid(r, SysTable.PG_OPERATOR, "oid");
                }
            }
        }
        return 0;
    }

    private static int oid(CatalogStore.Row r, SysTable t, String col) {
        return ((Number) r.get(t, col)).intValue();
    }

    /** A database made before these catalogs existed gets their files on first use. */
    private void ensureStorage() {
        for (SysTable t : List.of(SysTable.PG_OPFAMILY, SysTable.PG_OPCLASS, SysTable.PG_AMOP, SysTable.PG_AMPROC)) {
            d.store.ensureStorage(t, d.tx.snapshot());
        }
    }
}
