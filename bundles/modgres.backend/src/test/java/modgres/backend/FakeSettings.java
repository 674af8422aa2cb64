package modgres.backend;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import modgres.api.error.PgException;
import modgres.api.settings.Settings;

/** Settings from a map, as the backend reads them. */
final class FakeSettings {
    final Map<String, String> values = new ConcurrentHashMap<>();
    final Path dataDirectory;

    FakeSettings(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        values.put("authentication_timeout", "60");
        values.put("log_connections", "off");
        values.put("log_disconnections", "off");
        values.put("password_encryption", "scram-sha-256");
    }

    Settings settings() {
        return (Settings) Proxy.newProxyInstance(Settings.class.getClassLoader(), new Class<?>[] {Settings.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("dataDirectory")) {
                        return dataDirectory;
                    }
                    if (name.equals("toString")) {
                        return "FakeSettings" + values;
                    }
                    String key = (String) args[0];
                    String v = values.get(key);
                    if (v == null) {
                        throw new PgException("42704", "unrecognized configuration parameter \"" + key + "\"");
                    }
                    return switch (name) {
                        case "getString", "show", "validate" -> v;
                        case "getInt" -> Integer.parseInt(v);
                        case "getLong" -> Long.parseLong(v);
                        case "getBool" -> v.equals("on") || v.equals("true");
                        default -> throw new UnsupportedOperationException(name);
                    };
                });
    }
}
