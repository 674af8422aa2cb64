package modgres.console.internal.socket;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.UserPrincipal;

import jdk.net.ExtendedSocketOptions;

/** Who is at the other end of an accepted Unix-domain connection. */
@FunctionalInterface
public interface PeerIdentity {

    /** The kernel's word: the peer's user from {@code SO_PEERCRED}. */
    PeerIdentity SO_PEERCRED = ch -> ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user();

    UserPrincipal userOf(SocketChannel channel) throws IOException;
}
