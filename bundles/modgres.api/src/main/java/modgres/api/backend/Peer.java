package modgres.api.backend;

/**
 * The client end of a connection, as pg_hba.conf and the log see it.
 *
 * @param unixSocket true for a Unix-domain socket connection ({@code local} in pg_hba.conf)
 * @param address    the client's IP address text (null for a Unix socket)
 * @param port       the client's port (0 for a Unix socket)
 */
public record Peer(boolean unixSocket, String address, int port) {

    /** As PostgreSQL's {@code %r} and {@code client_addr} show it: {@code 127.0.0.1(51234)} or {@code [local]}. */
    public String display() {
        return unixSocket ? "[local]" : address + "(" + port + ")";
    }
}
