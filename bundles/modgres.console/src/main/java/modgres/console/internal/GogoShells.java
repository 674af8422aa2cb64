package modgres.console.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

import modgres.console.internal.socket.ConsoleShell;
import modgres.console.internal.socket.ConsoleShellFactory;

/**
 * Console shells backed by Gogo: each one is a {@link CommandSession} of the
 * command processor current when the connection opened. As Gogo's own
 * console does, a result is kept in the session variable {@code _} and a
 * failure in {@code exception} (so {@code $exception printStackTrace} works).
 */
final class GogoShells implements ConsoleShellFactory {
    private final Supplier<CommandProcessor> processor;

    GogoShells(Supplier<CommandProcessor> processor) {
        this.processor = processor;
    }

    @Override
    public ConsoleShell open(InputStream in, PrintStream out, PrintStream err) {
        CommandProcessor p = processor.get();
        if (p == null) {
            return null;
        }
        CommandSession session = p.createSession(in, out, err);
        return new ConsoleShell() {
            @Override
            public Object execute(String line) throws Exception {
                try {
                    Object result = session.execute(line);
                    session.put("_", result);
                    return result;
                } catch (Exception e) {
                    session.put("exception", e);
                    throw e;
                }
            }

            @Override
            public CharSequence format(Object result) {
                return session.format(result, Converter.INSPECT);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
