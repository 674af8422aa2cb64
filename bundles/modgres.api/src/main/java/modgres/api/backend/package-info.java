/**
 * Between the postmaster and the backends: the postmaster accepts a
 * connection and hands it to the {@link modgres.api.backend.BackendLauncher};
 * the started backend is known to the postmaster by its
 * {@link modgres.api.backend.BackendHandle} (pid, cancel key, termination).
 */
@Export
@Version("1.2.0")
package modgres.api.backend;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
