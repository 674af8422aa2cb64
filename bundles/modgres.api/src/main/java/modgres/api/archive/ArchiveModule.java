package modgres.api.archive;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Archives one completed WAL segment (PostgreSQL's archive module callbacks).
 * The archiver calls it for each {@code pg_wal/archive_status/<segment>.ready}
 * in order and renames the status file to {@code .done} only after this
 * returns, so an implementation must be idempotent: archiving a segment that
 * is already archived with identical contents is success (it happens after a
 * crash or a swap between the copy and the rename).
 */
@ConsumerType
public interface ArchiveModule {

    /** Service property: the module's name as archive_library would name it ({@code shell}, {@code basic_archive}). */
    String NAME = "modgres.archive.module";

    /** Whether the module has what it needs (e.g. archive_command is set). */
    boolean configured();

    /** The DETAIL of the WARNING logged once when archive_mode is on but the module is not configured. */
    String notConfigured();

    /** Archives {@code dataDir/pg_wal/<segment>}; throws with PostgreSQL's message on failure. */
    void archive(Path dataDir, String segment) throws ArchiveException;
}
