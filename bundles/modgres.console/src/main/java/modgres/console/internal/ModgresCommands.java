package modgres.console.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import modgres.api.control.Checkpointer;
import modgres.api.server.ServerControl;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.Setting;
import modgres.api.settings.Settings;
import modgres.api.wal.Lsn;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.Wal;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalState;
import modgres.console.internal.format.BundleInfo;
import modgres.console.internal.format.Feature;
import modgres.console.internal.format.FeatureFormatter;
import modgres.console.internal.format.MemoryFormatter;
import modgres.console.internal.format.ProcessTreeFormatter;
import modgres.console.internal.format.SettingsFormatter;
import modgres.console.internal.format.StatusFormatter;
import modgres.console.internal.format.WalDumpFormatter;

/**
 * The {@code modgres:*} Gogo commands. The postmaster and the settings are
 * optional, dynamic references, so the commands keep working (and say "no
 * server") while the postmaster is restarting or absent. Output goes to
 * {@code System.out}/{@code System.err}, which Gogo routes to the session.
 */
@Component(name = "modgres.console.commands", immediate = true, service = ModgresCommands.class, property = {
        "osgi.command.scope=modgres",
        "osgi.command.function=status",
        "osgi.command.function=features",
        "osgi.command.function=ptree",
        "osgi.command.function=memory",
        "osgi.command.function=settings",
        "osgi.command.function=show",
        "osgi.command.function=reload",
        "osgi.command.function=shutdown",
        "osgi.command.function=checkpoint",
        "osgi.command.function=waldump",
        "osgi.command.function=impls",
        "osgi.command.function=swap" })
public final class ModgresCommands {

    static final String NO_SERVER = "no server: the postmaster is not running or is being restarted";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerControl server;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Settings settings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Checkpointer checkpointer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Wal wal;

    /** Redo handlers (whiteboard) by service id, with their ranking: they describe the records for waldump. */
    private final Map<Long, RankedHandler> redoHandlers = new ConcurrentHashMap<>();

    private record RankedHandler(long serviceId, int ranking, RedoHandler handler) {
    }

    private BundleContext context;

    /** For Declarative Services. */
    public ModgresCommands() {
    }

    /** For tests: a component with these references, already activated. */
    ModgresCommands(ServerControl server, Settings settings, BundleContext context) {
        this.server = server;
        this.settings = settings;
        this.context = context;
    }

    /** For tests: also a WAL and redo handlers. */
    ModgresCommands(ServerControl server, Settings settings, BundleContext context, Wal wal,
            List<RedoHandler> handlers) {
        this(server, settings, context);
        this.wal = wal;
        long id = 0;
        for (RedoHandler h : handlers) {
            id++;
            redoHandlers.put(id, new RankedHandler(id, 0, h));
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRedoHandler(RedoHandler handler, Map<String, Object> props) {
        long id = ((Number) props.get("service.id")).longValue();
        Object r = props.get("service.ranking");
        redoHandlers.put(id, new RankedHandler(id, r instanceof Integer i ? i : 0, handler));
    }

    void unbindRedoHandler(RedoHandler handler, Map<String, Object> props) {
        redoHandlers.remove(((Number) props.get("service.id")).longValue());
    }

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    @Descriptor("shows the server's state, pid, uptime, data directory, port and version, its processes "
            + "and the bundles of each feature")
    public void status() {
        out().print(StatusFormatter.format(server, context.getProperty(ConsoleSocketComponent.DATADIR), installedBundles(),
                installedFeatures(), Instant.now(), ZoneId.systemDefault()));
    }

    @Descriptor("lists the installed features with their descriptions and their bundles' ids and states")
    public void features() {
        out().print(FeatureFormatter.format(installedFeatures(), installedBundles()));
    }

    @Descriptor("shows the process tree: the postmaster, the processes it watches and their Java threads")
    public void ptree() {
        ServerControl s = server;
        if (s == null) {
            err().println(NO_SERVER);
            return;
        }
        try {
            out().print(ProcessTreeFormatter.format(s.pid(), String.valueOf(s.dataDirectory()), s.processes()));
        } catch (RuntimeException e) {
            err().println(NO_SERVER);
        }
    }

    @Descriptor("shows each backend's memory: executor work memory now and its peaks (query, session), local "
            + "buffers of temporary tables in use / temp_buffers, temporary files")
    public void memory() {
        ServerControl s = server;
        if (s == null) {
            err().println(NO_SERVER);
            return;
        }
        try {
            out().print(MemoryFormatter.format(s.backendStatuses()));
        } catch (RuntimeException e) {
            err().println(NO_SERVER);
        }
    }

    @Descriptor("lists the swappable slots (archiver, stats, autovacuum), their installed implementations and "
            + "which one is in use")
    public void impls() {
        modgres.console.internal.format.TextTable t = new modgres.console.internal.format.TextTable()
                .column("slot", modgres.console.internal.format.TextTable.Align.LEFT)
                .column("implementation", modgres.console.internal.format.TextTable.Align.LEFT)
                .column("bundle", modgres.console.internal.format.TextTable.Align.RIGHT)
                .column("symbolic name", modgres.console.internal.format.TextTable.Align.LEFT)
                .column("state", modgres.console.internal.format.TextTable.Align.LEFT);
        for (Slots.Impl i : Slots.installed(context)) {
            t.row(i.slot().name(), i.name(), i.bundle().getBundleId(), i.bundle().getSymbolicName(),
                    Slots.state(context, i));
        }
        out().print(t.render(""));
        for (Slots.Slot s : Slots.SLOTS) {
            if (Slots.inUse(context, s) == null) {
                out().println(s.name() + ": no implementation is active");
            }
        }
    }

    @Descriptor("replaces a slot's implementation live: starts the named one, waits for its service, stops the "
            + "others (example: modgres:swap archiver basic_archive)")
    public String swap(@Descriptor("the slot: archiver, stats or autovacuum") String slot,
            @Descriptor("the implementation's name, as modgres:impls lists it") String implementation)
            throws org.osgi.framework.BundleException {
        Slots.Slot s = Slots.slot(slot);
        if (s == null) {
            throw new IllegalArgumentException("unknown slot \"" + slot + "\": archiver, stats or autovacuum");
        }
        Slots.Result r = Slots.swap(context, s, implementation, 30_000);
        return s.name() + ": " + (r.from() == null ? "(none)" : r.from()) + " -> " + r.to() + " in " + r.millis()
                + " ms" + (r.stopped().isEmpty() ? "" : "; stopped " + String.join(", ", r.stopped()));
    }

    @Descriptor("lists every setting as pg_settings does: name, setting, unit, source, context")
    public void settings() {
        settings(null);
    }

    @Descriptor("lists the settings whose name matches a pattern as pg_settings does")
    public void settings(
            @Descriptor("part of a setting name, or a pattern with * (or %) and ? matching the whole name; "
                    + "quote a * so that Gogo does not expand it: 'log_*' or log_%") String pattern) {
        Settings s = settings;
        if (s == null) {
            err().println(NO_SERVER);
            return;
        }
        out().print(SettingsFormatter.table(s.all(), pattern));
    }

    @Descriptor("prints a setting's value as SHOW does")
    public String show(@Descriptor("the setting's name") String name) {
        Settings s = settings;
        if (s == null) {
            err().println(NO_SERVER);
            return null;
        }
        Optional<Setting> setting = s.find(name);
        if (setting.isEmpty()) {
            err().println(SettingsFormatter.unrecognized(name));
            return null;
        }
        return setting.get().display();
    }

    @Descriptor("re-reads the configuration files, as pg_ctl reload (SIGHUP) does, and prints what changed")
    public void reload() {
        ServerControl s = server;
        if (s == null) {
            err().println(NO_SERVER);
            return;
        }
        Settings before = settings;
        List<Setting> old = before == null ? null : new ArrayList<>(before.all());
        s.reload();
        out().println("server signaled");
        Settings after = settings;
        if (old != null && after != null) {
            SettingsFormatter.changes(old, after.all()).forEach(out()::println);
        }
    }

    @Descriptor("shuts the server down in fast mode, as pg_ctl stop does")
    public void shutdown() {
        shutdown(ShutdownMode.FAST.pgName());
    }

    @Descriptor("shuts the server down in the given mode, as pg_ctl stop -m does")
    public void shutdown(@Descriptor("smart (wait for clients), fast (end sessions) or immediate (no checkpoint)")
            String mode) {
        ShutdownMode m;
        try {
            m = ShutdownMode.parse(mode);
        } catch (IllegalArgumentException e) {
            err().println("unrecognized shutdown mode \"" + mode + "\" (smart, fast or immediate)");
            return;
        }
        ServerControl s = server;
        if (s == null) {
            err().println(NO_SERVER);
            return;
        }
        s.shutdown(m);
        out().println("server shutting down (" + m.pgName() + " shutdown requested)");
    }

    @Descriptor("forces an immediate checkpoint and waits for it, as the SQL command CHECKPOINT does")
    public void checkpoint() {
        Checkpointer c = checkpointer;
        if (c == null) {
            err().println("no checkpointer: the modgres.checkpointer bundle is not active");
            return;
        }
        try {
            c.requestCheckpoint(true, true);
            out().println("CHECKPOINT");
        } catch (RuntimeException e) {
            err().println("ERROR:  " + e.getMessage());
        }
    }

    @Descriptor("prints every WAL record from the start of the oldest segment in pg_wal to the end of valid WAL, "
            + "one line each, as pg_waldump does")
    public void waldump() {
        dump(null, null);
    }

    @Descriptor("prints the WAL records from a location to the end of valid WAL, as pg_waldump -s does")
    public void waldump(@Descriptor("where to start, as 0/1000028 (a record's start or a page boundary)") String start) {
        dump(start, null);
    }

    @Descriptor("prints the WAL records between two locations, as pg_waldump -s -e does")
    public void waldump(@Descriptor("where to start, as 0/1000028") String start,
            @Descriptor("where to stop: records that do not end by here are not printed") String end) {
        dump(start, end);
    }

    private void dump(String startText, String endText) {
        Wal w = wal;
        if (w == null) {
            err().println("no WAL: the modgres.wal bundle is not active");
            return;
        }
        long from;
        long to;
        try {
            from = startText == null ? Lsn.INVALID : Lsn.parse(startText);
            to = endText == null ? Lsn.INVALID : Lsn.parse(endText);
        } catch (IllegalArgumentException e) {
            err().println("pg_waldump: error: invalid WAL location: \""
                    + (startText != null && !isLsn(startText) ? startText : endText) + "\"");
            return;
        }
        if (Lsn.isValid(to) && Lsn.compare(to, from) < 0) {
            err().println("pg_waldump: error: end WAL location " + Lsn.format(to)
                    + " is before start WAL location " + Lsn.format(from));
            return;
        }
        Map<Byte, RedoHandler> handlers = handlerTable();
        PrintStream out = out();
        try (WalReader r = w.reader(from)) {
            WalRecord rec;
            long last = from;
            while ((rec = r.next()) != null) {
                if (Lsn.isValid(to) && Lsn.compare(rec.endLsn(), to) > 0) {
                    return; // the end given was reached
                }
                out.println(WalDumpFormatter.line(rec, WalDumpFormatter.describe(rec, handlers)));
                last = rec.lsn();
            }
            WalEnd e = r.end();
            // A running server's log is read up to what is flushed: stopping there is no error.
            boolean flushedEnd = w.state() == WalState.INSERTING && Lsn.compare(e.endLsn(), w.flushedPosition()) >= 0;
            if (!e.reason().isEmpty() && !flushedEnd) {
                err().println("pg_waldump: error: error in WAL record at " + Lsn.format(last) + ": " + e.reason());
            }
        } catch (RuntimeException e) {
            err().println("pg_waldump: error: " + e.getMessage());
        }
    }

    private static boolean isLsn(String s) {
        try {
            Lsn.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Resource manager id → the best ranked handler claiming it. */
    private Map<Byte, RedoHandler> handlerTable() {
        List<RankedHandler> all = new ArrayList<>(redoHandlers.values());
        all.sort(Comparator.comparingInt(RankedHandler::ranking).reversed()
                .thenComparingLong(RankedHandler::serviceId));
        Map<Byte, RedoHandler> table = new HashMap<>();
        for (RankedHandler h : all) {
            try {
                for (byte id : h.handler().resourceManagers()) {
                    table.putIfAbsent(id, h.handler());
                }
            } catch (RuntimeException e) {
                // a broken handler describes nothing
            }
        }
        return table;
    }

    private List<BundleInfo> installedBundles() {
        List<BundleInfo> result = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            result.add(new BundleInfo(b.getBundleId(), String.valueOf(b.getSymbolicName()),
                    b.getVersion().toString(), BundleInfo.stateName(b.getState())));
        }
        return result;
    }

    private List<Feature> installedFeatures() {
        return Feature.fromProperties(context::getProperty);
    }

    // Gogo points System.out and System.err at the calling session.
    private static PrintStream out() {
        return System.out;
    }

    private static PrintStream err() {
        return System.err;
    }
}
