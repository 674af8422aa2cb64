package modgres.api.archive;

/** An archive attempt failed; the message (and detail) are PostgreSQL's. */
public final class ArchiveException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String detail;

    public ArchiveException(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    /** The DETAIL line, or null. */
    public String detail() {
        return detail;
    }
}
