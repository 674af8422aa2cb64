package modgres.console.internal.socket;

/**
 * One connection's command interpreter: in the framework a Gogo
 * {@code CommandSession}, in the tests a fake.
 */
public interface ConsoleShell extends AutoCloseable {

    /** Runs one command line and returns its result (null for none). */
    Object execute(String line) throws Exception;

    /** A non-null result as the shell prints it. */
    CharSequence format(Object result) throws Exception;

    @Override
    void close();
}
