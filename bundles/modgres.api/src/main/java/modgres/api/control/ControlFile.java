package modgres.api.control;

import org.osgi.annotation.versioning.ProviderType;

/**
 * {@code global/pg_control}: the one small file that says where recovery
 * starts (the latest checkpoint and its REDO pointer) and in which state the
 * cluster was left.
 *
 * <p>The file is one 8192-byte block: a small versioned little-endian layout,
 * a CRC-32C over it, zeros to the end (PostgreSQL keeps the real data within
 * one 512-byte sector so that its write is atomic; Modgres writes a new file
 * and renames it instead). It is <em>not</em> byte-compatible with
 * PostgreSQL's {@code pg_control}: {@code pg_controldata} cannot read it.
 */
@ProviderType
public interface ControlFile {

    /**
     * Reads the file. An absent or empty file (a new cluster) gives
     * {@link ControlData#initial}; it is not written until {@link #write}.
     *
     * @throws modgres.api.error.PgException {@code XX001 incorrect checksum in control file} on a CRC
     *         mismatch, or when the file cannot be read or has another layout; PostgreSQL treats these as
     *         FATAL (the server does not start)
     */
    ControlData read();

    /**
     * Replaces the file atomically and durably: writes {@code global/pg_control.tmp}
     * fully, fsyncs it, renames it over {@code global/pg_control} and fsyncs the
     * directory. A crash at any moment leaves either the old or the new file.
     *
     * @throws modgres.api.error.PgException when it cannot (PostgreSQL: PANIC)
     */
    void write(ControlData data);
}
