package modgres.wal.format;

/** A record (or page) that is not a valid part of the log: where reading stops. Carries PostgreSQL's wording. */
public final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String message) {
        super(message, null, false, false);
    }
}
