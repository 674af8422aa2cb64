package modgres.logger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;

import modgres.api.log.Severity;

class RootLogLevelTest {

    /** The root context of a LoggerAdmin, in memory. */
    static final class Root implements LoggerContext, LoggerAdmin {
        Map<String, LogLevel> levels = new HashMap<>();
        int sets;

        @Override
        public LoggerContext getLoggerContext(String name) {
            if (name != null) {
                throw new IllegalArgumentException(name);
            }
            return this;
        }

        @Override
        public String getName() {
            return null;
        }

        @Override
        public LogLevel getEffectiveLogLevel(String name) {
            return levels.getOrDefault("ROOT", LogLevel.WARN);
        }

        @Override
        public Map<String, LogLevel> getLogLevels() {
            return new HashMap<>(levels);
        }

        @Override
        public void setLogLevels(Map<String, LogLevel> logLevels) {
            levels = new HashMap<>(logLevels);
            sets++;
        }

        @Override
        public void clear() {
            levels.clear();
        }

        @Override
        public boolean isEmpty() {
            return levels.isEmpty();
        }
    }

    @Test
    void requiredLevelForEachThreshold() {
        assertEquals(LogLevel.TRACE, RootLogLevel.required(Severity.DEBUG5));
        assertEquals(LogLevel.TRACE, RootLogLevel.required(Severity.DEBUG2));
        assertEquals(LogLevel.DEBUG, RootLogLevel.required(Severity.DEBUG1));
        assertEquals(LogLevel.INFO, RootLogLevel.required(Severity.INFO));
        assertEquals(LogLevel.INFO, RootLogLevel.required(Severity.NOTICE));
        assertEquals(LogLevel.WARN, RootLogLevel.required(Severity.WARNING));
        assertEquals(LogLevel.ERROR, RootLogLevel.required(Severity.ERROR));
        assertEquals(LogLevel.AUDIT, RootLogLevel.required(Severity.LOG));
        assertEquals(LogLevel.AUDIT, RootLogLevel.required(Severity.FATAL));
        assertEquals(LogLevel.AUDIT, RootLogLevel.required(Severity.PANIC));
    }

    @Test
    void setsRootAndKeepsOtherLoggersThenRestores() {
        Root admin = new Root();
        admin.levels.put("org.apache.felix.scr", LogLevel.ERROR);
        RootLogLevel r = new RootLogLevel(admin);
        r.apply(Severity.DEBUG1);
        assertEquals(LogLevel.DEBUG, admin.levels.get("ROOT"));
        assertEquals(LogLevel.ERROR, admin.levels.get("org.apache.felix.scr"));
        r.apply(Severity.INFO);
        assertEquals(LogLevel.INFO, admin.levels.get("ROOT"));
        int sets = admin.sets;
        r.apply(Severity.NOTICE); // same level: not set again
        assertEquals(sets, admin.sets);
        r.restore();
        assertFalse(admin.levels.containsKey("ROOT"));
        assertEquals(Set.of("org.apache.felix.scr"), admin.levels.keySet());
    }

    @Test
    void restoresAPreviousRootLevel() {
        Root admin = new Root();
        admin.levels.put("ROOT", LogLevel.INFO);
        RootLogLevel r = new RootLogLevel(admin);
        r.apply(Severity.DEBUG3);
        assertEquals(LogLevel.TRACE, admin.levels.get("ROOT"));
        r.restore();
        assertEquals(LogLevel.INFO, admin.levels.get("ROOT"));
    }
}
