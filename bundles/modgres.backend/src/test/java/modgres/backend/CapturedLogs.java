package modgres.backend;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;

/** A LoggerFactory that keeps every record the backend logs. */
final class CapturedLogs {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LoggerFactory factory() {
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
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
        return (LoggerFactory) Proxy.newProxyInstance(LoggerFactory.class.getClassLoader(),
                new Class<?>[] {LoggerFactory.class}, (proxy, method, args) -> logger);
    }

    List<LogRecord> matching(Predicate<LogRecord> p) {
        List<LogRecord> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (p.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Waits up to 5 s for a record whose message contains {@code text}. */
    LogRecord await(String text) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            for (LogRecord r : records) {
                if (r.message().contains(text)) {
                    return r;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no log record containing \"" + text + "\" in " + records);
    }
}
