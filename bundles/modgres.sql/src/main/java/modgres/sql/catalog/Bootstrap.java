package modgres.sql.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.List;

import modgres.api.error.PgException;
import modgres.api.wal.Wal;

/*
 * Design notes: creating the initial catalog (PostgreSQL's bootstrap mode of
 * initdb).
 *
 * The catalog of a database is created the first time the database is
 * opened: the catalog heaps are created (WAL-logged: SMGR create records)
 * and filled with the rows that describe the catalogs themselves, the
 * schemas pg_catalog, public and information_schema, and (for the shared
 * catalogs in global/) the databases template1, template0 and postgres and
 * the roles of global/pg_authid.bootstrap. The rows are inserted frozen by
 * the bootstrap transaction id, so they are visible to everyone at once.
 *
 * Completion marker: pg_filenode.map (the file PostgreSQL's relation mapper
 * keeps in the same places) is written, fsynced and renamed into place only
 * after the WAL of every insert is flushed. A crash before that leaves a
 * partial catalog without the marker; the next open removes the catalog
 * files and starts over. With the marker present the catalog is complete and
 * durable (replayed from WAL if its pages were not written yet).
 */
/** Creates a database's (and the shared) initial catalog; see the design notes. */
public final class Bootstrap {
    public static final int BOOTSTRAP_SUPERUSER = 10;
    public static final String MARKER = "pg_filenode.map";

    /** The databases that exist from the start: oid and name. */
    public static final List<Object[]> DATABASES = List.of(new Object[] {1, "template1"},
            new Object[] {4, "template0"}, new Object[] {5, "postgres"});

    /** PostgreSQL 15's predefined roles (NOLOGIN): oid and name. */
    public static final List<Object[]> PREDEFINED_ROLES = List.of(new Object[] {6171, "pg_database_owner"},
            new Object[] {6181, "pg_read_all_data"}, new Object[] {6182, "pg_write_all_data"},
            new Object[] {3373, "pg_monitor"}, new Object[] {3374, "pg_read_all_settings"},
            new Object[] {3375, "pg_read_all_stats"}, new Object[] {3377, "pg_stat_scan_tables"},
            new Object[] {4569, "pg_read_server_files"}, new Object[] {4570, "pg_write_server_files"},
            new Object[] {4571, "pg_execute_server_program"}, new Object[] {4200, "pg_signal_backend"},
            new Object[] {4544, "pg_checkpoint"});

    private Bootstrap() {
    }

    public static boolean isDone(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER));
    }

    /** Creates the shared catalogs in global/ unless done. */
    public static synchronized void bootstrapShared(CatalogStore store, Wal wal, Path dataDir,
            List<Object[]> roles) {
        Path dir = dataDir.resolve("global");
        if (isDone(dir)) {
            return;
        }
        for (SysTable t : SysTable.ALL) {
            if (t.shared()) {
                store.heap().dropStorage(store.node(t));
                store.heap().create(store.node(t));
            }
        }
        String su = "postgres";
        for (Object[] role : roles) {
            if (role[0].equals(BOOTSTRAP_SUPERUSER)) {
                su = (String) role[1];
            }
        }
        // initdb revokes PUBLIC's CREATE and TEMP on the templates: their ACL (text here, an aclitem[] literal)
        String templateAcl = "{=c/" + su + "," + su + "=CTc/" + su + "}";
        for (Object[] db : DATABASES) {
            store.insertBootstrap(SysTable.PG_DATABASE, new Object[] {db[0], db[1], BOOTSTRAP_SUPERUSER, 6, "c",
                    !db[1].equals("postgres"), !db[1].equals("template0"), -1, 3, 1, CatalogStore.DEFAULT_TABLESPACE,
                    "C", "C", null, null, db[1].equals("postgres") ? null : templateAcl});
        }
        for (Object[] role : roles) {
            store.insertBootstrap(SysTable.PG_AUTHID, role);
        }
        for (Object[] role : PREDEFINED_ROLES) {
            store.insertBootstrap(SysTable.PG_AUTHID, new Object[] {role[0], role[1], false, true, false, false,
                    false, false, false, -1, null, null});
        }
        // initdb makes pg_monitor a member of the roles whose privileges it bundles
        for (int part : new int[] {3374, 3375, 3377}) {
            store.insertBootstrap(SysTable.PG_AUTH_MEMBERS, new Object[] {part, 3373, BOOTSTRAP_SUPERUSER, false});
        }
        finish(wal, dir);
    }

    /** Creates a database's own catalogs unless done. */
    public static synchronized void bootstrapDatabase(CatalogStore store, Wal wal, Path dbDir) {
        if (isDone(dbDir)) {
            return;
        }
        try {
            Files.createDirectories(dbDir);
        } catch (IOException e) {
            throw new PgException("58030", "could not create directory \"" + dbDir + "\": " + e.getMessage());
        }
        for (SysTable t : SysTable.ALL) {
            if (!t.shared()) {
                store.heap().dropStorage(store.node(t));
                store.heap().create(store.node(t));
            }
        }
        store.insertBootstrap(SysTable.PG_NAMESPACE, new Object[] {Namespace.PG_CATALOG, "pg_catalog",
                BOOTSTRAP_SUPERUSER, null});
        store.insertBootstrap(SysTable.PG_NAMESPACE, new Object[] {Namespace.PG_TOAST, "pg_toast",
                BOOTSTRAP_SUPERUSER, null});
        store.insertBootstrap(SysTable.PG_NAMESPACE, new Object[] {Namespace.PUBLIC, "public", 6171, null});
        store.insertBootstrap(SysTable.PG_NAMESPACE, new Object[] {Namespace.INFORMATION_SCHEMA,
                "information_schema", BOOTSTRAP_SUPERUSER, null});
        for (SysTable t : SysTable.ALL) {
            if (SysTable.hiddenFromPgClass(t)) {
                continue;
            }
            store.insertBootstrap(SysTable.PG_CLASS, classRow(t.oid(), t.name(), Namespace.PG_CATALOG, t.oid(),
                    t.shared() ? CatalogStore.GLOBAL_TABLESPACE : 0, t.shared(), "r", t.columns().size(),
                    BOOTSTRAP_SUPERUSER, null));
            for (int i = 0; i < t.columns().size(); i++) {
                SysTable.SysColumn c = t.columns().get(i);
                store.insertBootstrap(SysTable.PG_ATTRIBUTE, attributeRow(t.oid(), c.name(), c.type(), i + 1, -1,
                        typlen(c.type()), typalign(c.type()), c.type() != SysTable.TEXT && c.type() != SysTable.TEXT_ARRAY && c.type() != SysTable.NAME, false, false, "", ""));
            }
        }
        finish(wal, dbDir);
    }

    static int typlen(int type) {
        return switch (type) {
            case SysTable.BOOL, SysTable.CHAR -> 1;
            case SysTable.NAME -> 64;
            case SysTable.INT2 -> 2;
            case SysTable.INT8, SysTable.TIMESTAMPTZ -> 8;
            case SysTable.TEXT, SysTable.TEXT_ARRAY -> -1;
            default -> 4;
        };
    }

    static String typalign(int type) {
        return switch (RowCodec.align(type)) {
            case 1 -> "c";
            case 2 -> "s";
            case 8 -> "d";
            default -> "i";
        };
    }

    /** A pg_class row with the usual defaults. */
    public static Object[] classRow(int oid, String name, int namespace, int relfilenode, int tablespace,
            boolean shared, String kind, int natts, int owner, String options) {
        return new Object[] {oid, name, namespace, 0, 0, owner, kind.equals("i") ? 403 : kind.equals("v") ? 0 : 2,
                relfilenode, tablespace, 0, -1f, 0, 0, false, shared, "p", kind, (short) natts, (short) 0, false,
                false, false, false, false, true, "d", false, 0, kind.equals("r") ? 3 : 0, kind.equals("r") ? 1 : 0,
                null, options};
    }

    /** A pg_attribute row. */
    public static Object[] attributeRow(int rel, String name, int type, int attnum, int typmod, int len, String align,
            boolean byval, boolean notNull, boolean hasDefault, String identity, String generated) {
        return new Object[] {rel, name, type, -1, (short) len, (short) attnum, 0, -1, typmod, byval, align,
                len == -1 ? (type == 1700 ? "m" : "x") : "p", "", notNull, hasDefault, false, identity, generated, false, true, 0,
                type == SysTable.TEXT || type == 1043 || type == 1042 ? 100 : 0, null};
    }

    private static void finish(Wal wal, Path dir) {
        if (wal != null) {
            wal.flush(wal.insertPosition());
        }
        Path tmp = dir.resolve(MARKER + ".tmp");
        try {
            Files.writeString(tmp, "modgres relation map: catalogs use their OIDs as file nodes\n",
                    StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException ignored) {
                // directories cannot be opened for fsync on every platform
            }
        } catch (IOException e) {
            throw new PgException("58030", "could not write file \"" + dir.resolve(MARKER) + "\": " + e.getMessage());
        }
    }
}
