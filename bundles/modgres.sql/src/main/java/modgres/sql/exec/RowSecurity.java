package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.AlterTableCmd;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.Expr;
import modgres.sql.ast.RoleSpec;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.catalog.TxnContext;
import modgres.sql.parser.SqlParser;

/*
 * Design notes: row-level security (PostgreSQL's rowsecurity.c and policy.c).
 *
 * Catalog: pg_class.relrowsecurity / relforcerowsecurity (ALTER TABLE ...
 * ENABLE | DISABLE | FORCE | NO FORCE ROW LEVEL SECURITY) and pg_policy, one
 * row per CREATE POLICY: polcmd 'r' SELECT, 'a' INSERT, 'w' UPDATE, 'd'
 * DELETE, '*' ALL; polroles the text of an oid[] ("{0}" = PUBLIC); polqual
 * (USING) and polwithcheck (WITH CHECK) as SQL text.
 *
 * When it applies: the table has relrowsecurity, and the current role is
 * neither a superuser nor BYPASSRLS (Context.bypass) nor -- unless
 * relforcerowsecurity -- the table's owner. Then the policies for the
 * command (and ALL) whose roles include the current role or PUBLIC apply:
 *
 *   visible rows (USING)  = (OR of the permissive USINGs) AND each restrictive USING
 *                           -- no permissive policy: no row at all (default deny)
 *   new rows (WITH CHECK) = the same combination of WITH CHECK (USING when a
 *                           policy has none); the permissive OR is checked first
 *                           ("new row violates row-level security policy for table
 *                           t"), then each restrictive one ("... policy "p" for
 *                           table t"); a NULL result fails, 42501.
 *
 * Where: a scan of the table for SELECT gets the SELECT quals as pushed-down
 * conditions (Planner.fromItem), the target scan of UPDATE / DELETE the
 * UPDATE / DELETE quals (Planner.targetScan); INSERT / UPDATE get their WITH
 * CHECKs as ModifyTable.policyChecks, evaluated before the constraints on the
 * row as it is written -- for a partitioned table in each leaf's writer, after
 * the leaf's BEFORE ROW triggers changed it, compiled over the leaf's columns
 * under the partitioned table's name (so "t.c" still resolves).
 */
/** Row-level security: the policy DDL and the quals and checks a statement gets from the policies. */
public final class RowSecurity {
    private RowSecurity() {
    }

    /** Who plans: the current role's OID, and whether it bypasses row security (superuser or BYPASSRLS). */
    public record Context(int roleOid, boolean bypass, java.util.Set<Integer> privilegesOf) {
        public Context(int roleOid, boolean bypass) {
            this(roleOid, bypass, java.util.Set.of(roleOid));
        }

        /** Whether the role is {@code role} or has its privileges (a member of it, GRANT role). */
        boolean actsAs(int role) {
            return role == roleOid || privilegesOf.contains(role);
        }
    }

    /** A pg_policy row. */
    record Policy(String name, char cmd, boolean permissive, String roles, String using, String check) {
        boolean appliesTo(Context ctx) {
            String body = roles == null ? "{0}" : roles.replaceAll("[{}]", "");
            for (String r : body.split(",")) {
                String t = r.trim();
                if (t.equals("0") || !t.isEmpty() && ctx.actsAs(Integer.parseUnsignedInt(t))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The policies of {@code rel} for command {@code cmd} applying to the context's role; null when RLS is off for it. */
    static List<Policy> policies(CatalogView cat, Relation rel, Context ctx, char cmd) {
        if (ctx == null || ctx.bypass() || rel.oid() < 16384) {
            return null;
        }
        SysTable c = SysTable.PG_CLASS;
        CatalogStore.Row row = cat.row(c, "oid", rel.oid());
        if (row == null || !Boolean.TRUE.equals(row.get(c, "relrowsecurity"))) {
            return null;
        }
        if (ctx.actsAs(rel.owner()) && !Boolean.TRUE.equals(row.get(c, "relforcerowsecurity"))) {
            return null;
        }
        List<Policy> out = new ArrayList<>();
        for (Policy p : all(cat, rel.oid())) {
            if ((p.cmd() == cmd || p.cmd() == '*') && p.appliesTo(ctx)) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Policy> all(CatalogView cat, int relOid) {
        SysTable t = SysTable.PG_POLICY;
        List<Policy> out = new ArrayList<>();
        for (CatalogStore.Row r : cat.rowsWhere(t, "polrelid", relOid)) {
            out.add(new Policy((String) r.get(t, "polname"), String.valueOf(r.get(t, "polcmd")).charAt(0),
                    Boolean.TRUE.equals(r.get(t, "polpermissive")), (String) r.get(t, "polroles"),
                    (String) r.get(t, "polqual"), (String) r.get(t, "polwithcheck")));
        }
        return out;
    }

    /** The rows-visible condition of the policies (null: RLS does not apply), parsed. */
    static Expr usingQual(List<Policy> ps) {
        if (ps == null) {
            return null;
        }
        List<String> permissive = new ArrayList<>();
        List<String> restrictive = new ArrayList<>();
        for (Policy p : ps) {
            if (p.using() != null) {
                (p.permissive() ? permissive : restrictive).add("(" + p.using() + ")");
            }
        }
        StringBuilder sb = new StringBuilder(permissive.isEmpty() ? "false"
                : permissive.size() == 1 ? permissive.get(0) : "(" + String.join(" OR ", permissive) + ")");
        for (String r : restrictive) {
            sb.append(" AND ").append(r);
        }
        return SqlParser.parseExpression(sb.toString());
    }

    /** The WITH CHECK conditions of the policies, compiled over {@code rel}'s row under the name {@code alias}. */
    static List<ModifyTable.Check> withChecks(Planner planner, List<Policy> ps, Relation rel, String alias) {
        List<ModifyTable.Check> out = new ArrayList<>();
        if (ps == null) {
            return out;
        }
        List<String> permissive = new ArrayList<>();
        List<Policy> restrictive = new ArrayList<>();
        for (Policy p : ps) {
            String e = p.check() != null ? p.check() : p.using();
            if (e == null) {
                continue;
            }
            if (p.permissive()) {
                permissive.add("(" + e + ")");
            } else {
                restrictive.add(p);
            }
        }
        Scope sc = planner.tableScope(rel, alias);
        String combined = permissive.isEmpty() ? "false" : String.join(" OR ", permissive);
        out.add(new ModifyTable.Check(null, planner.compiler(sc).condition(SqlParser.parseExpression(combined),
                "POLICY").ev()));
        for (Policy p : restrictive) {
            String e = p.check() != null ? p.check() : p.using();
            out.add(new ModifyTable.Check(p.name(), planner.compiler(planner.tableScope(rel, alias))
                    .condition(SqlParser.parseExpression(e), "POLICY").ev()));
        }
        return out;
    }

    /**
     * INSERT / UPDATE: attaches the WITH CHECKs of {@code root}'s policies for {@code cmd} to the writer and to
     * every writer below it (inheritance members, partition leaves), each compiled over its own relation.
     */
    public static void attachChecks(Planner planner, ModifyTable m, Relation root, char cmd) {
        List<Policy> ps = policies(planner.cat, root, planner.rowSecurity, cmd);
        if (ps == null) {
            return;
        }
        List<Policy> update = cmd == 'a' && m.onConflict != null && m.onConflict.doUpdate()
                ? policies(planner.cat, root, planner.rowSecurity, 'w') : null;
        attach(planner, m, ps, update, root.name());
    }

    private static void attach(Planner planner, ModifyTable m, List<Policy> ps, List<Policy> update,
            String rootName) {
        m.policyChecks = withChecks(planner, ps, m.rel, rootName);
        if (update != null) {
            m.policyUpdateChecks = withChecks(planner, update, m.rel, rootName);
        }
        m.policyTable = rootName;
        if (m.members != null) {
            for (ModifyTable member : m.members) {
                attach(planner, member, ps, update, rootName);
            }
        }
        if (m.router != null) {
            for (ModifyTable leaf : m.router.writers()) {
                attach(planner, leaf, ps, update, rootName);
            }
        }
    }

    /** Evaluates a writer's policy checks on a new row (in its relation's layout); 42501 on the first failing. */
    static void check(List<ModifyTable.Check> checks, String table, Object[] row, ExecState ex) {
        for (ModifyTable.Check k : checks) {
            if (!Boolean.TRUE.equals(k.expr().eval(row, ex))) {
                throw new PgException("42501", k.name() == null
                        ? "new row violates row-level security policy for table \"" + table + "\""
                        : "new row violates row-level security policy \"" + k.name() + "\" for table \"" + table
                                + "\"");
            }
        }
    }

    /** modgres_policies(): the pg_policy heap's rows, polroles as text (the client catalog casts it to oid[]). */
    public static TypeSystem.SetFn catalogRows(java.util.function.Supplier<List<CatalogStore.Row>> rows) {
        SysTable t = SysTable.PG_POLICY;
        List<String> names = List.of("oid", "polname", "polrelid", "polcmd", "polpermissive", "polroles", "polqual",
                "polwithcheck");
        int[] types = {26, 19, 26, 18, 16, 25, 25, 25};
        return new TypeSystem.SetFn("modgres_policies", new int[0], names, types, false, (a, ex) -> {
            List<Object[]> out = new ArrayList<>();
            for (CatalogStore.Row r : rows.get()) {
                Object[] v = new Object[names.size()];
                for (int i = 0; i < v.length; i++) {
                    Object x = r.get(t, names.get(i));
                    v[i] = types[i] == 26 && x instanceof Integer n ? Integer.toUnsignedLong(n) : x;
                }
                out.add(v);
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ DDL

    private static char command(String c) {
        return switch (c) {
            case "SELECT" -> 'r';
            case "INSERT" -> 'a';
            case "UPDATE" -> 'w';
            case "DELETE" -> 'd';
            default -> '*';
        };
    }

    /** The roles' OIDs as polroles text: PUBLIC is 0. */
    private static String roles(List<RoleSpec> roles, java.util.function.ToIntFunction<String> roleOid,
            String currentUser) {
        if (roles.isEmpty()) {
            return "{0}";
        }
        List<String> oids = new ArrayList<>();
        for (RoleSpec r : roles) {
            int oid = switch (r.kind()) {
                case PUBLIC -> 0;
                case NAME -> roleOid.applyAsInt(r.name());
                default -> roleOid.applyAsInt(currentUser);
            };
            if (oid < 0) {
                throw new PgException("42704", "role \"" + r.name() + "\" does not exist");
            }
            oids.add(Integer.toUnsignedString(oid));
        }
        return "{" + String.join(",", oids) + "}";
    }

    private static Relation table(Planner planner, modgres.sql.ast.RangeVar rv) {
        Relation rel = planner.relation(rv);
        if (rel.kind() != 'r' && rel.kind() != 'p') {
            throw new PgException("42809", "\"" + rel.name() + "\" is not a table");
        }
        return rel;
    }

    private static void mustOwn(Relation rel, Context ctx, boolean superuser) {
        if (!superuser && (ctx == null || !ctx.actsAs(rel.owner()))) {
            throw new PgException("42501", "must be owner of table " + rel.name());
        }
    }

    /** Checks a policy expression against the table (unknown columns, wrong type) before it is stored. */
    private static String expression(Planner planner, Relation rel, Expr e, String clause) {
        if (e == null) {
            return null;
        }
        planner.compiler(planner.tableScope(rel, rel.name())).condition(e, clause);
        return SqlDeparser.deparse(e);
    }

    /** CREATE POLICY. */
    public static String create(Ddl.CreatePolicy cp, Planner planner, CatalogStore store, TxnContext tx,
            java.util.function.ToIntFunction<String> roleOid, String currentUser, boolean superuser) {
        Relation rel = table(planner, cp.table());
        mustOwn(rel, planner.rowSecurity, superuser);
        char cmd = command(cp.command());
        if (cmd == 'r' || cmd == 'd') {
            if (cp.withCheck() != null) {
                throw new PgException("42601", "WITH CHECK cannot be applied to SELECT or DELETE");
            }
        }
        if (cmd == 'a' && cp.using() != null) {
            throw new PgException("42601", "only WITH CHECK expression allowed for INSERT");
        }
        for (Policy p : all(planner.cat, rel.oid())) {
            if (p.name().equals(cp.name())) {
                throw new PgException("42710", "policy \"" + cp.name() + "\" for table \"" + rel.name()
                        + "\" already exists");
            }
        }
        String using = expression(planner, rel, cp.using(), "POLICY");
        String check = expression(planner, rel, cp.withCheck(), "POLICY");
        store.insert(SysTable.PG_POLICY, new Object[] {tx.newOid(), cp.name(), rel.oid(), String.valueOf(cmd),
            cp.permissive(), roles(cp.roles(), roleOid, currentUser), using, check}, tx);
        tx.catalogChanged();
        return "CREATE POLICY";
    }

    private static CatalogStore.Row find(CatalogView cat, Relation rel, String name) {
        SysTable t = SysTable.PG_POLICY;
        for (CatalogStore.Row r : cat.rowsWhere(t, "polrelid", rel.oid())) {
            if (name.equals(r.get(t, "polname"))) {
                return r;
            }
        }
        return null;
    }

    /** ALTER POLICY. */
    public static String alter(Ddl.AlterPolicy ap, Planner planner, CatalogStore store, TxnContext tx,
            java.util.function.ToIntFunction<String> roleOid, String currentUser, boolean superuser) {
        Relation rel = table(planner, ap.table());
        mustOwn(rel, planner.rowSecurity, superuser);
        CatalogStore.Row r = find(planner.cat, rel, ap.name());
        if (r == null) {
            throw new PgException("42704", "policy \"" + ap.name() + "\" for table \"" + rel.name()
                    + "\" does not exist");
        }
        SysTable t = SysTable.PG_POLICY;
        Object[] v = r.values().clone();
        if (ap.newName() != null) {
            if (find(planner.cat, rel, ap.newName()) != null) {
                throw new PgException("42710", "policy \"" + ap.newName() + "\" for table \"" + rel.name()
                        + "\" already exists");
            }
            v[t.column("polname")] = ap.newName();
        } else {
            char cmd = String.valueOf(v[t.column("polcmd")]).charAt(0);
            if (ap.roles() != null) {
                v[t.column("polroles")] = roles(ap.roles(), roleOid, currentUser);
            }
            if (ap.using() != null) {
                if (cmd == 'a') {
                    throw new PgException("42601", "only WITH CHECK expression allowed for INSERT");
                }
                v[t.column("polqual")] = expression(planner, rel, ap.using(), "POLICY");
            }
            if (ap.withCheck() != null) {
                if (cmd == 'r' || cmd == 'd') {
                    throw new PgException("42601", "WITH CHECK cannot be applied to SELECT or DELETE");
                }
                v[t.column("polwithcheck")] = expression(planner, rel, ap.withCheck(), "POLICY");
            }
        }
        store.update(t, r.tid(), v, tx);
        tx.catalogChanged();
        return "ALTER POLICY";
    }

    /** DROP POLICY [IF EXISTS] name ON table. */
    public static String drop(Ddl.Drop dr, Planner planner, CatalogStore store, TxnContext tx,
            java.util.function.Consumer<String> notice, boolean superuser) {
        for (modgres.sql.ast.ObjectRef o : dr.objects()) {
            List<String> tn = o.table();
            modgres.sql.ast.RangeVar rv = new modgres.sql.ast.RangeVar(dr.position(), null,
                    tn.size() > 1 ? tn.get(tn.size() - 2) : null, tn.get(tn.size() - 1), true, null);
            String name = o.name().get(0);
            Relation rel;
            try {
                rel = table(planner, rv);
            } catch (PgException e) {
                if (dr.ifExists() && e.sqlState().equals("42P01")) {
                    notice.accept("relation \"" + rv.name() + "\" does not exist, skipping");
                    continue;
                }
                throw e;
            }
            mustOwn(rel, planner.rowSecurity, superuser);
            CatalogStore.Row r = find(planner.cat, rel, name);
            if (r == null) {
                if (dr.ifExists()) {
                    notice.accept("policy \"" + name + "\" for relation \"" + rel.name() + "\" does not exist, "
                            + "skipping");
                    continue;
                }
                throw new PgException("42704", "policy \"" + name + "\" for table \"" + rel.name()
                        + "\" does not exist");
            }
            store.delete(SysTable.PG_POLICY, r.tid(), tx);
        }
        tx.catalogChanged();
        return "DROP POLICY";
    }

    /** Whether ALTER TABLE's commands are all row-security switches (run here rather than by DdlExecutor). */
    public static boolean onlyRowSecurity(Ddl.AlterTable at) {
        if (at.commands().isEmpty()) {
            return false;
        }
        for (AlterTableCmd c : at.commands()) {
            if (!(c instanceof AlterTableCmd.Simple s) || !switch (s.kind()) {
                case ENABLE_RLS, DISABLE_RLS, FORCE_RLS, NO_FORCE_RLS -> true;
                default -> false;
            }) {
                return false;
            }
        }
        return true;
    }

    /** ALTER TABLE t ENABLE | DISABLE | FORCE | NO FORCE ROW LEVEL SECURITY: sets relrowsecurity / relforcerowsecurity. */
    public static String alterTable(Ddl.AlterTable at, Planner planner, CatalogStore store, TxnContext tx,
            boolean superuser) {
        Relation rel;
        try {
            rel = planner.relation(at.relation());
        } catch (PgException e) {
            if (at.ifExists() && e.sqlState().equals("42P01")) {
                return "ALTER TABLE";
            }
            throw e;
        }
        mustOwn(rel, planner.rowSecurity, superuser);
        SysTable c = SysTable.PG_CLASS;
        CatalogStore.Row row = planner.cat.row(c, "oid", rel.oid());
        Object[] v = row.values().clone();
        for (AlterTableCmd cmd : at.commands()) {
            switch (((AlterTableCmd.Simple) cmd).kind()) {
                case ENABLE_RLS -> v[c.column("relrowsecurity")] = true;
                case DISABLE_RLS -> v[c.column("relrowsecurity")] = false;
                case FORCE_RLS -> v[c.column("relforcerowsecurity")] = true;
                case NO_FORCE_RLS -> v[c.column("relforcerowsecurity")] = false;
                default -> throw new IllegalStateException();
            }
        }
        store.update(c, row.tid(), v, tx);
        tx.catalogChanged();
        return "ALTER TABLE";
    }
}
