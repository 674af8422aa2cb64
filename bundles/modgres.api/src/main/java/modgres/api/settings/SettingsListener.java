package modgres.api.settings;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a component that registers this service is told after a reload
 * which settings changed (their new values are in {@link Settings}).
 */
@ConsumerType
public interface SettingsListener {
    void settingsChanged(Set<String> names);
}
