package modgres.api.server;

/** The version Modgres reports: PostgreSQL's protocol and SQL level, and its own. */
public final class ServerVersion {
    /** {@code server_version}'s leading number: the PostgreSQL release whose behaviour we follow. */
    public static final String POSTGRES = "15.0";
    /** {@code server_version_num}. */
    public static final int POSTGRES_NUM = 150000;
    /** Modgres' own release. */
    public static final String MODGRES = "0.1.0";
    /** {@code SHOW server_version}: {@code 15.0 (Modgres 0.1.0)}, as Debian reports {@code 15.x (Debian ...)}. */
    public static final String SERVER_VERSION = POSTGRES + " (Modgres " + MODGRES + ")";

    private ServerVersion() {
    }

    /** What {@code version()} returns and the postmaster logs at start: {@code PostgreSQL 15.0 (Modgres 0.1.0) on ...}. */
    public static String versionString() {
        String arch = System.getProperty("os.arch", "unknown");
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        String os = System.getProperty("os.name", "unknown").toLowerCase(java.util.Locale.ROOT);
        String target = os.contains("linux") ? cpu + "-pc-linux-gnu" : cpu + "-" + os.replace(' ', '-');
        return "PostgreSQL " + SERVER_VERSION + " on " + target + ", running on " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.vm.version") + ", 64-bit";
    }
}
