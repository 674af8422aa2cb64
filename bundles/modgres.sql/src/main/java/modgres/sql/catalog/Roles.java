package modgres.sql.catalog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import modgres.api.error.PgException;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.Ddl;

/*
 * Design notes: roles (PostgreSQL's user.c).
 *
 * Roles are rows of the shared catalog pg_authid, changed under the
 * session's transaction like any catalog row. A password is stored as
 * PostgreSQL stores it: with password_encryption = scram-sha-256 (the
 * default) as the verifier SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:
 * <ServerKey> (RFC 5802/7677: PBKDF2-HMAC-SHA-256 with a random 16-byte salt
 * and 4096 iterations), with md5 as "md5" + md5(password || rolname); a
 * string that already is a verifier is stored as given. The clear text is
 * never stored or logged.
 */
/** CREATE / ALTER / DROP ROLE against pg_authid; see the design notes. */
public final class Roles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Roles() {
    }

    /** The stored form of a password (see the design notes). */
    public static String encrypt(String role, String password, String method) {
        if (password.startsWith("SCRAM-SHA-256$") || password.matches("md5[0-9a-f]{32}")) {
            return password;
        }
        try {
            if ("md5".equals(method)) {
                byte[] d = MessageDigest.getInstance("MD5").digest((password + role).getBytes(StandardCharsets.UTF_8));
                StringBuilder b = new StringBuilder("md5");
                for (byte x : d) {
                    b.append(String.format("%02x", x & 0xFF));
                }
                return b.toString();
            }
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            int iterations = 4096;
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder e = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + e.encodeToString(salt) + "$" + e.encodeToString(storedKey)
                    + ":" + e.encodeToString(serverKey);
        } catch (GeneralSecurityException ex) {
            throw new PgException("XX000", "could not encrypt password: " + ex.getMessage());
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m.doFinal(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean flag(DefElem d) {
        if (d.value() instanceof DefElem.Name n) {
            return !n.parts().get(0).equals("false");
        }
        return true;
    }

    /** The OID of the role {@code name}, or {@code dflt} when there is none. */
    public static int oid(CatalogStore shared, TxnContext tx, String name, int dflt) {
        CatalogStore.Row r = find(shared, tx, name);
        return r == null ? dflt : ((Number) r.get(SysTable.PG_AUTHID, "oid")).intValue();
    }

    private static CatalogStore.Row find(CatalogStore store, TxnContext tx, String name) {
        SysTable a = SysTable.PG_AUTHID;
        for (CatalogStore.Row r : store.scan(a, tx.snapshot())) {
            if (name.equals(r.get(a, "rolname"))) {
                return r;
            }
        }
        return null;
    }

    /** Applies role options to a pg_authid row's values. */
    private static void apply(Object[] v, List<DefElem> options, String role, String passwordEncryption) {
        SysTable a = SysTable.PG_AUTHID;
        for (DefElem d : options) {
            switch (d.name()) {
                case "superuser" -> v[a.column("rolsuper")] = flag(d);
                case "createrole" -> v[a.column("rolcreaterole")] = flag(d);
                case "createdb" -> v[a.column("rolcreatedb")] = flag(d);
                case "canlogin" -> v[a.column("rolcanlogin")] = flag(d);
                case "isreplication" -> v[a.column("rolreplication")] = flag(d);
                case "bypassrls" -> v[a.column("rolbypassrls")] = flag(d);
                case "inherit" -> v[a.column("rolinherit")] = flag(d);
                case "connectionlimit" -> v[a.column("rolconnlimit")] =
                        Integer.parseInt(((DefElem.Num) d.value()).value());
                case "password" -> v[a.column("rolpassword")] = d.value() == null ? null
                        : encrypt(role, ((DefElem.Str) d.value()).value(), passwordEncryption);
                case "validUntil", "sysid" -> {
                }
                default -> throw new PgException("0A000", "role option \"" + d.name() + "\" is not supported yet",
                        null, null, d.position(), null);
            }
        }
    }

    private static void requireCreateRole(boolean superuser, boolean createRole) {
        if (!superuser && !createRole) {
            throw new PgException("42501", "permission denied to create role");
        }
    }

    public static String create(Ddl.CreateRole cr, CatalogStore shared, TxnContext tx, boolean superuser,
            boolean createRole, String passwordEncryption) {
        requireCreateRole(superuser, createRole);
        String name = cr.name();
        if (name.startsWith("pg_")) {
            throw new PgException("42939", "role name \"" + name + "\" is reserved",
                    "Role names starting with \"pg_\" are reserved.", null);
        }
        if (find(shared, tx, name) != null) {
            throw new PgException("42710", "role \"" + name + "\" already exists");
        }
        boolean login = cr.kind() == Ddl.RoleKind.USER;
        Object[] v = {tx.newOid(), name, false, true, false, false, login, false, false, -1, null, null};
        apply(v, cr.options(), name, passwordEncryption);
        if (Boolean.TRUE.equals(v[2]) && !superuser) {
            throw new PgException("42501", "must be superuser to create superusers");
        }
        shared.insert(SysTable.PG_AUTHID, v, tx);
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return "CREATE ROLE";
    }

    public static String alter(Ddl.AlterRole ar, CatalogStore shared, TxnContext tx, boolean superuser,
            boolean createRole, String currentUser, String passwordEncryption) {
        String name = ar.role().kind() == modgres.sql.ast.RoleSpec.Kind.NAME ? ar.role().name() : currentUser;
        CatalogStore.Row r = find(shared, tx, name);
        if (r == null) {
            throw new PgException("42704", "role \"" + name + "\" does not exist");
        }
        boolean onlyOwnPassword = name.equals(currentUser) && ar.options().stream()
                .allMatch(d -> d.name().equals("password"));
        if (!onlyOwnPassword) {
            requireCreateRole(superuser, createRole);
        }
        Object[] v = r.values().clone();
        apply(v, ar.options(), name, passwordEncryption);
        shared.update(SysTable.PG_AUTHID, r.tid(), v, tx);
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return "ALTER ROLE";
    }

    public static String drop(Ddl.DropRole dr, CatalogStore shared, TxnContext tx, boolean superuser,
            boolean createRole, String currentUser, java.util.function.Consumer<String> notice) {
        requireCreateRole(superuser, createRole);
        for (modgres.sql.ast.RoleSpec rs : dr.roles()) {
            String name = rs.name();
            CatalogStore.Row r = find(shared, tx, name);
            if (r == null) {
                if (dr.ifExists()) {
                    notice.accept("role \"" + name + "\" does not exist, skipping");
                    continue;
                }
                throw new PgException("42704", "role \"" + name + "\" does not exist");
            }
            if (name.equals(currentUser)) {
                throw new PgException("55006", "current user cannot be dropped");
            }
            if (((Integer) r.get(SysTable.PG_AUTHID, "oid")) == Bootstrap.BOOTSTRAP_SUPERUSER) {
                throw new PgException("55006", "cannot drop role " + name + " because it is required by the "
                        + "database system");
            }
            shared.delete(SysTable.PG_AUTHID, r.tid(), tx);
            dropMemberships(shared, tx, ((Number) r.get(SysTable.PG_AUTHID, "oid")).intValue());
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return "DROP ROLE";
    }

    // ------------------------------------------------------------------ membership (pg_auth_members)

    /** A snapshot of the roles and their memberships, to answer who is (or has the privileges of) whom. */
    public static final class Membership {
        private final java.util.Map<String, Integer> oids = new java.util.HashMap<>();
        private final java.util.Map<Integer, String> names = new java.util.HashMap<>();
        private final java.util.Set<Integer> inheriting = new java.util.HashSet<>();
        private final java.util.Set<Integer> superusers = new java.util.HashSet<>();
        /** member -> the rows (roleid, admin_option) it is a member through, and the rows' tids. */
        private final java.util.Map<Integer, List<CatalogStore.Row>> byMember = new java.util.HashMap<>();

        public Membership(CatalogStore shared, modgres.api.txn.Snapshot snapshot) {
            SysTable a = SysTable.PG_AUTHID;
            for (CatalogStore.Row r : shared.scan(a, snapshot)) {
                int oid = ((Number) r.get(a, "oid")).intValue();
                oids.put((String) r.get(a, "rolname"), oid);
                names.put(oid, (String) r.get(a, "rolname"));
                if (Boolean.TRUE.equals(r.get(a, "rolinherit"))) {
                    inheriting.add(oid);
                }
                if (Boolean.TRUE.equals(r.get(a, "rolsuper"))) {
                    superusers.add(oid);
                }
            }
            SysTable m = SysTable.PG_AUTH_MEMBERS;
            List<CatalogStore.Row> rows;
            try {
                rows = shared.scan(m, snapshot);
            } catch (RuntimeException e) {
                rows = List.of(); // a data directory made before pg_auth_members existed
            }
            for (CatalogStore.Row r : rows) {
                byMember.computeIfAbsent(((Number) r.get(m, "member")).intValue(), k -> new java.util.ArrayList<>())
                        .add(r);
            }
        }

        public Integer oid(String role) {
            return oids.get(role);
        }

        /**
         * The roles {@code role} belongs to, itself included, directly or through other roles; with
         * {@code privileges} only those whose privileges it has (a NOINHERIT role's memberships are not followed:
         * PostgreSQL's roles_is_member_of with ROLERECURSE_PRIVS).
         */
        public java.util.Set<String> rolesOf(String role, boolean privileges) {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            Integer start = oids.get(role);
            if (start == null) {
                out.add(role);
                return out;
            }
            java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(List.of(start));
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            while (!todo.isEmpty()) {
                int r = todo.poll();
                if (!seen.add(r)) {
                    continue;
                }
                out.add(names.get(r));
                if (privileges && !inheriting.contains(r)) {
                    continue;
                }
                for (CatalogStore.Row row : byMember.getOrDefault(r, List.of())) {
                    todo.add(((Number) row.get(SysTable.PG_AUTH_MEMBERS, "roleid")).intValue());
                }
            }
            return out;
        }

        /** The direct membership row of {@code member} in {@code role}, or null. */
        CatalogStore.Row direct(int role, int member) {
            for (CatalogStore.Row row : byMember.getOrDefault(member, List.of())) {
                if (((Number) row.get(SysTable.PG_AUTH_MEMBERS, "roleid")).intValue() == role) {
                    return row;
                }
            }
            return null;
        }

        /** Whether {@code role} may grant membership in {@code granted}: it (or a role it is in) has ADMIN OPTION. */
        boolean isAdminOf(String role, int granted) {
            for (String r : rolesOf(role, false)) {
                CatalogStore.Row row = direct(granted, oids.get(r));
                if (row != null && Boolean.TRUE.equals(row.get(SysTable.PG_AUTH_MEMBERS, "admin_option"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * GRANT roles TO members [WITH ADMIN OPTION] / REVOKE [ADMIN OPTION FOR] roles FROM members (PostgreSQL's
     * AddRoleMems / DelRoleMems). {@code names} resolves CURRENT_USER / SESSION_USER and the like.
     */
    public static String grantRole(Ddl.GrantRole g, CatalogStore shared, TxnContext tx, boolean superuser,
            boolean createRole, String currentUser, java.util.function.UnaryOperator<String> specialName,
            java.util.function.Consumer<String> notice, java.util.function.Consumer<String> warning) {
        SysTable m = SysTable.PG_AUTH_MEMBERS;
        shared.ensureStorage(m, tx.snapshot());
        for (String roleName : g.roles()) {
            String granted = specialName.apply(roleName);
            Membership ms = new Membership(shared, tx.snapshot());
            Integer roleOid = ms.oid(granted);
            if (roleOid == null) {
                throw new PgException("42704", "role \"" + granted + "\" does not exist");
            }
            if (ms.superusers.contains(roleOid)) {
                if (!superuser) {
                    throw new PgException("42501", "must be superuser to alter superusers");
                }
            } else if (!superuser && !createRole && !ms.isAdminOf(currentUser, roleOid)) {
                throw new PgException("42501", "must have admin option on role \"" + granted + "\"");
            }
            for (modgres.sql.ast.RoleSpec rs : g.grantees()) {
                String member = rs.kind() == modgres.sql.ast.RoleSpec.Kind.NAME ? rs.name()
                        : specialName.apply(rs.kind().name().toLowerCase(Locale.ROOT));
                ms = new Membership(shared, tx.snapshot());
                Integer memberOid = ms.oid(member);
                if (memberOid == null) {
                    throw new PgException("42704", "role \"" + member + "\" does not exist");
                }
                CatalogStore.Row existing = ms.direct(roleOid, memberOid);
                if (g.grant()) {
                    if (ms.rolesOf(granted, false).contains(member)) {
                        throw new PgException("0LP01", "role \"" + granted + "\" is a member of role \"" + member
                                + "\"");
                    }
                    if (existing != null && (!g.adminOption() || Boolean.TRUE.equals(existing.get(m, "admin_option")))) {
                        notice.accept("role \"" + member + "\" is already a member of role \"" + granted + "\"");
                        continue;
                    }
                    int grantor = ms.oid(currentUser) == null ? Bootstrap.BOOTSTRAP_SUPERUSER : ms.oid(currentUser);
                    if (existing != null) {
                        Object[] v = existing.values().clone();
                        v[m.column("admin_option")] = true;
                        shared.update(m, existing.tid(), v, tx);
                    } else {
                        shared.insert(m, new Object[] {roleOid, memberOid, grantor, g.adminOption()}, tx);
                    }
                } else if (existing == null) {
                    warning.accept("role \"" + member + "\" is not a member of role \"" + granted + "\"");
                } else if (g.adminOption()) {
                    Object[] v = existing.values().clone();
                    v[m.column("admin_option")] = false;
                    shared.update(m, existing.tid(), v, tx);
                } else {
                    shared.delete(m, existing.tid(), tx);
                }
                tx.commandCounterIncrement();
            }
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return g.grant() ? "GRANT ROLE" : "REVOKE ROLE";
    }

    /** DROP ROLE's cleanup: the memberships of and in the role. */
    private static void dropMemberships(CatalogStore shared, TxnContext tx, int role) {
        SysTable m = SysTable.PG_AUTH_MEMBERS;
        List<CatalogStore.Row> rows;
        try {
            rows = shared.scan(m, tx.snapshot());
        } catch (RuntimeException e) {
            return;
        }
        for (CatalogStore.Row r : rows) {
            if (((Number) r.get(m, "roleid")).intValue() == role || ((Number) r.get(m, "member")).intValue() == role) {
                shared.delete(m, r.tid(), tx);
            }
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
