package modgres.sql.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import modgres.api.error.PgException;
import modgres.sql.ast.Constraint;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.DropBehavior;
import modgres.sql.ast.Expr;
import modgres.sql.ast.ObjectRef;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.ast.TypeName;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.exec.DomainChecks;
import modgres.sql.exec.Ev;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.TypeSystem;
import modgres.sql.parser.SqlParser;
import modgres.sql.types.Type;
import modgres.sql.types.Types;
import modgres.sql.types.UserTypes;

/*
 * Design notes: domains (CREATE / ALTER / DROP DOMAIN) for one session, and
 * the lookup of user-defined type names.
 *
 * Storage, as PostgreSQL 15's: a pg_type row with typtype 'd', typbasetype /
 * typtypmod the base type and its modifier, typnotnull, typdefault (the
 * default's SQL text; typdefaultbin holds the same text where PostgreSQL
 * keeps a node tree); beside it the array type "_name" (typtype 'b',
 * typelem = the domain), as PostgreSQL creates one for every domain. Each
 * CHECK constraint is a pg_constraint row with contypid = the domain,
 * conrelid 0, contype 'c', conbin its SQL text. NOT NULL is typnotnull only
 * (PostgreSQL 15 keeps no pg_constraint row for it).
 *
 * Values: a domain's values are values of its base type. The domain's OID
 * (and its array type's) are registered with UserTypes to stand for the base
 * type's descriptor, so storage, comparison and text I/O need nothing else;
 * the engine keeps what a domain adds: TypeSystemImpl maps the domain to its
 * base for operator and function resolution (PostgreSQL's getBaseType in
 * func_select_candidate and friends) and asks here for the check of a value
 * cast or assigned to the domain (PostgreSQL's CoerceToDomain):
 *
 *     value of type X --cast to base (typmod)--> base value --check--> domain value
 *        check: NULL and typnotnull          -> 23502 domain d does not allow null values
 *               each CHECK, base domains' first, false -> 23514 value for domain d violates
 *                                                        check constraint "c"
 *
 * The checks are compiled (DomainChecks) once per catalog view, on first use.
 *
 * Type names: user-defined types (domains, and the composite and enum types
 * of CREATE TYPE) are found by name here: a qualified name in its schema
 * (pg_temp: the session's temporary schema), an unqualified one along the
 * search path with the temporary schema first unless the path lists it, as
 * PostgreSQL's TypenameGetTypid. Built-in names are the type system's and
 * are tried first by the caller.
 */
/** CREATE / ALTER / DROP DOMAIN, domain checks and user type names; see the design notes. */
final class Domains {

    /** A CHECK constraint of a domain. */
    record Check(int oid, long tid, String name, String sql, boolean validated) {
    }

    /** A domain as its pg_type and pg_constraint rows describe it. */
    static final class Domain {
        int oid;
        long tid;
        Object[] row;
        String name;
        int namespace;
        int baseType;
        int typmod;
        boolean notNull;
        String defaultSql;
        int arrayOid;
        long arrayTid;
        final List<Check> checks = new ArrayList<>();
    }

    /** One pg_type row of a user-defined type, for name lookup. */
    private record TypeRow(int oid, String name, int namespace, char typtype, int arrayOid) {
    }

    private final DataPath data;
    private CatalogView loadedFrom;
    private Map<Integer, Domain> byOid = new HashMap<>();
    private List<TypeRow> typeRows = List.of();
    private final Map<Integer, TypeSystem.Cast> compiledChecks = new HashMap<>();
    private int compiling;

    Domains(DataPath data) {
        this.data = data;
    }

    // ---------------------------------------------------------------- the catalog

    private Map<Integer, Domain> domains() {
        CatalogView view = data.catalog();
        if (view != loadedFrom) {
            load(view);
        }
        return byOid;
    }

    /** Reads the domains of a (new) catalog view and registers their OIDs as their base types' values. */
    void load(CatalogView view) {
        Map<Integer, Domain> m = new HashMap<>();
        List<TypeRow> names = new ArrayList<>();
        SysTable t = SysTable.PG_TYPE;
        List<CatalogStore.Row> rows = view.rows(t);
        Map<Integer, Long> arrayTids = new HashMap<>();
        for (CatalogStore.Row r : rows == null ? List.<CatalogStore.Row>of() : rows) {
            int oid = (Integer) r.get(t, "oid");
            char typtype = ((String) r.get(t, "typtype")).charAt(0);
            names.add(new TypeRow(oid, (String) r.get(t, "typname"), (Integer) r.get(t, "typnamespace"), typtype,
                    (Integer) r.get(t, "typarray")));
            arrayTids.put(oid, r.tid());
            if (typtype != 'd') {
                continue;
            }
            Domain d = new Domain();
            d.oid = oid;
            d.tid = r.tid();
            d.row = r.values();
            d.name = (String) r.get(t, "typname");
            d.namespace = (Integer) r.get(t, "typnamespace");
            d.baseType = (Integer) r.get(t, "typbasetype");
            d.typmod = (Integer) r.get(t, "typtypmod");
            d.notNull = (Boolean) r.get(t, "typnotnull");
            d.defaultSql = (String) r.get(t, "typdefault");
            d.arrayOid = (Integer) r.get(t, "typarray");
            m.put(oid, d);
        }
        for (Domain d : m.values()) {
            Long at = arrayTids.get(d.arrayOid);
            d.arrayTid = at == null ? -1 : at;
        }
        SysTable k = SysTable.PG_CONSTRAINT;
        for (CatalogStore.Row r : view.rows(k)) {
            Domain d = m.get((Integer) r.get(k, "contypid"));
            if (d != null && "c".equals(r.get(k, "contype"))) {
                d.checks.add(new Check((Integer) r.get(k, "oid"), r.tid(), (String) r.get(k, "conname"),
                        (String) r.get(k, "conbin"), (Boolean) r.get(k, "convalidated")));
            }
        }
        for (Domain d : m.values()) {
            d.checks.sort((a, b) -> a.name().compareTo(b.name())); // PostgreSQL checks them in name order
        }
        byOid = m;
        typeRows = names;
        compiledChecks.clear();
        loadedFrom = view;
        for (Domain d : m.values()) {
            register(d, m);
        }
    }

    /** Registers a domain's OID (and its array's) as values of its base type, when the base type is known. */
    private static void register(Domain d, Map<Integer, Domain> all) {
        int base = d.baseType;
        for (int i = 0; i < 100 && all.containsKey(base); i++) {
            base = all.get(base).baseType;
        }
        Type b = Types.byOid(base);
        if (b != null) {
            UserTypes.defineDomain(d.oid, d.arrayOid, b);
        }
    }

    /** The domain with this OID, or null. */
    Domain domain(int oid) {
        if (oid < 16384) {
            return null; // built-in types
        }
        return domains().get(oid);
    }

    /** A domain by OID, or the domain whose array type this is (for format_type); null otherwise. */
    Domain domainOfArray(int arrayOid) {
        if (arrayOid < 16384) {
            return null;
        }
        for (Domain d : domains().values()) {
            if (d.arrayOid == arrayOid) {
                return d;
            }
        }
        return null;
    }

    /** A domain's ultimate base type (through domains over domains); for a domain's array type, the base's. */
    int baseType(int oid) {
        if (oid >= 16384 && domain(oid) == null && domainOfArray(oid) != null) {
            Type values = Types.byOid(oid); // registered as the base type's array type
            return values == null ? oid : values.oid();
        }
        Domain d = domain(oid);
        for (int i = 0; d != null && i < 100; i++) {
            oid = d.baseType;
            d = domain(oid);
        }
        return oid;
    }

    /** The typmod of a domain's ultimate base type: the innermost domain's typtypmod. */
    int baseTypmod(int oid) {
        Domain element = oid >= 16384 && domain(oid) == null ? domainOfArray(oid) : null;
        if (element != null) {
            return baseTypmod(element.oid); // an array's typmod is its elements'
        }
        Domain d = domain(oid);
        int typmod = -1;
        for (int i = 0; d != null && i < 100; i++) {
            typmod = d.typmod;
            d = domain(d.baseType);
        }
        return typmod;
    }

    // ---------------------------------------------------------------- names

    private String tempSchema() {
        return modgres.sql.exec.DdlExecutor.tempSchemaName(data.txn.pid());
    }

    /**
     * The OID of the user-defined type a (possibly qualified) name stands for, or 0. {@code tempOk} false: an
     * unqualified name does not find a type in the temporary schema (PostgreSQL's FuncNameAsType).
     */
    int lookup(List<String> names, boolean tempOk) {
        domains();
        if (typeRows.isEmpty()) {
            return 0;
        }
        CatalogView cat = data.catalog();
        String name = names.get(names.size() - 1);
        if (names.size() > 1) {
            String schema = names.get(names.size() - 2);
            if (schema.equals("pg_temp")) {
                schema = tempSchema();
            }
            Namespace ns = cat.namespace(schema);
            if (ns == null) {
                if (schema.equals(tempSchema())) {
                    return 0;
                }
                throw new PgException("3F000", "schema \"" + names.get(names.size() - 2) + "\" does not exist");
            }
            return find(ns.oid(), name);
        }
        List<String> path = new ArrayList<>();
        if (!data.searchPath.contains("pg_temp") && tempOk) {
            path.add(tempSchema());
        }
        for (String s : data.searchPath) {
            if (s.equals("pg_temp")) {
                if (tempOk) {
                    path.add(tempSchema());
                }
            } else {
                path.add(s);
            }
        }
        for (String s : path) {
            Namespace ns = cat.namespace(s);
            if (ns != null) {
                int oid = find(ns.oid(), name);
                if (oid != 0) {
                    return oid;
                }
            }
        }
        return 0;
    }

    private int find(int namespace, String name) {
        for (TypeRow r : typeRows) {
            if (r.namespace() == namespace && r.name().equals(name)) {
                return r.oid();
            }
        }
        return 0;
    }

    /** The array type of a user-defined type, 0 when none. */
    int arrayOf(int oid) {
        for (TypeRow r : typeRows) {
            if (r.oid() == oid) {
                return r.arrayOid();
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- checks

    /** The check of a value cast to domain {@code oid} (NULL included), or null when it is no domain. */
    TypeSystem.Cast check(int oid) {
        Domain d = domain(oid);
        if (d == null) {
            Domain element = oid >= 16384 ? domainOfArray(oid) : null;
            if (element == null) {
                return null;
            }
            // an array of a domain: each element (NULL ones included) through the domain's checks
            TypeSystem.Cast each = check(element.oid);
            return (v, ex) -> {
                if (v instanceof modgres.sql.types.PgArray a) {
                    for (Object e : a.values()) {
                        each.apply(e, ex);
                    }
                }
                return v;
            };
        }
        TypeSystem.Cast c = compiledChecks.get(oid);
        if (c == null) {
            c = compile(d);
            compiledChecks.put(oid, c);
        }
        return c;
    }

    private TypeSystem.Cast compile(Domain d) {
        TypeSystem.Cast inner = domain(d.baseType) != null ? check(d.baseType) : null;
        int base = baseType(d.oid);
        int typmod = baseTypmod(d.oid);
        List<String> names = new ArrayList<>();
        List<Ev> evs = new ArrayList<>();
        for (Check k : d.checks) {
            names.add(k.name());
            evs.add(compileCheck(SqlParser.parseExpression(k.sql()), base, typmod));
        }
        String domainName = d.name;
        boolean notNull = d.notNull;
        Ev[] conditions = evs.toArray(Ev[]::new);
        String[] conNames = names.toArray(String[]::new);
        return (v, ex) -> {
            Object value = inner == null ? v : inner.apply(v, ex);
            if (value == null && notNull) {
                throw new PgException("23502", "domain " + domainName + " does not allow null values");
            }
            Object[] row = {value};
            for (int i = 0; i < conditions.length; i++) {
                if (Boolean.FALSE.equals(conditions[i].eval(row, ex))) {
                    throw new PgException("23514", "value for domain " + domainName + " violates check constraint \""
                            + conNames[i] + "\"");
                }
            }
            return value;
        };
    }

    private Ev compileCheck(Expr e, int base, int typmod) {
        if (++compiling > 20) {
            compiling = 0;
            throw new PgException("54001", "stack depth limit exceeded");
        }
        try {
            return DomainChecks.compile(data.planner(new int[0], data.searchPath), e, base, typmod);
        } finally {
            compiling--;
        }
    }

    /** A domain's default expression (its SQL text), through the domains it is built on; null when none. */
    String defaultSql(int oid) {
        Domain d = domain(oid);
        for (int i = 0; d != null && i < 100; i++) {
            if (d.defaultSql != null) {
                return d.defaultSql;
            }
            d = domain(d.baseType);
        }
        return null;
    }

    /** A domain CHECK's SQL text as pg_get_constraintdef prints it: the identifier value as VALUE. */
    static String printCheck(String sql) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch == '\'' || ch == '"') {
                int j = i + 1;
                while (j < n && !(sql.charAt(j) == ch && (j + 1 >= n || sql.charAt(j + 1) != ch))) {
                    j += sql.charAt(j) == ch ? 2 : 1;
                }
                j = Math.min(n, j + 1);
                sb.append(sql, i, j);
                i = j;
            } else if (Character.isLetter(ch) || ch == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$')) {
                    j++;
                }
                String word = sql.substring(i, j);
                boolean qualified = i > 0 && sql.charAt(i - 1) == '.';
                sb.append(word.equalsIgnoreCase("value") && !qualified ? "VALUE" : word);
                i = j;
            } else {
                sb.append(ch);
                i++;
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- CREATE DOMAIN

    String create(Ddl.CreateDomain cd) {
        CatalogView cat = data.catalog();
        TypeSystemImpl ts = data.ts;
        String name = cd.name().get(cd.name().size() - 1);
        int nsp = namespace(cat, cd.name());
        TypeName tn = cd.type();
        int base = UserFunctions.typeOid(ts, tn); // pseudo-types too, for PostgreSQL's error below
        Type bt = Types.byOid(base);
        char baseTyptype = bt == null ? 'b' : bt.typtype();
        Domain baseDomain = domain(base);
        if (baseDomain == null && bt != null && (Types.isPseudo(bt) || baseTyptype == 'p')
                || base == UserFunctions.TRIGGER) {
            throw new PgException("42804", "\"" + ts.format(base, -1) + "\" is not a valid base type for a domain");
        }
        List<Integer> mods = new ArrayList<>();
        for (Expr m : tn.typmods()) {
            if (m instanceof Expr.Constant k && k.kind() == Expr.ConstKind.INTEGER) {
                mods.add(Integer.valueOf(k.value()));
            } else {
                throw new PgException("42601", "type modifiers must be simple constants or identifiers");
            }
        }
        int typmod = tn.arrayBounds().isEmpty() ? ts.typmod(base, mods) : -1;
        if (find(nsp, name) != 0 || cat.relation(nsp, name) != null) {
            throw new PgException("42710", "type \"" + name + "\" already exists");
        }
        Boolean notNull = null;
        Expr defaultExpr = null;
        boolean sawDefault = false;
        List<Constraint> checks = new ArrayList<>();
        for (Constraint c : cd.constraints()) {
            if (c.attrs().deferrable() || c.attrs().initiallyDeferred()) {
                throw new PgException("0A000", "specifying constraint deferrability not supported for domains");
            }
            Constraint.Spec spec = c.spec();
            if (spec instanceof Constraint.Default def) {
                if (sawDefault) {
                    throw new PgException("42601", "multiple default expressions");
                }
                sawDefault = true;
                defaultExpr = def.expr();
            } else if (spec instanceof Constraint.NotNull) {
                if (Boolean.FALSE.equals(notNull)) {
                    throw new PgException("42601", "conflicting NULL/NOT NULL constraints");
                }
                notNull = true;
            } else if (spec instanceof Constraint.Null) {
                if (Boolean.TRUE.equals(notNull)) {
                    throw new PgException("42601", "conflicting NULL/NOT NULL constraints");
                }
                notNull = false;
            } else if (spec instanceof Constraint.Check ck) {
                if (ck.noInherit()) {
                    throw new PgException("42P17", "check constraints for domains cannot be marked NO INHERIT");
                }
                checks.add(c);
            } else if (spec instanceof Constraint.Unique) {
                throw new PgException("42601", "unique constraints not possible for domains");
            } else if (spec instanceof Constraint.PrimaryKey) {
                throw new PgException("42601", "primary key constraints not possible for domains");
            } else {
                throw new PgException("42P16", "this constraint is not possible for domains");
            }
        }
        int oid = data.txn.newOid();
        int arrayOid = data.txn.newOid();
        String defaultSql = defaultSql(defaultExpr, base, typmod);
        Type valuesAs = Types.byOid(baseType(base));
        int innerTypmod = typmod >= 0 ? typmod : baseDomain != null ? baseTypmod(base) : -1;
        ensureStorage(SysTable.PG_TYPE);
        SysTable t = SysTable.PG_TYPE;
        Object[] row = new Object[t.columns().size()];
        row[t.column("oid")] = oid;
        row[t.column("typname")] = name;
        row[t.column("typnamespace")] = nsp;
        row[t.column("typowner")] = modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER;
        row[t.column("typlen")] = (short) (valuesAs == null ? -1 : valuesAs.typlen());
        row[t.column("typbyval")] = valuesAs != null && valuesAs.typbyval();
        row[t.column("typtype")] = "d";
        row[t.column("typcategory")] = String.valueOf(valuesAs == null ? 'U' : valuesAs.typcategory());
        row[t.column("typispreferred")] = false;
        row[t.column("typisdefined")] = true;
        row[t.column("typdelim")] = ",";
        row[t.column("typrelid")] = 0;
        row[t.column("typsubscript")] = valuesAs != null && valuesAs.isArray() ? "array_subscript_handler" : "-";
        row[t.column("typelem")] = valuesAs != null && valuesAs.isArray() ? valuesAs.elemOid() : 0;
        row[t.column("typarray")] = arrayOid;
        row[t.column("typinput")] = valuesAs == null ? "-" : valuesAs.typinput();
        row[t.column("typoutput")] = valuesAs == null ? "-" : valuesAs.typoutput();
        row[t.column("typreceive")] = "-";
        row[t.column("typsend")] = "-";
        row[t.column("typmodin")] = "-";
        row[t.column("typmodout")] = "-";
        row[t.column("typanalyze")] = "-";
        row[t.column("typalign")] = String.valueOf(valuesAs == null ? 'i' : valuesAs.typalign());
        row[t.column("typstorage")] = valuesAs != null && valuesAs.typlen() == -1 ? "x" : "p";
        row[t.column("typnotnull")] = Boolean.TRUE.equals(notNull);
        row[t.column("typbasetype")] = base;
        row[t.column("typtypmod")] = innerTypmod;
        row[t.column("typndims")] = tn.arrayBounds().size();
        row[t.column("typcollation")] = collation(valuesAs);
        row[t.column("typdefaultbin")] = defaultSql;
        row[t.column("typdefault")] = defaultSql;
        row[t.column("typacl")] = null;
        data.store.insert(t, row, data.txn);
        Object[] arr = new Object[t.columns().size()];
        arr[t.column("oid")] = arrayOid;
        arr[t.column("typname")] = "_" + name;
        arr[t.column("typnamespace")] = nsp;
        arr[t.column("typowner")] = modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER;
        arr[t.column("typlen")] = (short) -1;
        arr[t.column("typbyval")] = false;
        arr[t.column("typtype")] = "b";
        arr[t.column("typcategory")] = "A";
        arr[t.column("typispreferred")] = false;
        arr[t.column("typisdefined")] = true;
        arr[t.column("typdelim")] = ",";
        arr[t.column("typrelid")] = 0;
        arr[t.column("typsubscript")] = "array_subscript_handler";
        arr[t.column("typelem")] = oid;
        arr[t.column("typarray")] = 0;
        arr[t.column("typinput")] = "array_in";
        arr[t.column("typoutput")] = "array_out";
        arr[t.column("typreceive")] = "array_recv";
        arr[t.column("typsend")] = "array_send";
        arr[t.column("typmodin")] = "-";
        arr[t.column("typmodout")] = "-";
        arr[t.column("typanalyze")] = "array_typanalyze";
        arr[t.column("typalign")] = valuesAs != null && valuesAs.typalign() == 'd' ? "d" : "i";
        arr[t.column("typstorage")] = "x";
        arr[t.column("typnotnull")] = false;
        arr[t.column("typbasetype")] = 0;
        arr[t.column("typtypmod")] = -1;
        arr[t.column("typndims")] = 0;
        arr[t.column("typcollation")] = collation(valuesAs);
        data.store.insert(t, arr, data.txn);
        if (valuesAs != null) {
            UserTypes.defineDomain(oid, arrayOid, valuesAs);
        }
        data.txn.catalogChanged();
        data.txn.commandCounterIncrement();
        data.invalidate();
        List<String> taken = new ArrayList<>();
        for (Constraint c : checks) {
            addCheck(oid, name, nsp, c, taken);
        }
        if (defaultSql != null) {
            // the default must be castable to the domain's base type (PostgreSQL's cookDefault)
            compileDefault(defaultSql, base, innerTypmod);
        }
        data.txn.catalogChanged();
        data.invalidate();
        return "CREATE DOMAIN";
    }

    /**
     * typdefault's text: the expression as written, a string literal with the cast to the base type PostgreSQL's
     * deparsed default shows ({@code 'dflt'::text}); null without a default.
     */
    private String defaultSql(Expr e, int base, int typmod) {
        if (e == null) {
            return null;
        }
        String sql = SqlDeparser.deparse(e);
        if (e instanceof Expr.Constant k && k.kind() == Expr.ConstKind.STRING) {
            sql = SqlDeparser.quoteLiteral(k.value()) + "::" + data.ts.format(base, typmod);
        }
        return sql;
    }

    private static int collation(Type t) {
        if (t == null) {
            return 0;
        }
        Type base = t.isArray() ? t.elem() : t;
        if (base == null) {
            return 0;
        }
        return switch (base.oid()) {
            case Types.NAME_OID -> 950;
            case Types.TEXT_OID, Types.VARCHAR_OID, Types.BPCHAR_OID -> 100;
            default -> 0;
        };
    }

    private void compileDefault(String sql, int type, int typmod) {
        DomainChecks.compileValue(data.planner(new int[0], data.searchPath), SqlParser.parseExpression(sql), type,
                typmod);
    }

    /** Adds a CHECK constraint to a domain: its pg_constraint row, after compiling it (errors as PostgreSQL's). */
    private Check addCheck(int domainOid, String domainName, int nsp, Constraint c, List<String> taken) {
        Constraint.Check ck = (Constraint.Check) c.spec();
        int base = baseType(domainOid);
        int typmod = baseTypmod(domainOid);
        compileCheck(ck.expr(), base, typmod);
        String cname = c.name();
        if (cname == null) {
            cname = chooseName(domainName, nsp, taken);
        } else {
            Domain d = domain(domainOid);
            if (d != null) {
                for (Check k : d.checks) {
                    if (k.name().equals(cname)) {
                        throw new PgException("42710", "constraint \"" + cname + "\" for domain \"" + domainName
                                + "\" already exists");
                    }
                }
            }
        }
        taken.add(cname);
        int oid = data.txn.newOid();
        String sql = SqlDeparser.deparse(ck.expr());
        boolean validated = !c.attrs().notValid();
        long tid = data.store.insert(SysTable.PG_CONSTRAINT, new Object[] {oid, cname, nsp, "c", false, false,
            validated, 0, domainOid, 0, 0, 0, " ", " ", " ", true, 0, false, null, null, sql}, data.txn);
        data.txn.catalogChanged();
        data.txn.commandCounterIncrement();
        data.invalidate();
        return new Check(oid, tid, cname, sql, validated);
    }

    /** PostgreSQL's ChooseConstraintName(domain, NULL, "check", namespace): name_check, name_check1, ... */
    private String chooseName(String domainName, int nsp, List<String> taken) {
        SysTable k = SysTable.PG_CONSTRAINT;
        List<String> used = new ArrayList<>(taken);
        for (CatalogStore.Row r : data.catalog().rows(k)) {
            if (((Integer) r.get(k, "connamespace")) == nsp) {
                used.add((String) r.get(k, "conname"));
            }
        }
        String base = truncate(domainName, "_check");
        String n = base + "_check";
        for (int i = 1; used.contains(n); i++) {
            n = truncate(domainName, "_check" + i) + "_check" + i;
        }
        return n;
    }

    private static String truncate(String name, String suffix) {
        int max = 63 - suffix.length();
        return name.length() <= max ? name : name.substring(0, max);
    }

    private int namespace(CatalogView cat, List<String> qualified) {
        return data.functions.namespace(cat, qualified);
    }

    /** The session's pg_temp_N schema, created on first use (as for temporary tables and functions). */
    int tempNamespace(CatalogView cat) {
        return data.functions.tempNamespace(cat);
    }

    private void ensureStorage(SysTable t) {
        data.functions.ensureStorage(t);
    }

    // ---------------------------------------------------------------- DROP DOMAIN

    String drop(Ddl.Drop d, Consumer<String> notice) {
        List<Domain> victims = new ArrayList<>();
        for (ObjectRef o : d.objects()) {
            String shown = String.join(".", o.name());
            int oid = lookup(o.name(), true);
            if (oid == 0) {
                if (d.ifExists()) {
                    notice.accept("type \"" + shown + "\" does not exist, skipping");
                    continue;
                }
                throw new PgException("42704", "type \"" + shown + "\" does not exist");
            }
            Domain dom = domain(oid);
            if (dom == null) {
                throw new PgException("42809", "\"" + shown + "\" is not a domain");
            }
            victims.add(dom);
        }
        for (Domain dom : victims) {
            List<String> dependents = dependents(dom, victims);
            if (!dependents.isEmpty()) {
                if (d.behavior() != DropBehavior.CASCADE) {
                    throw new PgException("2BP01", "cannot drop type " + dom.name
                            + " because other objects depend on it", String.join("\n", dependents),
                            "Use DROP ... CASCADE to drop the dependent objects too.");
                }
                throw new PgException("0A000", "DROP DOMAIN ... CASCADE of objects that use the domain is not"
                        + " supported", String.join("\n", dependents), null);
            }
        }
        for (Domain dom : victims) {
            for (Check k : dom.checks) {
                data.store.delete(SysTable.PG_CONSTRAINT, k.tid(), data.txn);
            }
            data.store.delete(SysTable.PG_TYPE, dom.tid, data.txn);
            if (dom.arrayTid >= 0) {
                data.store.delete(SysTable.PG_TYPE, dom.arrayTid, data.txn);
            }
        }
        data.txn.catalogChanged();
        data.invalidate();
        return "DROP DOMAIN";
    }

    /** What uses a domain (PostgreSQL's dependency lines): columns, domains over it, routines. */
    private List<String> dependents(Domain dom, List<Domain> dropping) {
        List<String> out = new ArrayList<>();
        CatalogView cat = data.catalog();
        for (Relation rel : cat.relations()) {
            for (Relation.Column c : rel.columns()) {
                if (!c.dropped() && (c.type() == dom.oid || c.type() == dom.arrayOid)) {
                    out.add("column " + c.name() + " of table " + rel.name() + " depends on type " + dom.name);
                }
            }
        }
        for (Domain other : domains().values()) {
            if ((other.baseType == dom.oid || other.baseType == dom.arrayOid) && !dropping.contains(other)) {
                out.add("type " + other.name + " depends on type " + dom.name);
            }
        }
        SysTable p = SysTable.PG_PROC;
        List<CatalogStore.Row> procs = cat.rows(p);
        for (CatalogStore.Row r : procs == null ? List.<CatalogStore.Row>of() : procs) {
            String args = (String) r.get(p, "proargtypes");
            List<String> argNames = new ArrayList<>();
            boolean uses = (Integer) r.get(p, "prorettype") == dom.oid;
            for (String a : args == null || args.isBlank() ? new String[0] : args.trim().split("\\s+")) {
                int at = Integer.parseInt(a);
                uses |= at == dom.oid || at == dom.arrayOid;
                argNames.add(data.ts.format(at, -1));
            }
            if (uses) {
                out.add(("p".equals(r.get(p, "prokind")) ? "procedure " : "function ") + r.get(p, "proname") + "("
                        + String.join(",", argNames) + ") depends on type " + dom.name);
            }
        }
        out.addAll(data.operators.usingType(dom.oid, dom.name));
        return out;
    }

    // ---------------------------------------------------------------- ALTER DOMAIN

    String alter(Ddl.AlterDomain a, ExecState ex, Consumer<String> notice) {
        String shown = String.join(".", a.name());
        int oid = lookup(a.name(), true);
        if (oid == 0) {
            throw new PgException("42704", "type \"" + shown + "\" does not exist");
        }
        Domain d = domain(oid);
        if (d == null) {
            throw new PgException("42809", "\"" + shown + "\" is not a domain");
        }
        SysTable t = SysTable.PG_TYPE;
        switch (a.action()) {
            case "SET DEFAULT", "DROP DEFAULT" -> {
                String sql = defaultSql(a.defaultExpr(), d.baseType, d.typmod);
                if (sql != null) {
                    compileDefault(sql, baseType(oid), baseTypmod(oid));
                }
                Object[] row = d.row.clone();
                row[t.column("typdefault")] = sql;
                row[t.column("typdefaultbin")] = sql;
                data.store.update(t, d.tid, row, data.txn);
            }
            case "SET NOT NULL", "DROP NOT NULL" -> {
                boolean on = a.action().equals("SET NOT NULL");
                if (on && !d.notNull) {
                    for (Object[] use : uses(d, ex)) {
                        if (use[2] == null) {
                            throw new PgException("23502", "column \"" + use[1] + "\" of table \"" + use[0]
                                    + "\" contains null values");
                        }
                    }
                }
                Object[] row = d.row.clone();
                row[t.column("typnotnull")] = on;
                data.store.update(t, d.tid, row, data.txn);
            }
            case "ADD CONSTRAINT" -> {
                Constraint c = a.constraint();
                if (c.spec() instanceof Constraint.NotNull) {
                    return alter(new Ddl.AlterDomain(a.position(), a.name(), "SET NOT NULL", null, null, null,
                            false, DropBehavior.DEFAULT), ex, notice);
                }
                Check k = addCheck(oid, d.name, d.namespace, c, new ArrayList<>());
                if (k.validated()) {
                    Ev cond = compileCheck(((Constraint.Check) c.spec()).expr(), baseType(oid), baseTypmod(oid));
                    for (Object[] use : uses(d, ex)) {
                        if (use[2] != null && Boolean.FALSE.equals(cond.eval(new Object[] {use[2]}, ex))) {
                            throw new PgException("23514", "column \"" + use[1] + "\" of table \"" + use[0]
                                    + "\" contains values that violate the new constraint");
                        }
                    }
                }
            }
            case "DROP CONSTRAINT" -> {
                Check found = null;
                for (Check k : d.checks) {
                    if (k.name().equals(a.constraintName())) {
                        found = k;
                    }
                }
                if (found == null) {
                    String msg = "constraint \"" + a.constraintName() + "\" of domain \"" + d.name
                            + "\" does not exist";
                    if (a.ifExists()) {
                        notice.accept(msg + ", skipping");
                        return "ALTER DOMAIN";
                    }
                    throw new PgException("42704", msg);
                }
                data.store.delete(SysTable.PG_CONSTRAINT, found.tid(), data.txn);
            }
            case "VALIDATE CONSTRAINT" -> {
                Check found = null;
                for (Check k : d.checks) {
                    if (k.name().equals(a.constraintName())) {
                        found = k;
                    }
                }
                if (found == null) {
                    throw new PgException("42704", "constraint \"" + a.constraintName() + "\" of domain \""
                            + d.name + "\" does not exist");
                }
                Ev cond = compileCheck(SqlParser.parseExpression(found.sql()), baseType(oid), baseTypmod(oid));
                for (Object[] use : uses(d, ex)) {
                    if (use[2] != null && Boolean.FALSE.equals(cond.eval(new Object[] {use[2]}, ex))) {
                        throw new PgException("23514", "column \"" + use[1] + "\" of table \"" + use[0]
                                + "\" contains values that violate the new constraint");
                    }
                }
                SysTable k = SysTable.PG_CONSTRAINT;
                CatalogStore.Row r = data.catalog().row(k, "oid", found.oid());
                if (r != null) {
                    Object[] row = r.values().clone();
                    row[k.column("convalidated")] = true;
                    data.store.update(k, r.tid(), row, data.txn);
                }
            }
            case "RENAME TO" -> {
                String to = a.constraintName();
                if (find(d.namespace, to) != 0 || data.catalog().relation(d.namespace, to) != null) {
                    throw new PgException("42710", "type \"" + to + "\" already exists");
                }
                Object[] row = d.row.clone();
                row[t.column("typname")] = to;
                data.store.update(t, d.tid, row, data.txn);
                CatalogStore.Row arr = d.arrayTid < 0 ? null : data.catalog().row(t, "oid", d.arrayOid);
                if (arr != null) {
                    Object[] ar = arr.values().clone();
                    ar[t.column("typname")] = "_" + to;
                    data.store.update(t, arr.tid(), ar, data.txn);
                }
            }
            default -> throw new PgException("0A000", "ALTER DOMAIN " + a.action() + " is not supported");
        }
        data.txn.catalogChanged();
        data.invalidate();
        return "ALTER DOMAIN";
    }

    /** Every stored value of a column of the domain: {table, column, value}. */
    private List<Object[]> uses(Domain d, ExecState ex) {
        List<Object[]> out = new ArrayList<>();
        CatalogView cat = data.catalog();
        for (Relation rel : cat.relations()) {
            if (rel.kind() != 'r' && rel.kind() != 'p') {
                continue;
            }
            for (Relation.Column c : rel.columns()) {
                if (c.dropped() || c.type() != d.oid) {
                    continue;
                }
                Namespace ns = cat.namespace(rel.namespace());
                String q = modgres.sql.ast.Keywords.quoteIdentifier(ns.name()) + "."
                        + modgres.sql.ast.Keywords.quoteIdentifier(rel.name());
                NestedSql rt = new NestedSql(data, ex, 'v', new HashMap<>(), new HashMap<>());
                var rows = rt.run("SELECT " + modgres.sql.ast.Keywords.quoteIdentifier(c.name()) + " FROM ONLY "
                        + q, new int[0], new Object[0]);
                for (Object[] r : rows.rows()) {
                    out.add(new Object[] {rel.name(), c.name(), r[0]});
                }
            }
        }
        return out;
    }
}
