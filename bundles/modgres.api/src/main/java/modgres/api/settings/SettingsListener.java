package modgres.api.settings;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a component that registers this service is told after every
 * reload which settings changed (their new values are in {@link Settings});
 * the set is empty when none did, which still means "the configuration files
 * were re-read" (e.g. pg_hba.conf).
 */
@ConsumerType
public interface SettingsListener {
    void settingsChanged(Set<String> names);
}
