package modgres.storage.smgr;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;

/** A ServerLog whose records the test can read. */
public final class CapturedLog {
    public final List<LogRecord> records = new CopyOnWriteArrayList<>();
    public final Logger logger;

    public CapturedLog() {
        logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
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

    public ServerLog log() {
        return ServerLog.of(logger, LogContext.process(1, "test"));
    }

    /** A LoggerFactory that hands out this log's logger. */
    public LoggerFactory factory() {
        return (LoggerFactory) Proxy.newProxyInstance(LoggerFactory.class.getClassLoader(),
                new Class<?>[] {LoggerFactory.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getLogger")) {
                        return logger;
                    }
                    if (method.getName().equals("toString")) {
                        return "LoggerFactory";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    public List<String> messages() {
        return records.stream().map(r -> r.severity() + " " + r.sqlState() + " " + r.message()).toList();
    }
}
