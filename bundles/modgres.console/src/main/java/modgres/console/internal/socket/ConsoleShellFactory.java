package modgres.console.internal.socket;

import java.io.InputStream;
import java.io.PrintStream;

/** Opens a {@link ConsoleShell} for each console connection. */
@FunctionalInterface
public interface ConsoleShellFactory {

    /**
     * A shell whose commands read in and print to out and err; null when no
     * interpreter is available (e.g. the Gogo runtime is being updated).
     */
    ConsoleShell open(InputStream in, PrintStream out, PrintStream err);
}
