package modgres.autovacuum;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.service.log.Logger;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;

/** A Logger that keeps every record (decoded) it is given. */
final class CapturedLog {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
                if (args != null && args.length > 0 && args[0] instanceof String s) {
                    LogRecord r = ServerLog.decode(s);
                    if (r != null) {
                        records.add(r);
                    }
                }
                if (method.getReturnType() == boolean.class) {
                    return true;
                }
                if (method.getName().equals("getName")) {
                    return "test";
                }
                return null;
            });

    ServerLog serverLog() {
        return ServerLog.of(logger, LogContext.process(1, Launcher.LAUNCHER));
    }

    List<LogRecord> at(Severity s) {
        return records.stream().filter(r -> r.severity() == s).collect(Collectors.toList());
    }

    List<LogRecord> containing(String text) {
        return records.stream().filter(r -> r.message().contains(text)).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return records.stream().map(r -> r.severity() + ": " + r.message()).collect(Collectors.joining("\n"));
    }
}
