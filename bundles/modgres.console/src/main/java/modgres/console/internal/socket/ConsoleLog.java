package modgres.console.internal.socket;

/** Where the console server reports, the server log in the framework. */
public interface ConsoleLog {

    void info(String message);

    void warning(String message);

    /** Discards everything. */
    ConsoleLog NONE = new ConsoleLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warning(String message) {
        }
    };
}
