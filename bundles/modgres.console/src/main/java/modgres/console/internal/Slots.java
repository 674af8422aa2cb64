package modgres.console.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/*
 * Design notes: the swappable slots and the one-command swap.
 *
 * A slot is a service interface whose consumer holds one dynamic, greedy
 * reference (the archiver process → ArchiveModule, the backends → StatsCollector,
 * the autovacuum launcher → AutovacuumPolicy). An implementation bundle says
 * which slot it fills with the manifest header
 *
 *     Modgres-Implementation: <slot>;name=<implementation>
 *
 * so that it is found also while it is installed but not started (the
 * launcher installs a feature's "alternatives" without starting them).
 *
 * The implementation in use is the slot's best service by OSGi's order
 * (highest service.ranking, then lowest service.id), which is what a greedy
 * reference binds. A swap:
 *
 *   start the target bundle ─▶ wait for its service ─▶ stop every other started
 *   implementation bundle of the slot (their services go; Declarative Services
 *   binds each consumer to the target before it unbinds the old one, so a
 *   consumer is never without one) ─▶ report the time taken
 *
 * State that must survive lives outside the implementations (archive_status
 * files, the statistics store, the catalog), so nothing is lost; each
 * implementation hands back what it holds when it stops (the collector drains
 * its queue).
 */
/** The swappable slots: what is installed, what is in use, and the swap (see the design notes). */
final class Slots {

    /** The manifest header naming an implementation's slot and name. */
    static final String HEADER = "Modgres-Implementation";

    /** A slot: its name in the console, its service interface and the property naming an implementation. */
    record Slot(String name, String service, String nameProperty) {
    }

    static final List<Slot> SLOTS = List.of(
            new Slot("archiver", "modgres.api.archive.ArchiveModule", "modgres.archive.module"),
            new Slot("stats", "modgres.api.stats.StatsCollector", "modgres.stats.collector"),
            new Slot("autovacuum", "modgres.api.autovacuum.AutovacuumPolicy", "modgres.autovacuum.policy"));

    /** An implementation bundle of a slot. */
    record Impl(Slot slot, String name, Bundle bundle) {
    }

    private Slots() {
    }

    static Slot slot(String name) {
        for (Slot s : SLOTS) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    /** Every installed implementation bundle, by slot order then name. */
    static List<Impl> installed(BundleContext ctx) {
        List<Impl> out = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            String h = b.getHeaders("").get(HEADER);
            if (h == null) {
                continue;
            }
            String[] parts = h.split(";");
            Slot s = slot(parts[0].trim());
            String name = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals("name")) {
                    name = kv[1].trim().replace("\"", "");
                }
            }
            if (s != null && name != null) {
                out.add(new Impl(s, name, b));
            }
        }
        out.sort(Comparator.comparingInt((Impl i) -> SLOTS.indexOf(i.slot())).thenComparing(Impl::name));
        return out;
    }

    /** The slot's services in the order a greedy reference prefers them (best first). */
    static List<ServiceReference<?>> services(BundleContext ctx, Slot slot) {
        List<ServiceReference<?>> refs = new ArrayList<>();
        try {
            ServiceReference<?>[] all = ctx.getAllServiceReferences(slot.service(), null);
            if (all != null) {
                refs.addAll(List.of(all));
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        refs.sort(Comparator.reverseOrder()); // ServiceReference's natural order: ranking, then lower id is greater
        return refs;
    }

    /** The name of the implementation in use, or null when the slot is empty. */
    static String inUse(BundleContext ctx, Slot slot) {
        List<ServiceReference<?>> refs = services(ctx, slot);
        return refs.isEmpty() ? null : String.valueOf(refs.get(0).getProperty(slot.nameProperty()));
    }

    /** "in use", "standby" (started, not chosen), or the bundle's state. */
    static String state(BundleContext ctx, Impl impl) {
        if (impl.bundle().getState() != Bundle.ACTIVE) {
            return switch (impl.bundle().getState()) {
                case Bundle.RESOLVED, Bundle.INSTALLED -> "installed";
                case Bundle.STARTING -> "starting";
                case Bundle.STOPPING -> "stopping";
                default -> "uninstalled";
            };
        }
        return impl.name().equals(inUse(ctx, impl.slot())) ? "in use" : "standby";
    }

    /** What a swap did. */
    record Result(String from, String to, long millis, List<String> stopped) {
    }

    /**
     * Makes {@code target} the slot's implementation: starts it, waits (at most
     * {@code timeoutMillis}) for its service, then stops the slot's other
     * started implementation bundles.
     */
    static Result swap(BundleContext ctx, Slot slot, String target, long timeoutMillis) throws BundleException {
        Impl to = null;
        for (Impl i : installed(ctx)) {
            if (i.slot().equals(slot) && i.name().equalsIgnoreCase(target)) {
                to = i;
            }
        }
        if (to == null) {
            throw new IllegalArgumentException("no " + slot.name() + " implementation \"" + target
                    + "\" is installed (modgres:impls lists them)");
        }
        String from = inUse(ctx, slot);
        long start = System.nanoTime();
        if (to.bundle().getState() != Bundle.ACTIVE) {
            to.bundle().start();
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!hasService(ctx, slot, to)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + slot.name() + " implementation \"" + to.name()
                        + "\" (bundle " + to.bundle().getBundleId() + ") registered no service within "
                        + timeoutMillis + " ms; nothing was stopped");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
        List<String> stopped = new ArrayList<>();
        for (Impl i : installed(ctx)) {
            if (i.slot().equals(slot) && i.bundle() != to.bundle() && i.bundle().getState() == Bundle.ACTIVE) {
                i.bundle().stop();
                stopped.add(i.name() + " (bundle " + i.bundle().getBundleId() + ")");
            }
        }
        return new Result(from, to.name(), (System.nanoTime() - start) / 1_000_000L, stopped);
    }

    private static boolean hasService(BundleContext ctx, Slot slot, Impl impl) {
        for (ServiceReference<?> r : services(ctx, slot)) {
            if (r.getBundle() == impl.bundle()
                    && impl.name().equalsIgnoreCase(String.valueOf(r.getProperty(slot.nameProperty())))) {
                return true;
            }
        }
        return false;
    }
}
