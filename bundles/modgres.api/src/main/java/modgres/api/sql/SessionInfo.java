package modgres.api.sql;

import java.util.Map;

import modgres.api.backend.Peer;

/**
 * What a backend knows when it opens a session.
 *
 * @param pid               the backend's pid
 * @param user              authenticated role
 * @param database          database name from the startup packet
 * @param peer              the client
 * @param startupParameters every other startup-packet parameter (application_name,
 *                          client_encoding, DateStyle, ..., and the {@code -c name=value}
 *                          settings of {@code options} already split), applied with source "client"
 */
public record SessionInfo(long pid, String user, String database, Peer peer, Map<String, String> startupParameters) {
    public SessionInfo {
        startupParameters = Map.copyOf(startupParameters);
    }
}
