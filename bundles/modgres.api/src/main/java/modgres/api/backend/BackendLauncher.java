package modgres.api.backend;

import java.nio.channels.SocketChannel;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Starts a backend for an accepted connection (PostgreSQL's BackendStartup).
 * Implemented by the backend bundle; called by the postmaster's listener.
 */
@ProviderType
public interface BackendLauncher {

    /**
     * Starts a backend thread (named {@code backend <pid>}) that speaks the
     * protocol on {@code channel} from the first byte (startup packet, SSL
     * request or cancel request). Returns at once. The backend closes the
     * channel and calls {@link BackendRegistry#exited} when it ends.
     *
     * @param channel  the accepted connection, blocking mode
     * @param peer     who connected
     * @param registry the postmaster's table of backends (admission, cancel, shutdown)
     */
    BackendHandle launch(SocketChannel channel, Peer peer, BackendRegistry registry);
}
