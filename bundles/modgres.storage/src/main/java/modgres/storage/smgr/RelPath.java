package modgres.storage.smgr;

import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.page.StorageManager;

/** File names of relation forks relative to the data directory (PostgreSQL's {@code relpath}). */
final class RelPath {
    /** {@code TABLESPACE_VERSION_DIRECTORY} of PostgreSQL 15 ({@code PG_<major>_<catversion>}). */
    static final String TABLESPACE_VERSION_DIRECTORY = "PG_15_202209061";

    /** The first letter of a temporary relation's file name. */
    static final String TEMP_PREFIX = "t";

    private RelPath() {
    }

    /**
     * {@code global/1262}, {@code base/5/16384_fsm}, {@code pg_tblspc/16390/PG_15_202209061/5/16384}; a
     * temporary relation's with its backend, {@code base/5/t3_16384} (PostgreSQL's relpathbackend).
     */
    static String of(RelFileNode rel, ForkNumber fork) {
        String node = (rel.isTemp() ? TEMP_PREFIX + rel.backend() + "_" : "")
                + Integer.toUnsignedString(rel.relfilenode()) + fork.fileSuffix();
        if (rel.tablespace() == StorageManager.GLOBAL_TABLESPACE) {
            return "global/" + node;
        }
        String db = Integer.toUnsignedString(rel.database());
        if (rel.tablespace() == StorageManager.DEFAULT_TABLESPACE) {
            return "base/" + db + "/" + node;
        }
        return "pg_tblspc/" + Integer.toUnsignedString(rel.tablespace()) + "/" + TABLESPACE_VERSION_DIRECTORY + "/"
                + db + "/" + node;
    }

    /**
     * True for the name of a temporary relation's file, any fork or segment:
     * {@code t<digits>_<digits>}, then optionally {@code _fsm}/{@code _vm}/{@code _init}, then optionally
     * {@code .<digits>} (PostgreSQL's looks_like_temp_rel_name).
     */
    static boolean looksLikeTempRelName(String name) {
        return name.matches("t[0-9]+_[0-9]+(_(fsm|vm|init))?(\\.[0-9]+)?");
    }

    /** The name of segment {@code segno}: the fork's path, then {@code .segno} from the second segment on. */
    static String segment(String relpath, int segno) {
        return segno == 0 ? relpath : relpath + "." + segno;
    }
}
