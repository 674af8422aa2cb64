package modgres.stats.collector;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;

/** A Logger whose ServerLog records the test can read. */
final class TestLog {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (args != null && args.length > 0 && args[0] instanceof String s) {
                    LogRecord r = ServerLog.decode(s);
                    if (r != null) {
                        records.add(r);
                    }
                }
                Class<?> rt = method.getReturnType();
                if (rt == boolean.class) {
                    return true;
                }
                if (rt == String.class) {
                    return "test";
                }
                return null;
            });
}
