/**
 * Server settings (PostgreSQL's GUCs): definitions with PostgreSQL 15's names,
 * types, units, bounds and contexts; current values with their source; reload;
 * change notification through the {@link modgres.api.settings.SettingsListener}
 * whiteboard.
 */
@Export
@Version("1.0.0")
package modgres.api.settings;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
