package modgres.storage.smgr;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;

/**
 * Turns Java's I/O exceptions into PostgreSQL's reports: the SQLSTATE that
 * {@code errcode_for_file_access} gives for the errno, and the text that
 * {@code %m} ({@code strerror}) prints.
 */
final class IoErrors {
    static final String UNDEFINED_FILE = "58P01";
    static final String DUPLICATE_FILE = "58P02";
    static final String DISK_FULL = "53100";
    static final String INSUFFICIENT_RESOURCES = "53000";
    static final String PROGRAM_LIMIT_EXCEEDED = "54000";
    static final String WRONG_OBJECT_TYPE = "42809";

    private IoErrors() {
    }

    /** {@code message: %m} with the SQLSTATE of the failure. */
    static PgException error(String message, IOException e) {
        return error(message, e, null);
    }

    static PgException error(String message, IOException e, String hint) {
        return new PgException(sqlState(e), message + ": " + strerror(e), null, hint, e);
    }

    static String sqlState(IOException e) {
        if (e instanceof NoSuchFileException) {
            return UNDEFINED_FILE;
        }
        if (e instanceof FileAlreadyExistsException) {
            return DUPLICATE_FILE;
        }
        if (e instanceof AccessDeniedException) {
            return SqlState.INSUFFICIENT_PRIVILEGE;
        }
        String text = strerror(e);
        if (e instanceof DirectoryNotEmptyException || e instanceof NotDirectoryException
                || text.contains("Is a directory") || text.contains("Not a directory")) {
            return WRONG_OBJECT_TYPE;
        }
        if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
            return DISK_FULL;
        }
        if (text.contains("Too many open files")) {
            return INSUFFICIENT_RESOURCES;
        }
        return SqlState.IO_ERROR;
    }

    /** What {@code strerror(errno)} would say, as far as Java tells. */
    static String strerror(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
