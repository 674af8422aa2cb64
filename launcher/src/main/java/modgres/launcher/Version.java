package modgres.launcher;

/** What {@code --version} prints; the server reports the same through modgres.api.server.ServerVersion. */
final class Version {
    static final String MODGRES = "0.1.0";
    static final String POSTGRES = "15.0";

    private Version() {
    }
}
