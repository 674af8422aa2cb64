package modgres.logger.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import modgres.logger.internal.format.Strftime;

/*
 * The logging collector: PostgreSQL's syslogger process, as a thread named
 * "logger" that owns the log files.
 *
 * Locks. `lock` guards the queue and the thread's life; `ioLock` guards the
 * files, the rotation schedule and the configuration. Neither is held while
 * the other is taken, and neither is held while a problem is reported (the
 * report goes back into the Syslogger, whose lock callers may hold while they
 * submit): problems are collected under ioLock and reported after it is
 * released.
 *
 * Files. The stderr-format file is always open while the collector runs, as
 * PostgreSQL's is (it would also catch a child's raw stderr); csvlog and
 * jsonlog files only while log_destination names them. Names are
 * log_directory + "/" + strftime(log_filename) in log_timezone, with ".csv"
 * or ".json" in place of a final ".log". A time-based rotation takes the
 * planned rotation time for the name, so that names do not slip; the next
 * rotation time is the next multiple of log_rotation_age counted in local
 * time. A size-based rotation rotates only the files that reached
 * log_rotation_size. log_truncate_on_rotation truncates only on time-based
 * rotation to a different name. After every rotation current_logfiles is
 * rewritten (via current_logfiles.tmp and a rename).
 *
 * Failures never leave this class. A file that cannot be opened is reported
 * once ("could not open log file ...") and retried every retryMillis; a write
 * that fails (disk full) is reported once, the file closed and retried the
 * same way. Meanwhile the text of each record that could not be written goes
 * to stderr, so nothing is lost.
 */

/** Writes formatted records into rotated log files, on its own thread or the caller's. */
final class Collector {
    static final String CURRENT_LOGFILES = "current_logfiles";
    static final long DEFAULT_RETRY_MILLIS = 10_000;
    static final String THREAD_NAME = "logger";
    private static final String LOG = "log";
    private static final String RAW = "raw";
    private static final String TEXT = "text";

    /** What one record becomes: its stderr-format text and, when configured, its csv and json lines. */
    record Chunk(String text, boolean stderr, String csv, String json) {
    }

    /** Where the collector reports its own problems. */
    interface Problems {
        /** A LOG message of the logger process (e.g. {@code could not open log file ...}). */
        void log(String message);

        /** A raw line for stderr, without prefix, as PostgreSQL's write_stderr(). */
        void raw(String line);
    }

    private final Clock clock;
    private final Supplier<PrintStream> stderr;
    private final LogFile.Opener opener;
    private final long retryMillis;
    private final Problems problems;

    // --- guarded by ioLock
    private final Object ioLock = new Object();
    private LogConfig config;
    private final EnumMap<Destination, LogFile> files = new EnumMap<>(Destination.class);
    private final EnumMap<Destination, String> lastNames = new EnumMap<>(Destination.class);
    private final EnumSet<Destination> openFailing = EnumSet.noneOf(Destination.class);
    private boolean writeFailing;
    private boolean metainfoFailing;
    private boolean closed;
    /** Problems and texts for stderr, in order, printed once ioLock is released: {kind, text}. */
    private final List<String[]> pending = new ArrayList<>();
    private volatile long nextRotation = Long.MAX_VALUE;
    private volatile long nextRetry = Long.MAX_VALUE;

    // --- guarded by lock
    private final Object lock = new Object();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private Thread thread;
    private boolean threadAlive;
    private boolean stopping;

    Collector(LogConfig config, Clock clock, Supplier<PrintStream> stderr, LogFile.Opener opener, long retryMillis,
            Problems problems) {
        this.config = config;
        this.clock = clock;
        this.stderr = stderr;
        this.opener = opener;
        this.retryMillis = retryMillis;
        this.problems = problems;
    }

    /** Creates the log directory and opens the files (or schedules retries), writes current_logfiles. */
    void open() {
        synchronized (ioLock) {
            long now = clock.millis();
            ensureDirectory();
            rotate(false, EnumSet.noneOf(Destination.class), true, now);
        }
        flushProblems();
    }

    /** Starts the "logger" thread; does nothing when it runs. */
    void startThread() {
        synchronized (lock) {
            if (threadAlive) {
                return;
            }
            stopping = false;
            threadAlive = true;
            thread = new Thread(this::run, THREAD_NAME);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Stops the thread after it has written everything queued; from then on
     * {@link #submit} writes on the caller's thread. Does nothing when it is
     * not running. Must not be called with the Syslogger's lock held.
     */
    void stopThread() {
        Thread t;
        synchronized (lock) {
            if (!threadAlive) {
                return;
            }
            stopping = true;
            lock.notifyAll();
            t = thread;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Chunk> left;
        synchronized (lock) {
            threadAlive = false;
            thread = null;
            left = new ArrayList<>(queue);
            queue.clear();
        }
        for (Chunk c : left) {
            writeDirect(c);
        }
    }

    /** The thread when it runs. */
    Thread thread() {
        synchronized (lock) {
            return threadAlive && thread != null && thread.isAlive() ? thread : null;
        }
    }

    /** Hands a record to the thread, or writes it at once when the thread does not run. */
    void submit(Chunk c) {
        synchronized (lock) {
            if (threadAlive) {
                queue.add(c);
                lock.notifyAll();
                return;
            }
        }
        writeDirect(c);
    }

    /** Applies reloaded settings, as the syslogger does on SIGHUP. */
    void reconfigure(LogConfig next) {
        synchronized (ioLock) {
            if (closed) {
                config = next;
                return;
            }
            long now = clock.millis();
            LogConfig old = config;
            config = next;
            boolean force = false;
            if (!old.directory().equals(next.directory())) {
                ensureDirectory();
                force = true;
            }
            if (!old.filename().equals(next.filename())) {
                force = true;
            }
            for (Destination d : List.of(Destination.CSVLOG, Destination.JSONLOG)) {
                if (next.destinations().contains(d) != files.containsKey(d)) {
                    force = true;
                }
            }
            if (old.rotationAgeMinutes() != next.rotationAgeMinutes()) {
                setNextRotation(now);
            }
            if (!missing().isEmpty()) {
                force = true; // a reload retries at once, as SIGHUP re-enables rotation
            }
            if (force) {
                rotate(false, EnumSet.noneOf(Destination.class), true, now);
            } else {
                writeCurrentLogfiles();
            }
        }
        flushProblems();
    }

    /** Stops the thread, writes what is queued and closes the files. Later records go to stderr. */
    void close() {
        stopThread();
        synchronized (ioLock) {
            for (LogFile f : files.values()) {
                f.close();
            }
            files.clear();
            closed = true;
        }
    }

    long nextRotation() {
        return nextRotation;
    }

    // ------------------------------------------------------------------ thread

    private void run() {
        while (true) {
            List<Chunk> batch;
            synchronized (lock) {
                try {
                    while (queue.isEmpty() && !stopping) {
                        long wait = Math.min(1000, nextEvent() - clock.millis());
                        if (wait <= 0) {
                            break;
                        }
                        lock.wait(wait);
                    }
                } catch (InterruptedException e) {
                    // only stopThread() stops us; re-check the state
                }
                if (queue.isEmpty() && stopping) {
                    threadAlive = false;
                    lock.notifyAll();
                    return;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
            }
            try {
                synchronized (ioLock) {
                    tick(clock.millis());
                    for (Chunk c : batch) {
                        writeChunk(c);
                    }
                }
                flushProblems();
            } catch (Throwable t) {
                // never die: what could not be written goes to stderr
                for (Chunk c : batch) {
                    fallback(c.text());
                }
            }
        }
    }

    private long nextEvent() {
        long r = nextRotation;
        long t = nextRetry;
        return Math.min(r, t);
    }

    // ------------------------------------------------------------------ writing (ioLock)

    private void writeDirect(Chunk c) {
        synchronized (ioLock) {
            writeChunk(c);
        }
        flushProblems();
    }

    private void writeChunk(Chunk c) {
        if (closed) {
            pending.add(new String[] { TEXT, c.text() });
            return;
        }
        long now = clock.millis();
        tick(now);
        boolean lost = false;
        if (c.stderr()) {
            lost |= !writeTo(Destination.STDERR, c.text(), now);
        }
        if (c.csv() != null) {
            lost |= !writeTo(Destination.CSVLOG, c.csv(), now);
        }
        if (c.json() != null) {
            lost |= !writeTo(Destination.JSONLOG, c.json(), now);
        }
        if (lost) {
            pending.add(new String[] { TEXT, c.text() });
        }
        if (config.rotationSizeKb() > 0) {
            long limit = config.rotationSizeKb() * 1024L;
            EnumSet<Destination> full = EnumSet.noneOf(Destination.class);
            files.forEach((d, f) -> {
                if (f.size() >= limit) {
                    full.add(d);
                }
            });
            if (!full.isEmpty()) {
                rotate(false, full, false, now);
            }
        }
    }

    private boolean writeTo(Destination d, String text, long now) {
        LogFile f = files.get(d);
        if (f == null) {
            return false;
        }
        try {
            f.write(text);
            writeFailing = false;
            return true;
        } catch (IOException | RuntimeException e) {
            if (!writeFailing) {
                writeFailing = true;
                pending.add(new String[] { RAW, "could not write to log file: "
                        + (e instanceof IOException io ? LogFile.reason(io) : String.valueOf(e)) });
            }
            f.close();
            files.remove(d);
            scheduleRetry(now);
            return false;
        }
    }

    private void fallback(String text) {
        try {
            PrintStream err = stderr.get();
            err.print(text);
            err.flush();
        } catch (RuntimeException ignored) {
            // stderr is gone too: nothing left to try
        }
    }

    /** Time-based rotation when due; reopening of failed files when their retry is due. */
    private void tick(long now) {
        if (closed) {
            return;
        }
        if (config.rotationAgeMinutes() > 0 && now >= nextRotation) {
            rotate(true, EnumSet.noneOf(Destination.class), false, now);
        } else if (now >= nextRetry) {
            EnumSet<Destination> missing = missing();
            if (missing.isEmpty()) {
                nextRetry = Long.MAX_VALUE; // nothing to retry: do not wake the thread for it
            } else {
                rotate(false, missing, false, now);
            }
        }
    }

    /** The destinations that should have an open file and have none. */
    private EnumSet<Destination> missing() {
        EnumSet<Destination> m = EnumSet.noneOf(Destination.class);
        for (Destination d : Destination.values()) {
            if ((d == Destination.STDERR || config.destinations().contains(d)) && !files.containsKey(d)) {
                m.add(d);
            }
        }
        return m;
    }

    /**
     * PostgreSQL's logfile_rotate(): opens new files for every destination on a
     * time-based or forced rotation, else for those in {@code which} (and
     * those without a file), closes the files of destinations turned off,
     * rewrites current_logfiles and plans the next time-based rotation.
     */
    private void rotate(boolean timeBased, Set<Destination> which, boolean force, long now) {
        long fntime = timeBased ? nextRotation : now;
        ensureDirectory();
        for (Destination d : Destination.values()) {
            if (d != Destination.STDERR && !config.destinations().contains(d)) {
                LogFile f = files.remove(d);
                if (f != null) {
                    f.close();
                }
                lastNames.remove(d);
                openFailing.remove(d);
                continue;
            }
            boolean missing = !files.containsKey(d);
            if (!timeBased && !force && !which.contains(d) && !missing) {
                continue;
            }
            String name = fileName(fntime, d);
            String last = lastNames.get(d);
            boolean truncate = config.truncateOnRotation() && timeBased && last != null && !name.equals(last);
            try {
                LogFile f = LogFile.open(opener, config.dataDirectory().resolve(name), name, truncate,
                        config.fileMode());
                LogFile old = files.put(d, f);
                if (old != null) {
                    old.close();
                }
                lastNames.put(d, name);
                openFailing.remove(d);
            } catch (IOException | RuntimeException e) {
                if (openFailing.add(d)) {
                    pending.add(new String[] { LOG, "could not open log file \"" + name + "\": "
                            + (e instanceof IOException io ? LogFile.reason(io) : String.valueOf(e)) });
                }
                // keep writing into the old file, if any; retry later
            }
        }
        if (missing().isEmpty()) {
            nextRetry = Long.MAX_VALUE;
        } else {
            scheduleRetry(now);
        }
        writeCurrentLogfiles();
        setNextRotation(now);
    }

    private void scheduleRetry(long now) {
        long at = now + retryMillis;
        if (nextRetry == Long.MAX_VALUE || nextRetry <= now) {
            nextRetry = at;
        }
    }

    /** PostgreSQL's logfile_getname(). */
    String fileName(long epochMillis, Destination d) {
        String name = config.directory() + "/"
                + Strftime.format(config.filename(), Instant.ofEpochMilli(epochMillis).atZone(config.timezone()));
        String suffix = d.suffix();
        if (suffix != null) {
            if (name.length() > 4 && name.endsWith(".log")) {
                name = name.substring(0, name.length() - 4);
            }
            name = name + suffix;
        }
        return name;
    }

    /**
     * PostgreSQL's set_next_rotation_time(): the next multiple of
     * log_rotation_age after now, counted in log_timezone's local time.
     */
    private void setNextRotation(long now) {
        nextRotation = nextRotationTime(now, config.rotationAgeMinutes(), config.timezone());
    }

    static long nextRotationTime(long nowMillis, int ageMinutes, ZoneId zone) {
        if (ageMinutes <= 0) {
            return Long.MAX_VALUE;
        }
        long interval = ageMinutes * 60L;
        long now = Math.floorDiv(nowMillis, 1000L);
        int offset = zone.getRules().getOffset(Instant.ofEpochSecond(now)).getTotalSeconds();
        long t = now + offset;
        t -= Math.floorMod(t, interval);
        t += interval;
        t -= offset;
        return t * 1000L;
    }

    private void ensureDirectory() {
        Path dir = config.dataDirectory().resolve(config.directory());
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            LogFile.setMode(dir, 0700);
        } catch (IOException | RuntimeException ignored) {
            // opening the files will report it
        }
    }

    /** PostgreSQL's update_metainfo_datafile(). */
    private void writeCurrentLogfiles() {
        Path data = config.dataDirectory();
        Path file = data.resolve(CURRENT_LOGFILES);
        Path tmp = data.resolve(CURRENT_LOGFILES + ".tmp");
        StringBuilder sb = new StringBuilder();
        for (Destination d : Destination.values()) {
            String name = lastNames.get(d);
            if (name != null && config.destinations().contains(d)) {
                sb.append(d.settingName()).append(' ').append(name).append('\n');
            }
        }
        try {
            Files.write(tmp, sb.toString().getBytes(StandardCharsets.UTF_8));
            LogFile.setMode(tmp, dataFileMode(data));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            metainfoFailing = false;
        } catch (IOException | RuntimeException e) {
            if (!metainfoFailing) {
                metainfoFailing = true;
                pending.add(new String[] { LOG, "could not write file \"" + CURRENT_LOGFILES + ".tmp\": "
                        + (e instanceof IOException io ? LogFile.reason(io) : String.valueOf(e)) });
            }
        }
    }

    /** 0600, or 0640 when the data directory allows group access (pg_file_create_mode). */
    static int dataFileMode(Path dataDirectory) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dataDirectory);
            return p.contains(PosixFilePermission.GROUP_EXECUTE) ? 0640 : 0600;
        } catch (IOException | UnsupportedOperationException e) {
            return 0600;
        }
    }

    /** Removes current_logfiles, as the postmaster does when the collector is off. */
    static void removeCurrentLogfiles(Path dataDirectory) {
        try {
            Files.deleteIfExists(dataDirectory.resolve(CURRENT_LOGFILES));
        } catch (IOException | RuntimeException ignored) {
            // a stale file is harmless
        }
    }

    private void flushProblems() {
        List<String[]> out;
        synchronized (ioLock) {
            if (pending.isEmpty()) {
                return;
            }
            out = new ArrayList<>(pending);
            pending.clear();
        }
        for (String[] p : out) {
            try {
                switch (p[0]) {
                    case LOG -> problems.log(p[1]);
                    case RAW -> problems.raw(p[1]);
                    default -> fallback(p[1]);
                }
            } catch (RuntimeException ignored) {
                // reporting must not fail the write
            }
        }
    }
}
