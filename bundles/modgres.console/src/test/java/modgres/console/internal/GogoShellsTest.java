package modgres.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.jupiter.api.Test;

import modgres.console.internal.socket.ConsoleShell;

class GogoShellsTest {

    private final Map<String, Object> variables = new HashMap<>();
    private boolean closed;
    private Object[] created;

    private CommandProcessor processor() {
        CommandSession session = (CommandSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "execute" -> {
                        if (args[0].toString().equals("boom")) {
                            throw new IllegalStateException("boom");
                        }
                        yield "ran " + args[0];
                    }
                    case "put" -> variables.put((String) args[0], args[1]);
                    case "format" -> "level " + args[1] + ": " + args[0];
                    case "close" -> {
                        closed = true;
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new CommandProcessor() {
            @Override
            public CommandSession createSession(InputStream in, java.io.OutputStream out, java.io.OutputStream err) {
                created = new Object[] {in, out, err};
                return session;
            }

            @Override
            public CommandSession createSession(CommandSession parent) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void runsLinesInAGogoSessionAsGogosConsoleDoes() throws Exception {
        PrintStream out = new PrintStream(PrintStream.nullOutputStream());
        InputStream in = InputStream.nullInputStream();
        ConsoleShell shell = new GogoShells(this::processor).open(in, out, out);
        assertSame(in, created[0]);
        assertSame(out, created[1]);
        assertEquals("ran lb", shell.execute("lb"));
        assertEquals("ran lb", variables.get("_"));
        assertEquals("level " + Converter.INSPECT + ": x", shell.format("x").toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> shell.execute("boom"));
        assertSame(e, variables.get("exception"));
        shell.close();
        assertEquals(true, closed);
    }

    @Test
    void noProcessorNoShell() {
        assertNull(new GogoShells(() -> null).open(InputStream.nullInputStream(), System.out, System.err));
    }
}
