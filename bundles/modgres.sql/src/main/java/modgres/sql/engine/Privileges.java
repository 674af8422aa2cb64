package modgres.sql.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.ObjectType;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.RoleSpec;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.catalog.TxnContext;
import modgres.sql.exec.Planner;

/*
 * Design notes: table privileges (GRANT / REVOKE ... ON TABLE, and their
 * checks), as PostgreSQL's aclchk.c does them for relations.
 *
 * An ACL is pg_class.relacl, kept as the text of PostgreSQL's aclitem[]
 * output: {owner=arwdDxt/owner,alice=r*w/owner,=r/owner} -- one item per
 * grantee ("" is PUBLIC), the privileges as letters (r SELECT, a INSERT,
 * w UPDATE, d DELETE, D TRUNCATE, x REFERENCES, t TRIGGER; "*" after a
 * letter: WITH GRANT OPTION), then the grantor. NULL means the default: the
 * owner has everything, nobody else anything. The first GRANT or REVOKE
 * writes the owner's item out, as PostgreSQL does.
 *
 * Who may grant: the owner and superusers (grantor = the owner), or a role
 * holding the privilege with grant option (grantor = itself); anyone else
 * gets PostgreSQL's 42501 "permission denied for table t" (nothing at all)
 * or WARNING "no privileges were granted for "t"" (no grant option).
 *
 * Checks: before a statement runs, for a session that is not a superuser,
 * each user relation (oid >= 16384; the catalogs are readable by everyone)
 * must grant what the statement does to it -- SELECT for relations read,
 * INSERT / UPDATE / DELETE for the target (and SELECT on it when the
 * statement reads its columns: WHERE, RETURNING), TRUNCATE for TRUNCATE --
 * to the session's role directly or through PUBLIC, or the role owns it.
 * A role also has the privileges of the roles it is a member of (GRANT r TO
 * it, pg_auth_members, transitively), unless it is NOINHERIT; ownership
 * counts the same way. A view the statement reads needs SELECT for the
 * statement's role; the relations the view reads are checked as the view's
 * owner (DataPath.checkPrivileges). Not modelled: the base table of an
 * INSERT / UPDATE / DELETE through an updatable view is checked as the
 * session, not as the view's owner.
 *
 * Column privileges (GRANT / REVOKE SELECT | INSERT | UPDATE | REFERENCES
 * (cols) ON t): pg_attribute.attacl in the same text form. A statement that
 * lacks a table-level privilege passes with the privilege on every column it
 * uses of that table (for a SELECT that uses no column, on any column), as
 * PostgreSQL's pg_attribute_aclcheck_all / column checks; the columns used
 * are the names its column references mention (a star: all of them). A
 * table-level REVOKE also takes the same privileges from the columns, as in
 * PostgreSQL. Error details show only what the role may read
 * (columnVisible).
 *
 * Schemas (GRANT/REVOKE USAGE, CREATE ON SCHEMA): pg_namespace.nspacl in the
 * same text form, letters U (USAGE) and C (CREATE). NULL is the default: the
 * owner has UC; the public schema is owned by pg_database_owner, which
 * stands for the database's owner, and (PostgreSQL 15) grants PUBLIC only
 * USAGE: {pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}.
 * Checks (not for superusers): USAGE on the schema of every relation a
 * statement uses ("permission denied for schema s"; PostgreSQL skips a
 * schema without USAGE during search_path lookup instead, so an unqualified
 * name there gives "relation does not exist"), CREATE on the schema a
 * CREATE TABLE / VIEW / SEQUENCE / TABLE AS creates in. The system schemas
 * (pg_catalog, information_schema, pg_toast, temporary schemas) are usable
 * by everyone.
 *
 * The relacl values of a database are read once per catalog version (any
 * DDL, GRANT included, moves it), so a check is map lookups.
 */
/** Table privileges: GRANT and REVOKE on relations, and the checks a statement passes before it runs. */
final class Privileges {
    static final String ALL = "arwdDxt";
    /** Prefix of a statement's notice that is a WARNING; the SQLSTATE's five characters follow it. */
    static final String WARNING = "\u0000warning:";
    static final int FIRST_NORMAL_OID = 16384;

    /** One aclitem: grantee ("" = PUBLIC), privilege letters (each perhaps followed by '*'), grantor. */
    record Item(String grantee, String privileges, String grantor) {
        boolean has(char p) {
            return privileges.indexOf(p) >= 0;
        }

        boolean hasGrantOption(char p) {
            int i = privileges.indexOf(p);
            return i >= 0 && i + 1 < privileges.length() && privileges.charAt(i + 1) == '*';
        }
    }

    private final CatalogStore store;
    private final CatalogStore shared;
    private final TxnContext txn;
    private final DataPath.RoleContext role;
    private final long catalogVersion;
    private final Map<Integer, String> acls;
    private final Map<Integer, Integer> owners;
    /** The roles whose privileges the role has: itself and those it inherits from (GRANT role TO it). */
    private final Set<String> mine;

    private Privileges(CatalogStore store, CatalogStore shared, TxnContext txn, DataPath.RoleContext role,
            long catalogVersion) {
        this.store = store;
        this.shared = shared;
        this.txn = txn;
        this.role = role;
        this.catalogVersion = catalogVersion;
        this.acls = new HashMap<>();
        this.owners = new HashMap<>();
        this.mine = new modgres.sql.catalog.Roles.Membership(shared, txn.snapshot()).rolesOf(role.user(), true);
        SysTable c = SysTable.PG_CLASS;
        for (CatalogStore.Row r : store.scan(c, txn.snapshot())) {
            int oid = ((Number) r.get(c, "oid")).intValue();
            owners.put(oid, ((Number) r.get(c, "relowner")).intValue());
            relNamespaces.put(oid, ((Number) r.get(c, "relnamespace")).intValue());
            Object acl = r.get(c, "relacl");
            if (acl != null) {
                acls.put(oid, (String) acl);
            }
        }
        for (CatalogStore.Row r : store.scan(c, txn.snapshot())) {
            if (Boolean.TRUE.equals(r.get(c, "relrowsecurity"))) {
                rowSecurity.put(((Number) r.get(c, "oid")).intValue(),
                        Boolean.TRUE.equals(r.get(c, "relforcerowsecurity")));
            }
        }
        SysTable at = SysTable.PG_ATTRIBUTE;
        for (CatalogStore.Row r : store.scan(at, txn.snapshot())) {
            Object acl = r.get(at, "attacl");
            if (acl != null) {
                columnAcls.computeIfAbsent(((Number) r.get(at, "attrelid")).intValue(), k -> new HashMap<>())
                        .put(((Number) r.get(at, "attnum")).intValue(), (String) acl);
            }
        }
        SysTable n = SysTable.PG_NAMESPACE;
        for (CatalogStore.Row r : store.scan(n, txn.snapshot())) {
            int oid = ((Number) r.get(n, "oid")).intValue();
            schemas.put(oid, new Schema(oid, (String) r.get(n, "nspname"), ((Number) r.get(n, "nspowner")).intValue(),
                    (String) r.get(n, "nspacl")));
        }
    }

    /** A pg_namespace row as the checks need it. */
    private record Schema(int oid, String name, int owner, String acl) {
    }

    private final Map<Integer, Integer> relNamespaces = new HashMap<>();
    /** Column ACLs: relation OID -> attnum -> attacl text. */
    private final Map<Integer, Map<Integer, String>> columnAcls = new HashMap<>();
    /** Relations with row-level security enabled -> whether it is forced on their owner. */
    private final Map<Integer, Boolean> rowSecurity = new HashMap<>();
    private final Map<Integer, Schema> schemas = new HashMap<>();
    /** pg_database_owner: the role that stands for the owner of the current database. */
    static final int PG_DATABASE_OWNER = 6171;
    static final String SCHEMA_ALL = "UC";

    /** The privileges of the database as of {@code version}: {@code cached} when it is as new, else read again. */
    static Privileges of(Privileges cached, CatalogStore store, CatalogStore shared, TxnContext txn,
            DataPath.RoleContext role, long version) {
        if (cached != null && cached.catalogVersion == version && cached.role == role) {
            return cached;
        }
        return new Privileges(store, shared, txn, role, version);
    }

    // ------------------------------------------------------------------ aclitem[] text

    static List<Item> parse(String acl) {
        List<Item> out = new ArrayList<>();
        String body = acl.trim();
        if (body.startsWith("{")) {
            body = body.substring(1, body.length() - 1);
        }
        if (body.isEmpty()) {
            return out;
        }
        for (String item : body.split(",")) {
            int eq = item.indexOf('=');
            int slash = item.lastIndexOf('/');
            out.add(new Item(unquote(item.substring(0, eq)), item.substring(eq + 1, slash),
                    unquote(item.substring(slash + 1))));
        }
        return out;
    }

    /** An ACL with the old owner's items and grants given to the new owner (PostgreSQL's aclnewowner). */
    static String newOwner(String acl, String oldOwner, String newOwner) {
        if (acl == null) {
            return null;
        }
        List<Item> out = new ArrayList<>();
        for (Item i : parse(acl)) {
            Item n = new Item(i.grantee().equals(oldOwner) ? newOwner : i.grantee(), i.privileges(),
                    i.grantor().equals(oldOwner) ? newOwner : i.grantor());
            int same = -1;
            for (int k = 0; k < out.size(); k++) {
                if (out.get(k).grantee().equals(n.grantee()) && out.get(k).grantor().equals(n.grantor())) {
                    same = k;
                }
            }
            if (same < 0) {
                out.add(n);
            } else { // the new owner had its own grant from the same grantor: one item with both
                Set<Character> both = new LinkedHashSet<>(set(out.get(same).privileges(), false));
                both.addAll(set(n.privileges(), false));
                StringBuilder b = new StringBuilder();
                for (char ch : ALL.toCharArray()) {
                    if (both.contains(ch)) {
                        b.append(ch);
                        if (out.get(same).hasGrantOption(ch) || n.hasGrantOption(ch)) {
                            b.append('*');
                        }
                    }
                }
                out.set(same, new Item(n.grantee(), b.toString(), n.grantor()));
            }
        }
        return format(out);
    }

    static String format(List<Item> items) {
        StringBuilder sb = new StringBuilder("{");
        for (Item i : items) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(i.grantee())).append('=').append(i.privileges()).append('/').append(quote(i.grantor()));
        }
        return sb.append('}').toString();
    }

    private static String quote(String role) {
        return role.matches("[a-z_0-9]*") ? role : "\"" + role.replace("\"", "\"\"") + "\"";
    }

    private static String unquote(String s) {
        return s.startsWith("\"") ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }

    /** The letters of {@code privileges} (with a '*' after each one that carries the grant option), in ALL's order. */
    private static String letters(Set<Character> privileges, Set<Character> withGrant, String order) {
        StringBuilder sb = new StringBuilder();
        for (char c : order.toCharArray()) {
            if (privileges.contains(c)) {
                sb.append(c);
                if (withGrant.contains(c)) {
                    sb.append('*');
                }
            }
        }
        return sb.toString();
    }

    private static Set<Character> set(String letters, boolean grantOptionsOnly) {
        Set<Character> s = new LinkedHashSet<>();
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            if (c == '*') {
                continue;
            }
            boolean star = i + 1 < letters.length() && letters.charAt(i + 1) == '*';
            if (!grantOptionsOnly || star) {
                s.add(c);
            }
        }
        return s;
    }

    static char letter(String privilege) {
        return switch (privilege) {
            case "select" -> 'r';
            case "insert" -> 'a';
            case "update" -> 'w';
            case "delete" -> 'd';
            case "truncate" -> 'D';
            case "references" -> 'x';
            case "trigger" -> 't';
            default -> throw new PgException("0LP01", "invalid privilege type " + privilege.toUpperCase()
                    + " for relation");
        };
    }

    // ------------------------------------------------------------------ roles

    private String roleName(int oid) {
        SysTable a = SysTable.PG_AUTHID;
        for (CatalogStore.Row r : shared.scan(a, txn.snapshot())) {
            if (((Number) r.get(a, "oid")).intValue() == oid) {
                return (String) r.get(a, "rolname");
            }
        }
        return Integer.toString(oid);
    }

    private boolean roleExists(String name) {
        SysTable a = SysTable.PG_AUTHID;
        for (CatalogStore.Row r : shared.scan(a, txn.snapshot())) {
            if (name.equals(r.get(a, "rolname"))) {
                return true;
            }
        }
        return false;
    }

    private String granteeName(RoleSpec r) {
        return switch (r.kind()) {
            case PUBLIC -> "";
            case NAME -> {
                if (!roleExists(r.name())) {
                    throw new PgException("42704", "role \"" + r.name() + "\" does not exist");
                }
                yield r.name();
            }
            default -> role.user();
        };
    }

    private final Map<Integer, String> ownerNames = new HashMap<>();

    private String ownerName(int relOid) {
        return ownerNames.computeIfAbsent(relOid, o -> roleName(owners.getOrDefault(o, 10)));
    }

    /** The relation's ACL, the default (the owner's item) when it has none. */
    private List<Item> aclOf(int relOid) {
        String acl = acls.get(relOid);
        if (acl != null) {
            return parse(acl);
        }
        List<Item> d = new ArrayList<>();
        String owner = ownerName(relOid);
        d.add(new Item(owner, ALL, owner));
        return d;
    }

    // ------------------------------------------------------------------ schemas

    private String databaseOwnerName;

    /** The current database's owner (what pg_database_owner stands for). */
    private String databaseOwner() {
        if (databaseOwnerName == null) {
            SysTable d = SysTable.PG_DATABASE;
            int dba = 10;
            for (CatalogStore.Row r : shared.scan(d, txn.snapshot())) {
                if (((Number) r.get(d, "oid")).intValue() == txn.database()) {
                    dba = ((Number) r.get(d, "datdba")).intValue();
                }
            }
            databaseOwnerName = roleName(dba);
        }
        return databaseOwnerName;
    }

    private String schemaOwnerName(Schema sc) {
        return sc.owner() == PG_DATABASE_OWNER ? "pg_database_owner" : roleName(sc.owner());
    }

    /** The schema's ACL, its default when it has none. */
    private List<Item> schemaAcl(Schema sc) {
        if (sc.acl() != null) {
            return parse(sc.acl());
        }
        List<Item> d = new ArrayList<>();
        String owner = schemaOwnerName(sc);
        d.add(new Item(owner, SCHEMA_ALL, owner));
        if (sc.oid() == modgres.sql.catalog.Namespace.PUBLIC) {
            d.add(new Item("", "U", owner));
        }
        return d;
    }

    /** True when {@code name} is (or, for pg_database_owner, stands for) the session's role. */
    private boolean isMe(String name) {
        return mine.contains(name) || name.equals("pg_database_owner") && mine.contains(databaseOwner());
    }

    private boolean schemaHas(Schema sc, char privilege) {
        if (isMe(schemaOwnerName(sc))) {
            return true;
        }
        for (Item i : schemaAcl(sc)) {
            if ((i.grantee().isEmpty() || isMe(i.grantee())) && i.has(privilege)) {
                return true;
            }
        }
        return false;
    }

    /** Schemas everyone may use whatever their ACL says: the catalogs' and the temporary ones. */
    private static boolean systemSchema(Schema sc) {
        return sc.oid() == modgres.sql.catalog.Namespace.PG_CATALOG
                || sc.oid() == modgres.sql.catalog.Namespace.INFORMATION_SCHEMA
                || sc.oid() == modgres.sql.catalog.Namespace.PG_TOAST || sc.name().startsWith("pg_temp_")
                || sc.name().startsWith("pg_toast_temp_");
    }

    /** Throws PostgreSQL's 42501 unless the session may use ('U') or create in ('C') the schema {@code nspOid}. */
    void checkSchema(int nspOid, char privilege) {
        Schema sc = schemas.get(nspOid);
        if (role.superuser() || sc == null || systemSchema(sc) || schemaHas(sc, privilege)) {
            return;
        }
        throw new PgException("42501", "permission denied for schema " + sc.name());
    }

    /** USAGE on the schema of relation {@code relOid}. */
    void checkSchemaOf(int relOid) {
        Integer nsp = relNamespaces.get(relOid);
        if (nsp != null) {
            checkSchema(nsp, 'U');
        }
    }

    /** CREATE in the schema named {@code name} (an unknown name is left to the command's own error). */
    void checkCreateIn(String name) {
        for (Schema sc : schemas.values()) {
            if (sc.name().equals(name)) {
                checkSchema(sc.oid(), 'C');
            }
        }
    }

    /** GRANT / REVOKE USAGE, CREATE, ALL ON SCHEMA: rewrites nspacl. */
    private String grantOnSchemas(Ddl.Grant g, java.util.function.Consumer<String> warning) {
        List<Schema> targets = new ArrayList<>();
        for (modgres.sql.ast.ObjectRef o : g.objects()) {
            String name = o.name().get(o.name().size() - 1);
            Schema found = null;
            for (Schema sc : schemas.values()) {
                if (sc.name().equals(name)) {
                    found = sc;
                }
            }
            if (found == null) {
                throw new PgException("3F000", "schema \"" + name + "\" does not exist");
            }
            targets.add(found);
        }
        Set<Character> privs = new LinkedHashSet<>();
        if (g.privileges() == null) {
            privs.add('U');
            privs.add('C');
        } else {
            for (Ddl.Privilege p : g.privileges()) {
                switch (p.name().toLowerCase()) {
                    case "usage" -> privs.add('U');
                    case "create" -> privs.add('C');
                    default -> throw new PgException("0LP01", "invalid privilege type " + p.name().toUpperCase()
                            + " for schema");
                }
            }
        }
        List<String> grantees = new ArrayList<>();
        for (RoleSpec r : g.grantees()) {
            grantees.add(granteeName(r));
        }
        SysTable n = SysTable.PG_NAMESPACE;
        for (Schema sc : targets) {
            String owner = schemaOwnerName(sc);
            List<Item> acl = schemaAcl(sc);
            String grantor = owner;
            Set<Character> grantable = new LinkedHashSet<>();
            if (role.superuser() || isMe(owner)) {
                grantable.addAll(privs);
            } else {
                boolean any = false;
                for (Item i : acl) {
                    if (i.grantee().isEmpty() || isMe(i.grantee())) {
                        any |= !i.privileges().isEmpty();
                        grantable.addAll(set(i.privileges(), true));
                    }
                }
                if (!any) {
                    throw new PgException("42501", "permission denied for schema " + sc.name());
                }
                grantor = role.user();
            }
            Set<Character> effective = new LinkedHashSet<>(privs);
            effective.retainAll(grantable);
            if (effective.isEmpty()) {
                warning.accept(WARNING + (g.grant() ? "01007no privileges were granted for \""
                        : "01006no privileges could be revoked for \"") + sc.name() + "\"");
                continue;
            }
            for (String grantee : grantees) {
                apply(acl, grantee, grantor, effective, g.grant(), g.grantOption(), SCHEMA_ALL);
            }
            CatalogStore.Row row = null;
            for (CatalogStore.Row r : store.scan(n, txn.snapshot())) {
                if (((Number) r.get(n, "oid")).intValue() == sc.oid()) {
                    row = r;
                }
            }
            if (row == null) {
                throw new PgException("XX000", "cache lookup failed for namespace " + sc.oid());
            }
            Object[] v = row.values().clone();
            v[n.column("nspacl")] = format(acl);
            store.update(n, row.tid(), v, txn);
            txn.catalogChanged();
            schemas.put(sc.oid(), new Schema(sc.oid(), sc.name(), sc.owner(), format(acl)));
        }
        return g.grant() ? "GRANT" : "REVOKE";
    }

    // ------------------------------------------------------------------ checks

    /** Throws PostgreSQL's 42501 unless the session may do {@code privilege} (a letter) to {@code rel}. */
    void check(Relation rel, char privilege) {
        if (role.superuser() || rel.oid() < FIRST_NORMAL_OID || has(rel.oid(), privilege)) {
            return;
        }
        throw new PgException("42501", "permission denied for " + kindName(rel.kind()) + " " + rel.name());
    }

    /**
     * Throws 42501 unless the role has {@code privilege} on {@code rel} or on each of {@code columns} (names;
     * none: on any column). Columns the relation lacks are left to the planner's errors.
     */
    void checkColumns(Relation rel, char privilege, java.util.Collection<String> columns) {
        if (role.superuser() || rel.oid() < FIRST_NORMAL_OID || has(rel.oid(), privilege)) {
            return;
        }
        Map<Integer, String> cols = columnAcls.getOrDefault(rel.oid(), Map.of());
        boolean ok;
        if (columns.isEmpty()) {
            ok = false;
            for (Relation.Column c : rel.liveColumns()) {
                ok |= columnHas(cols.get(c.attnum()), privilege);
            }
        } else {
            ok = true;
            for (String name : columns) {
                Relation.Column c = rel.column(name);
                ok &= c == null || columnHas(cols.get(c.attnum()), privilege);
            }
        }
        if (!ok) {
            throw new PgException("42501", "permission denied for " + kindName(rel.kind()) + " " + rel.name());
        }
    }

    private boolean columnHas(String acl, char privilege) {
        if (acl == null) {
            return false;
        }
        for (Item i : parse(acl)) {
            if ((i.grantee().isEmpty() || mine.contains(i.grantee())) && i.has(privilege)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What error details may show (ExecState.columnVisible): attnum 0 -- SELECT on the table; -1 -- row-level
     * security is in force for the role; else SELECT on the column (or the table).
     */
    boolean visible(int relOid, int attnum) {
        if (attnum == -1) {
            Boolean forced = rowSecurity.get(relOid);
            if (forced == null || role.bypassRls()) {
                return false;
            }
            return forced || !mine.contains(ownerName(relOid));
        }
        if (role.superuser() || relOid < FIRST_NORMAL_OID || has(relOid, 'r')) {
            return true;
        }
        return attnum > 0 && columnHas(columnAcls.getOrDefault(relOid, Map.of()).get(attnum), 'r');
    }

    /** Whether the role holds {@code privilege} on the relation (attnum 0) or on the relation or its column. */
    boolean holds(int relOid, char privilege, int attnum) {
        return has(relOid, privilege) || attnum > 0
                && columnHas(columnAcls.getOrDefault(relOid, Map.of()).get(attnum), privilege);
    }

    private boolean has(int relOid, char privilege) {
        if (mine.contains(ownerName(relOid))) {
            return true; // owners hold every privilege (unless they revoked their own; not modelled)
        }
        String acl = acls.get(relOid);
        if (acl == null) {
            return false;
        }
        for (Item i : parse(acl)) {
            if ((i.grantee().isEmpty() || mine.contains(i.grantee())) && i.has(privilege)) {
                return true;
            }
        }
        return false;
    }

    private static String kindName(char kind) {
        return switch (kind) {
            case 'v' -> "view";
            case 'S' -> "sequence";
            case 'm' -> "materialized view";
            default -> "table";
        };
    }

    // ------------------------------------------------------------------ GRANT / REVOKE

    /** GRANT / REVOKE on tables (and views and sequences): rewrites relacl; returns the command tag. */
    String grant(Ddl.Grant g, Planner planner, java.util.function.Consumer<String> warning) {
        if (g.objectType() == ObjectType.SCHEMA) {
            return grantOnSchemas(g, warning);
        }
        if (g.objectType() != ObjectType.TABLE && g.objectType() != ObjectType.SEQUENCE
                && g.objectType() != ObjectType.VIEW) {
            throw new PgException("0A000", (g.grant() ? "GRANT" : "REVOKE") + " on "
                    + g.objectType().name().toLowerCase().replace('_', ' ') + "s is not supported yet");
        }
        List<Target> targets = new ArrayList<>();
        if (g.allInSchema()) {
            for (modgres.sql.ast.ObjectRef o : g.objects()) {
                targets.addAll(relationsInSchema(o.name().get(o.name().size() - 1)));
            }
        } else {
            for (modgres.sql.ast.ObjectRef o : g.objects()) {
                List<String> n = o.name();
                RangeVar rv = new RangeVar(g.position(), n.size() > 2 ? n.get(0) : null,
                        n.size() > 1 ? n.get(n.size() - 2) : null, n.get(n.size() - 1), true, null);
                Relation r = planner.relation(rv);
                targets.add(new Target(r.oid(), r.name(), r.kind()));
            }
        }
        Set<Character> privs = new LinkedHashSet<>();
        Map<String, Set<Character>> columnPrivs = new java.util.LinkedHashMap<>();
        if (g.privileges() == null) {
            privs.addAll(set(ALL, false));
        } else {
            for (Ddl.Privilege p : g.privileges()) {
                char l = letter(p.name().toLowerCase());
                if (p.columns().isEmpty()) {
                    privs.add(l);
                    continue;
                }
                if ("rawx".indexOf(l) < 0) {
                    throw new PgException("0LP01", "invalid privilege type " + p.name().toUpperCase()
                            + " for column");
                }
                for (String col : p.columns()) {
                    columnPrivs.computeIfAbsent(col, k -> new LinkedHashSet<>()).add(l);
                }
            }
        }
        if (!columnPrivs.isEmpty()) {
            grantOnColumns(g, targets, planner, columnPrivs, warning);
            if (privs.isEmpty()) {
                return g.grant() ? "GRANT" : "REVOKE";
            }
        }
        List<String> grantees = new ArrayList<>();
        for (RoleSpec r : g.grantees()) {
            grantees.add(granteeName(r));
        }
        SysTable c = SysTable.PG_CLASS;
        for (Target rel : targets) {
            String owner = ownerName(rel.oid());
            boolean mayGrantAll = role.superuser() || mine.contains(owner);
            List<Item> acl = aclOf(rel.oid());
            Set<Character> grantable = new LinkedHashSet<>();
            String grantor = owner;
            if (!mayGrantAll) {
                boolean any = false;
                for (Item i : acl) {
                    if (mine.contains(i.grantee()) || i.grantee().isEmpty()) {
                        any |= !i.privileges().isEmpty();
                        grantable.addAll(set(i.privileges(), true));
                    }
                }
                if (!any) {
                    throw new PgException("42501", "permission denied for " + kindName(rel.kind()) + " "
                            + rel.name());
                }
                grantor = role.user();
            } else {
                grantable.addAll(set(ALL, false));
            }
            Set<Character> effective = new LinkedHashSet<>(privs);
            effective.retainAll(grantable);
            if (effective.isEmpty()) {
                warning.accept(WARNING + (g.grant() ? "01007no privileges were granted for \""
                        : "01006no privileges could be revoked for \"") + rel.name() + "\"");
                continue;
            }
            for (String grantee : grantees) {
                apply(acl, grantee, grantor, effective, g.grant(), g.grantOption(), ALL);
            }
            if (!g.grant()) {
                // PostgreSQL: a table-level REVOKE also revokes the same privileges on every column
                Set<Character> colLetters = new LinkedHashSet<>(effective);
                colLetters.retainAll(set("rawx", false));
                if (!colLetters.isEmpty()) {
                    revokeFromColumns(rel.oid(), grantees, grantor, colLetters, g.grantOption());
                }
            }
            CatalogStore.Row row = null;
            for (CatalogStore.Row r : store.scan(c, txn.snapshot())) {
                if (((Number) r.get(c, "oid")).intValue() == rel.oid()) {
                    row = r;
                    break;
                }
            }
            if (row == null) {
                throw new PgException("XX000", "cache lookup failed for relation " + rel.oid());
            }
            Object[] v = row.values().clone();
            v[c.column("relacl")] = format(acl);
            store.update(c, row.tid(), v, txn);
            txn.catalogChanged(); // other sessions' cached catalogs (and privileges) are stale at commit
            acls.put(rel.oid(), format(acl));
        }
        return g.grant() ? "GRANT" : "REVOKE";
    }

    /** GRANT / REVOKE priv (cols) ON t: rewrites the columns' attacl. */
    private void grantOnColumns(Ddl.Grant g, List<Target> targets, Planner planner,
            Map<String, Set<Character>> columnPrivs, java.util.function.Consumer<String> warning) {
        List<String> grantees = new ArrayList<>();
        for (RoleSpec r : g.grantees()) {
            grantees.add(granteeName(r));
        }
        for (Target t : targets) {
            String owner = ownerName(t.oid());
            if (!role.superuser() && !mine.contains(owner)) {
                throw new PgException("42501", "permission denied for " + kindName(t.kind()) + " " + t.name());
            }
            for (Map.Entry<String, Set<Character>> e : columnPrivs.entrySet()) {
                int attnum = attnum(t.oid(), e.getKey());
                if (attnum <= 0) {
                    throw new PgException("42703", "column \"" + e.getKey() + "\" of relation \"" + t.name()
                            + "\" does not exist");
                }
                updateColumnAcl(t.oid(), attnum, owner, acl -> {
                    for (String grantee : grantees) {
                        apply(acl, grantee, owner, e.getValue(), g.grant(), g.grantOption(), "rawx");
                    }
                });
            }
        }
    }

    /** A live column's attnum by name, 0 when there is none. */
    private int attnum(int relOid, String name) {
        SysTable a = SysTable.PG_ATTRIBUTE;
        for (CatalogStore.Row r : store.scan(a, txn.snapshot())) {
            if (((Number) r.get(a, "attrelid")).intValue() == relOid && name.equals(r.get(a, "attname"))
                    && !Boolean.TRUE.equals(r.get(a, "attisdropped"))) {
                return ((Number) r.get(a, "attnum")).intValue();
            }
        }
        return 0;
    }

    private void revokeFromColumns(int relOid, List<String> grantees, String grantor, Set<Character> letters,
            boolean grantOption) {
        Map<Integer, String> cols = columnAcls.get(relOid);
        if (cols == null) {
            return;
        }
        for (Integer attnum : List.copyOf(cols.keySet())) {
            updateColumnAcl(relOid, attnum, grantor, acl -> {
                for (String grantee : grantees) {
                    apply(acl, grantee, grantor, letters, false, grantOption, "rawx");
                }
            });
        }
    }

    /** Rewrites one column's attacl through {@code change} (null when no item is left). */
    private void updateColumnAcl(int relOid, int attnum, String owner,
            java.util.function.Consumer<List<Item>> change) {
        SysTable a = SysTable.PG_ATTRIBUTE;
        for (CatalogStore.Row r : store.scan(a, txn.snapshot())) {
            if (((Number) r.get(a, "attrelid")).intValue() != relOid
                    || ((Number) r.get(a, "attnum")).intValue() != attnum) {
                continue;
            }
            String old = (String) r.get(a, "attacl");
            List<Item> acl = old == null ? new ArrayList<>() : parse(old);
            change.accept(acl);
            String text = acl.isEmpty() ? null : format(acl);
            Object[] v = r.values().clone();
            v[a.column("attacl")] = text;
            store.update(a, r.tid(), v, txn);
            txn.catalogChanged();
            Map<Integer, String> cols = columnAcls.computeIfAbsent(relOid, k -> new HashMap<>());
            if (text == null) {
                cols.remove(attnum);
            } else {
                cols.put(attnum, text);
            }
            return;
        }
    }

    /** A relation GRANT or REVOKE changes. */
    private record Target(int oid, String name, char kind) {
    }

    /** ALL TABLES IN SCHEMA s: its tables, views and sequences (PostgreSQL: every relation but indexes). */
    private List<Target> relationsInSchema(String schema) {
        SysTable n = SysTable.PG_NAMESPACE;
        Integer nsp = null;
        for (CatalogStore.Row r : store.scan(n, txn.snapshot())) {
            if (schema.equals(r.get(n, "nspname"))) {
                nsp = ((Number) r.get(n, "oid")).intValue();
            }
        }
        if (nsp == null) {
            throw new PgException("3F000", "schema \"" + schema + "\" does not exist");
        }
        List<Target> out = new ArrayList<>();
        SysTable c = SysTable.PG_CLASS;
        for (CatalogStore.Row r : store.scan(c, txn.snapshot())) {
            String kind = String.valueOf(r.get(c, "relkind"));
            if (((Number) r.get(c, "relnamespace")).intValue() == nsp && "rvSmpf".contains(kind)) {
                out.add(new Target(((Number) r.get(c, "oid")).intValue(), (String) r.get(c, "relname"),
                        kind.charAt(0)));
            }
        }
        return out;
    }

    private static void apply(List<Item> acl, String grantee, String grantor, Set<Character> privs, boolean grant,
            boolean grantOption, String order) {
        int at = -1;
        for (int i = 0; i < acl.size(); i++) {
            if (acl.get(i).grantee().equals(grantee) && acl.get(i).grantor().equals(grantor)) {
                at = i;
            }
        }
        Set<Character> has = at < 0 ? new LinkedHashSet<>() : set(acl.get(at).privileges(), false);
        Set<Character> star = at < 0 ? new LinkedHashSet<>() : set(acl.get(at).privileges(), true);
        if (grant) {
            has.addAll(privs);
            if (grantOption) {
                star.addAll(privs);
            }
        } else {
            star.removeAll(privs); // REVOKE [GRANT OPTION FOR] takes the grant option in either case
            if (!grantOption) {
                has.removeAll(privs);
            }
        }
        String letters = letters(has, star, order);
        if (at < 0) {
            if (!letters.isEmpty()) {
                acl.add(new Item(grantee, letters, grantor));
            }
        } else if (letters.isEmpty()) {
            acl.remove(at);
        } else {
            acl.set(at, new Item(grantee, letters, grantor));
        }
    }
}
