/**
 * Temporary relations (PostgreSQL's local buffers, {@code localbuf.c}):
 * {@link modgres.api.temp.TempRelationStorage} is the service that opens one
 * backend's {@link modgres.api.temp.LocalRelations}, a heap and a B-tree over
 * a buffer pool of {@code temp_buffers} pages owned by that backend alone,
 * with no WAL, and files named {@code t<backend>_<relfilenode>}.
 */
@Export
@Version("1.0.0")
package modgres.api.temp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
