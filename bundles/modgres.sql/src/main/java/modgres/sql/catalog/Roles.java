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
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return "DROP ROLE";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
