package modgres.txn.testing;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.osgi.service.log.Logger;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;

/** A {@link ServerLog} whose records are kept (decoded) for assertions. */
public final class TestLog {

    public final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    public final Logger logger;
    public final ServerLog log;

    public TestLog() {
        logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
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
        log = ServerLog.of(logger, LogContext.process(1, "test"));
    }

    public List<LogRecord> snapshot() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }
}
