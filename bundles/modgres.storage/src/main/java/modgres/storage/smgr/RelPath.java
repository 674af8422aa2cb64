package modgres.storage.smgr;

import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.page.StorageManager;

/** File names of relation forks relative to the data directory (PostgreSQL's {@code relpath}). */
final class RelPath {
    /** {@code TABLESPACE_VERSION_DIRECTORY} of PostgreSQL 15 ({@code PG_<major>_<catversion>}). */
    static final String TABLESPACE_VERSION_DIRECTORY = "PG_15_202209061";

    private RelPath() {
    }

    /** {@code global/1262}, {@code base/5/16384_fsm}, {@code pg_tblspc/16390/PG_15_202209061/5/16384}. */
    static String of(RelFileNode rel, ForkNumber fork) {
        String node = Integer.toUnsignedString(rel.relfilenode()) + fork.fileSuffix();
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

    /** The name of segment {@code segno}: the fork's path, then {@code .segno} from the second segment on. */
    static String segment(String relpath, int segno) {
        return segno == 0 ? relpath : relpath + "." + segno;
    }
}
