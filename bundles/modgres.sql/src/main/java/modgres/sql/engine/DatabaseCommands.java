package modgres.sql.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.Ddl;
import modgres.sql.catalog.Bootstrap;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.SysTable;

/*
 * Design notes: CREATE / ALTER / DROP DATABASE (PostgreSQL's dbcommands.c).
 *
 * A database is a row of the shared catalog pg_database plus the directory
 * base/<oid>/ holding its relation files (its own catalogs included) and the
 * completion marker pg_filenode.map that Bootstrap writes.
 *
 * CREATE DATABASE copies the template's directory: PostgreSQL 15's FILE_COPY
 * strategy (STRATEGY = WAL_LOG is accepted and also copies files; nothing
 * is written to the WAL block by block). Steps, in one transaction that
 * cannot be inside a transaction block:
 *
 *   lock pg_database (ExclusiveLock: database DDL is serialised)
 *   lock the template as a database object (ShareLock): sessions connecting
 *     to it and autovacuum workers take RowExclusiveLock, so none starts
 *     while we copy, and we wait for a running autovacuum task to finish
 *   checks (PostgreSQL's order): privilege, template exists, may be copied,
 *     encoding/locale, tablespace, name free, no other session in the
 *     template (waiting up to 5 s for them to leave, as PostgreSQL does)
 *   checkpoint #1: every dirty page of the template reaches its files
 *   copy base/<template>/ to base/<new>/ (each file fsynced, then the
 *     directory and base/), temporary relations' files excluded
 *   checkpoint #2: recovery never starts before the copy, so no older WAL
 *     record is replayed into the new directory and the first change of a
 *     copied page after the copy is logged with a full-page image
 *   insert the pg_database row; commit (abort: the directory is removed)
 *
 * Crash safety: before the commit record is durable the new directory is
 * an orphan nobody reads (its OID is never handed out again); after it the
 * directory's files are already durable and the row is replayed from WAL, so
 * a kill -9 right after CREATE DATABASE returns leaves a usable database.
 *
 * DROP DATABASE: lock pg_database, then the database object in
 * AccessExclusiveLock (connecting sessions wait, then see the row gone and
 * fail with 3D000), checks, WITH (FORCE) asks the postmaster to terminate
 * the other sessions, other sessions are waited for up to 5 s (else 55006
 * with PostgreSQL's detail), the row is deleted; after the commit the
 * relation files are dropped (with their buffers and pending fsyncs), the
 * directory removed, the database's statistics forgotten and a checkpoint
 * requested (so recovery never replays older WAL of the dead database). A
 * crash between commit and removal leaves an orphan directory, nothing worse.
 *
 * ALTER DATABASE: RENAME TO, OWNER TO, CONNECTION LIMIT, IS_TEMPLATE,
 * ALLOW_CONNECTIONS update the row; SET/RESET (pg_db_role_setting) is not
 * built.
 */
/** The database commands of one session; see the design notes. */
final class DatabaseCommands {
    /** pg_database's OID: the class of the database objects locked here. */
    static final int PG_DATABASE = 1262;
    /** Encoding code of UTF8 (pg_wchar.h). */
    static final int UTF8 = 6;

    private final DataServices svc;
    private final SessionTxn txn;
    private final DataPath.RoleContext role;
    private final Consumer<String> notice;
    private final CatalogStore shared;

    DatabaseCommands(DataServices svc, SessionTxn txn, DataPath.RoleContext role, Consumer<String> notice) {
        this.svc = svc;
        this.txn = txn;
        this.role = role;
        this.notice = notice;
        this.shared = new CatalogStore(svc.heap(), 0);
    }

    /** The lock tag of a database as an object (PostgreSQL's LockSharedObject(DatabaseRelationId, oid)). */
    static LockTag databaseLock(int oid) {
        return LockTag.object(0, PG_DATABASE, oid);
    }

    private static final SysTable D = SysTable.PG_DATABASE;

    private CatalogStore.Row findDatabase(String name) {
        for (CatalogStore.Row r : shared.scan(D, txn.catalogSnapshot())) {
            if (name.equals(r.get(D, "datname"))) {
                return r;
            }
        }
        return null;
    }

    private CatalogStore.Row findRole(String name) {
        SysTable a = SysTable.PG_AUTHID;
        for (CatalogStore.Row r : shared.scan(a, txn.catalogSnapshot())) {
            if (name.equals(r.get(a, "rolname"))) {
                return r;
            }
        }
        return null;
    }

    private int currentUserOid() {
        CatalogStore.Row r = findRole(role.user());
        return r == null ? Bootstrap.BOOTSTRAP_SUPERUSER : (Integer) r.get(SysTable.PG_AUTHID, "oid");
    }

    private boolean ownsOrSuper(CatalogStore.Row db) {
        return role.superuser() || ((Integer) db.get(D, "datdba")) == currentUserOid();
    }

    private static PgException conflicting(DefElem d) {
        return new PgException("42601", "conflicting or redundant options", null, null, d.position(), null);
    }

    private static boolean bool(DefElem d) {
        String v = d.value() == null ? "true" : d.stringValue().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "on", "1", "yes", "t", "y" -> true;
            case "false", "off", "0", "no", "f", "n" -> false;
            default -> throw new PgException("22023", d.name() + " requires a Boolean value");
        };
    }

    private static int connLimit(DefElem d) {
        int v;
        try {
            v = Integer.parseInt(d.stringValue());
        } catch (RuntimeException e) {
            throw new PgException("22023", d.name() + " requires an integer value");
        }
        if (v < -1) {
            throw new PgException("22023", "invalid connection limit: " + v);
        }
        return v;
    }

    /** PostgreSQL's server encodings, by code (pg_enc). */
    static final List<String> ENCODINGS = List.of("SQL_ASCII", "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW",
            "EUC_JIS_2004", "UTF8", "MULE_INTERNAL", "LATIN1", "LATIN2", "LATIN3", "LATIN4", "LATIN5", "LATIN6",
            "LATIN7", "LATIN8", "LATIN9", "LATIN10", "WIN1256", "WIN1258", "WIN866", "WIN874", "KOI8R", "WIN1251",
            "WIN1252", "ISO_8859_5", "ISO_8859_6", "ISO_8859_7", "ISO_8859_8", "WIN1250", "WIN1253", "WIN1254",
            "WIN1255", "WIN1257", "KOI8U", "SJIS", "BIG5", "GBK", "UHC", "GB18030", "JOHAB", "SHIFT_JIS_2004");

    /** pg_encoding_to_char: the encoding's name, "" for an unknown code. */
    static String encodingName(int code) {
        return code >= 0 && code < ENCODINGS.size() ? ENCODINGS.get(code) : "";
    }

    /** An encoding's code from its name (case and punctuation ignored, as PostgreSQL's clean_encoding_name), -1. */
    static int encodingCode(String name) {
        String clean = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (clean.equals("unicode") || clean.equals("utf8")) {
            return UTF8;
        }
        for (int i = 0; i < ENCODINGS.size(); i++) {
            if (ENCODINGS.get(i).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "").equals(clean)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean cLocale(String l) {
        return l.equals("C") || l.equals("POSIX") || l.equals("C.UTF-8") || l.equals("C.utf8");
    }

    // ---------------------------------------------------------------- CREATE DATABASE

    String create(Ddl.CreateDatabase cd) {
        DefElem owner = null, template = null, encoding = null, locale = null, collate = null, ctype = null,
                connlimit = null, isTemplate = null, allowConn = null, strategy = null, tablespace = null,
                provider = null, icuLocale = null, collVersion = null;
        for (DefElem d : cd.options()) {
            switch (d.name().toLowerCase(Locale.ROOT)) {
                case "owner" -> owner = once(owner, d);
                case "template" -> template = once(template, d);
                case "encoding" -> encoding = once(encoding, d);
                case "locale" -> locale = once(locale, d);
                case "lc_collate" -> collate = once(collate, d);
                case "lc_ctype" -> ctype = once(ctype, d);
                case "connection_limit" -> connlimit = once(connlimit, d);
                case "is_template" -> isTemplate = once(isTemplate, d);
                case "allow_connections" -> allowConn = once(allowConn, d);
                case "strategy" -> strategy = once(strategy, d);
                case "tablespace" -> tablespace = once(tablespace, d);
                case "locale_provider" -> provider = once(provider, d);
                case "icu_locale" -> icuLocale = once(icuLocale, d);
                case "collation_version" -> collVersion = once(collVersion, d);
                default -> throw new PgException("42601", "option \"" + d.name() + "\" not recognized", null, null,
                        d.position(), null);
            }
        }
        if (locale != null && (collate != null || ctype != null)) {
            throw new PgException("42601", "conflicting or redundant options", "LOCALE cannot be specified "
                    + "together with LC_COLLATE or LC_CTYPE.", null, locale.position(), null);
        }
        int conn = connlimit == null || connlimit.value() == null ? -1 : connLimit(connlimit);
        boolean istemplate = isTemplate != null && isTemplate.value() != null && bool(isTemplate);
        boolean allow = allowConn == null || allowConn.value() == null || bool(allowConn);

        CatalogStore.Row me = findRole(role.user());
        boolean createdb = me != null && (Boolean) me.get(SysTable.PG_AUTHID, "rolcreatedb");
        if (!role.superuser() && !createdb) {
            throw new PgException("42501", "permission denied to create database");
        }
        int dba = currentUserOid();
        if (owner != null && owner.value() != null) {
            CatalogStore.Row r = findRole(owner.stringValue());
            if (r == null) {
                throw new PgException("42704", "role \"" + owner.stringValue() + "\" does not exist");
            }
            dba = (Integer) r.get(SysTable.PG_AUTHID, "oid");
            if (!role.superuser() && dba != currentUserOid()) {
                throw new PgException("42501", "must be member of role \"" + owner.stringValue() + "\"");
            }
        }
        txn.lockRelation(PG_DATABASE, LockMode.EXCLUSIVE);
        String srcName = template == null || template.value() == null ? "template1" : template.stringValue();
        CatalogStore.Row src = findDatabase(srcName);
        if (src != null) {
            // connecting sessions and autovacuum take RowExclusiveLock: none starts while the files are copied
            txn.lock(databaseLock((Integer) src.get(D, "oid")), LockMode.SHARE);
            src = findDatabase(srcName);
        }
        if (src == null) {
            throw new PgException("3D000", "template database \"" + srcName + "\" does not exist");
        }
        int srcOid = (Integer) src.get(D, "oid");
        if (!(Boolean) src.get(D, "datistemplate") && !ownsOrSuper(src)) {
            throw new PgException("42501", "permission denied to copy database \"" + srcName + "\"");
        }
        if (strategy != null) {
            String s = strategy.value() == null ? "" : strategy.stringValue().toLowerCase(Locale.ROOT);
            if (!s.equals("wal_log") && !s.equals("file_copy")) {
                throw new PgException("22023", "invalid create database strategy \"" + strategy.stringValue() + "\"",
                        null, "Valid strategies are \"wal_log\" and \"file_copy\".", 0, null);
            }
        }
        int srcEncoding = (Integer) src.get(D, "encoding");
        int enc = srcEncoding;
        if (encoding != null && encoding.value() != null) {
            if (encoding.value() instanceof DefElem.Num n) {
                enc = Integer.parseInt(n.value());
                if (enc < 0 || enc >= ENCODINGS.size()) {
                    throw new PgException("42704", enc + " is not a valid encoding code", null, null,
                            encoding.position(), null);
                }
            } else {
                enc = encodingCode(encoding.stringValue());
                if (enc < 0) {
                    throw new PgException("42704", encoding.stringValue() + " is not a valid encoding name", null,
                            null, encoding.position(), null);
                }
            }
        }
        String srcCollate = (String) src.get(D, "datcollate");
        String srcCtype = (String) src.get(D, "datctype");
        String coll = locale != null && locale.value() != null ? locale.stringValue()
                : collate != null && collate.value() != null ? collate.stringValue() : srcCollate;
        String ct = locale != null && locale.value() != null ? locale.stringValue()
                : ctype != null && ctype.value() != null ? ctype.stringValue() : srcCtype;
        for (String l : new String[] {coll, ct}) {
            if (!cLocale(l)) {
                throw new PgException("42809", "invalid locale name: \"" + l + "\"");
            }
        }
        if (provider != null && provider.value() != null
                && !provider.stringValue().toLowerCase(Locale.ROOT).equals("libc")) {
            if (provider.stringValue().toLowerCase(Locale.ROOT).equals("icu")) {
                throw new PgException("0A000", "ICU is not supported in this build");
            }
            throw new PgException("22023", "unrecognized locale provider: " + provider.stringValue());
        }
        if (icuLocale != null && icuLocale.value() != null) {
            throw new PgException("0A000", "ICU locale cannot be specified unless locale provider is ICU");
        }
        boolean fromTemplate0 = srcName.equals("template0");
        if (!fromTemplate0) {
            if (enc != srcEncoding) {
                throw new PgException("22023", "new encoding (" + encodingName(enc)
                        + ") is incompatible with the encoding of the template database (" + encodingName(srcEncoding)
                        + ")", null, "Use the same encoding as in the template database, or use template0 as "
                                + "template.", 0, null);
            }
            if (!coll.equals(srcCollate)) {
                throw new PgException("22023", "new collation (" + coll
                        + ") is incompatible with the collation of the template database (" + srcCollate + ")", null,
                        "Use the same collation as in the template database, or use template0 as template.", 0,
                        null);
            }
            if (!ct.equals(srcCtype)) {
                throw new PgException("22023", "new LC_CTYPE (" + ct
                        + ") is incompatible with the LC_CTYPE of the template database (" + srcCtype + ")", null,
                        "Use the same LC_CTYPE as in the template database, or use template0 as template.", 0, null);
            }
        }
        if (enc != UTF8 && enc != 0) {
            // the server's strings are UTF-8 throughout: other server encodings are not built
            throw new PgException("0A000", "encoding \"" + encodingName(enc) + "\" is not supported yet", null, null,
                    encoding == null ? 0 : encoding.position(), null);
        }
        if (tablespace != null && tablespace.value() != null && !tablespace.stringValue().equals("pg_default")) {
            throw new PgException("42704", "tablespace \"" + tablespace.stringValue() + "\" does not exist");
        }
        if (findDatabase(cd.name()) != null) {
            throw new PgException("42P04", "database \"" + cd.name() + "\" already exists");
        }
        waitForOthers(srcName, () -> "source database \"" + srcName + "\" is being accessed by other users");

        int oid = txn.newOid();
        Path base = svc.dataDir().resolve("base");
        Path from = base.resolve(Integer.toString(srcOid));
        Path to = base.resolve(Integer.toString(oid));
        // a template never opened has no catalog yet (template0 on a fresh cluster): create it first
        Bootstrap.bootstrapDatabase(new CatalogStore(svc.heap(), srcOid), svc.wal(), from);
        checkpoint();
        txn.onAbort(() -> removeFiles(oid));
        try {
            removeDirectory(to); // an orphan of a crash before a commit cannot exist under a new OID, but be sure
            copyDirectory(from, to);
        } catch (IOException e) {
            throw new PgException("58030", "could not copy directory \"" + from + "\" to \"" + to + "\": "
                    + e.getMessage());
        }
        checkpoint();
        shared.insert(D, new Object[] {oid, cd.name(), dba, enc, "c", istemplate, allow, conn,
                src.get(D, "datfrozenxid"), src.get(D, "datminmxid"), CatalogStore.DEFAULT_TABLESPACE, coll, ct, null,
                null, null}, txn);
        txn.onCommit(() -> svc.cache().invalidate(0));
        return "CREATE DATABASE";
    }

    private static DefElem once(DefElem previous, DefElem d) {
        if (previous != null) {
            throw conflicting(d);
        }
        return d;
    }

    /** A checkpoint, waited for (PostgreSQL's RequestCheckpoint(IMMEDIATE | FORCE | WAIT)). */
    private void checkpoint() {
        modgres.api.control.Checkpointer cp = svc.checkpointer().get();
        if (cp == null) {
            throw new PgException("55000", "checkpoint request failed", "No checkpointer is active.", null);
        }
        cp.requestCheckpoint(true, true);
    }

    /** The sessions other than this one connected to a database (PostgreSQL's CountOtherDBBackends, once). */
    private int otherSessions(String name) {
        int n = 0;
        for (modgres.api.backend.BackendStatus b : svc.activity().get()) {
            if (name.equals(b.database()) && b.pid() != txn.pid()) {
                n++;
            }
        }
        return n;
    }

    /** Waits up to 5 s for the other sessions of a database to end; fails with 55006 and the count if they do not. */
    private void waitForOthers(String name, java.util.function.Supplier<String> message) {
        int n = otherSessions(name);
        for (int i = 0; i < 50 && n > 0; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            }
            n = otherSessions(name);
        }
        if (n > 0) {
            throw new PgException("55006", message.get(), n == 1 ? "There is 1 other session using the database."
                    : "There are " + n + " other sessions using the database.", null);
        }
    }

    // ---------------------------------------------------------------- DROP DATABASE

    String drop(Ddl.DropDatabase dd) {
        txn.lockRelation(PG_DATABASE, LockMode.EXCLUSIVE);
        CatalogStore.Row db = findDatabase(dd.name());
        if (db != null) {
            txn.lock(databaseLock((Integer) db.get(D, "oid")), LockMode.ACCESS_EXCLUSIVE);
            db = findDatabase(dd.name());
        }
        if (db == null) {
            if (dd.ifExists()) {
                notice.accept("database \"" + dd.name() + "\" does not exist, skipping");
                return "DROP DATABASE";
            }
            throw new PgException("3D000", "database \"" + dd.name() + "\" does not exist");
        }
        int oid = (Integer) db.get(D, "oid");
        if (!ownsOrSuper(db)) {
            throw new PgException("42501", "must be owner of database " + dd.name());
        }
        if ((Boolean) db.get(D, "datistemplate")) {
            throw new PgException("42809", "cannot drop a template database");
        }
        if (oid == txn.database()) {
            throw new PgException("55006", "cannot drop the currently open database");
        }
        if (dd.force()) {
            for (modgres.api.backend.BackendStatus b : svc.activity().get()) {
                if (dd.name().equals(b.database()) && b.pid() != txn.pid()) {
                    svc.terminateBackend().test(b.pid());
                }
            }
        }
        waitForOthers(dd.name(), () -> "database \"" + dd.name() + "\" is being accessed by other users");
        shared.delete(D, db.tid(), txn);
        txn.onCommit(() -> {
            svc.cache().invalidate(0);
            removeFiles(oid);
            txn.activity.event(new modgres.api.stats.StatsEvent.DatabaseDropped(oid));
            modgres.api.control.Checkpointer cp = svc.checkpointer().get();
            if (cp != null) {
                cp.requestCheckpoint(false, true);
            }
        });
        return "DROP DATABASE";
    }

    /** Drops the database's relation files (their buffers and pending fsyncs too), then its directory. */
    private void removeFiles(int oid) {
        Path dir = svc.dataDir().resolve("base").resolve(Integer.toString(oid));
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<Integer> nodes = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                int end = 0;
                while (end < n.length() && Character.isDigit(n.charAt(end))) {
                    end++;
                }
                if (end > 0 && end <= 10) {
                    nodes.add(Integer.parseUnsignedInt(n.substring(0, end)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the directory removal below reports what matters
        }
        for (int node : nodes) {
            svc.heap().dropStorage(new RelFileNode(CatalogStore.DEFAULT_TABLESPACE, oid, node));
        }
        try {
            removeDirectory(dir);
        } catch (IOException e) {
            throw new PgException("58030", "could not remove directory \"" + dir + "\": " + e.getMessage());
        }
    }

    static void removeDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
        fsyncDirectory(dir.getParent());
    }

    /**
     * Copies a database directory: every file except temporary relations' ({@code t<backend>_<node>}) and
     * temporary files, each fsynced, then the new directory and its parent.
     */
    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(from)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!Files.isRegularFile(p) || n.startsWith("t") || n.endsWith(".tmp")
                        || n.equals("pg_internal.init")) {
                    continue;
                }
                Path target = to.resolve(n);
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        }
        fsyncDirectory(to);
        fsyncDirectory(to.getParent());
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not every platform opens directories for fsync
        }
    }

    // ---------------------------------------------------------------- ALTER DATABASE

    /** ALTER DATABASE name [WITH] CONNECTION LIMIT / IS_TEMPLATE / ALLOW_CONNECTIONS; SET/RESET are not built. */
    String alter(Ddl.AlterDatabase ad) {
        if (ad.set() != null) {
            throw new PgException("0A000", "ALTER DATABASE ... SET is not supported yet", null, null, ad.position(),
                    null);
        }
        txn.lockRelation(PG_DATABASE, LockMode.EXCLUSIVE);
        CatalogStore.Row db = existing(ad.name());
        if (!ownsOrSuper(db)) {
            throw new PgException("42501", "must be owner of database " + ad.name());
        }
        Object[] v = db.values().clone();
        DefElem seenConn = null, seenTemplate = null, seenAllow = null;
        for (DefElem d : ad.options()) {
            switch (d.name().toLowerCase(Locale.ROOT)) {
                case "connection_limit" -> {
                    seenConn = once(seenConn, d);
                    v[D.column("datconnlimit")] = connLimit(d);
                }
                case "is_template" -> {
                    seenTemplate = once(seenTemplate, d);
                    v[D.column("datistemplate")] = bool(d);
                }
                case "allow_connections" -> {
                    seenAllow = once(seenAllow, d);
                    boolean allow = bool(d);
                    if (!allow && (Integer) db.get(D, "oid") == txn.database()) {
                        throw new PgException("22023", "cannot disallow connections for current database");
                    }
                    v[D.column("datallowconn")] = allow;
                }
                case "tablespace" -> throw new PgException("0A000", "ALTER DATABASE ... SET TABLESPACE is not "
                        + "supported yet", null, null, d.position(), null);
                default -> throw new PgException("42601", "option \"" + d.name() + "\" not recognized", null, null,
                        d.position(), null);
            }
        }
        shared.update(D, db.tid(), v, txn);
        txn.onCommit(() -> svc.cache().invalidate(0));
        return "ALTER DATABASE";
    }

    private CatalogStore.Row existing(String name) {
        CatalogStore.Row db = findDatabase(name);
        if (db == null) {
            throw new PgException("3D000", "database \"" + name + "\" does not exist");
        }
        return db;
    }

    /** ALTER DATABASE name RENAME TO new. */
    String rename(String name, String newName) {
        txn.lockRelation(PG_DATABASE, LockMode.EXCLUSIVE);
        CatalogStore.Row db = existing(name);
        int oid = (Integer) db.get(D, "oid");
        txn.lock(databaseLock(oid), LockMode.ACCESS_EXCLUSIVE);
        if (!ownsOrSuper(db)) {
            throw new PgException("42501", "must be owner of database " + name);
        }
        CatalogStore.Row me = findRole(role.user());
        if (!role.superuser() && (me == null || !(Boolean) me.get(SysTable.PG_AUTHID, "rolcreatedb"))) {
            throw new PgException("42501", "permission denied to rename database");
        }
        if (oid == txn.database()) {
            throw new PgException("0A000", "current database cannot be renamed");
        }
        if (otherSessions(name) > 0) {
            int n = otherSessions(name);
            throw new PgException("55006", "database \"" + name + "\" is being accessed by other users",
                    n == 1 ? "There is 1 other session using the database."
                            : "There are " + n + " other sessions using the database.", null);
        }
        if (findDatabase(newName) != null) {
            throw new PgException("42P04", "database \"" + newName + "\" already exists");
        }
        Object[] v = db.values().clone();
        v[D.column("datname")] = newName;
        shared.update(D, db.tid(), v, txn);
        txn.onCommit(() -> svc.cache().invalidate(0));
        return "ALTER DATABASE";
    }

    /** ALTER DATABASE name OWNER TO role. */
    String owner(String name, String newOwner) {
        txn.lockRelation(PG_DATABASE, LockMode.EXCLUSIVE);
        CatalogStore.Row db = existing(name);
        CatalogStore.Row r = findRole(newOwner);
        if (r == null) {
            throw new PgException("42704", "role \"" + newOwner + "\" does not exist");
        }
        if (!ownsOrSuper(db)) {
            throw new PgException("42501", "must be owner of database " + name);
        }
        Object[] v = db.values().clone();
        v[D.column("datdba")] = r.get(SysTable.PG_AUTHID, "oid");
        shared.update(D, db.tid(), v, txn);
        txn.onCommit(() -> svc.cache().invalidate(0));
        return "ALTER DATABASE";
    }
}
