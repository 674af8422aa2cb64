/**
 * The postmaster's contracts: the server's state and control
 * ({@link modgres.api.server.ServerControl}), and the lifecycle of the
 * components it starts and watches ({@link modgres.api.server.ServerProcess}).
 */
@Export
@Version("1.3.0")
package modgres.api.server;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
