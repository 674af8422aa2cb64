package modgres.postmaster;

import java.util.ArrayList;
import java.util.List;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Installs the postmaster's signal handlers with sun.misc.Signal (imported
 * optionally: this class is only loaded when the launcher asked for signals);
 * returns what restores the previous handlers.
 */
final class SignalInstaller {
    private SignalInstaller() {
    }

    static Runnable install(Runnable hup, Runnable term, Runnable intr, Runnable usr2) {
        List<Signal> signals = new ArrayList<>();
        List<SignalHandler> previous = new ArrayList<>();
        String[] names = {"HUP", "TERM", "INT", "USR2"};
        Runnable[] actions = {hup, term, intr, usr2};
        for (int i = 0; i < names.length; i++) {
            Runnable action = actions[i];
            Signal sig = new Signal(names[i]);
            previous.add(Signal.handle(sig, s -> action.run()));
            signals.add(sig);
        }
        return () -> {
            for (int i = 0; i < signals.size(); i++) {
                try {
                    Signal.handle(signals.get(i), previous.get(i));
                } catch (IllegalArgumentException ignored) {
                    // the JVM is going down
                }
            }
        };
    }
}
