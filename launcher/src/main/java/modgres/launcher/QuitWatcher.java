package modgres.launcher;

/*
 * Design notes
 * ------------
 * PostgreSQL's postmaster takes SIGQUIT as "immediate shutdown" (pg_ctl stop
 * -m immediate). A JVM cannot: HotSpot reserves SIGQUIT for its thread dump
 * and refuses a Java handler for it, and -Xrs would take away SIGTERM, SIGINT
 * and SIGHUP as well. What a JVM does on SIGQUIT is observable, though: it
 * prints "Full thread dump" on its standard output. So the launcher runs the
 * server in a child JVM whose standard output passes through this parent:
 *
 *     java -jar modgres.jar ...            (this process: the watcher)
 *       └── java ... modgres.launcher.Main (the server: writes postmaster.pid)
 *
 * The watcher copies the child's stdout to its own, and when the thread-dump
 * banner goes by it sends the child SIGUSR2, which the postmaster takes as an
 * immediate shutdown. stdin and stderr are inherited, so the Felix console
 * and the log work as in one process. SIGTERM, SIGINT and SIGHUP sent to the
 * watcher are passed on (a terminal's ^C reaches both; the postmaster ignores
 * a second shutdown request). The watcher exits with the child's status.
 * Thread dumps for diagnosis: `jcmd <pid> Thread.print` (it does not use SIGQUIT).
 *
 * The child is started through `env --default-signal`: a shell starts
 * background jobs with SIGINT and SIGQUIT ignored, and a JVM silently keeps a
 * signal ignored that was ignored when it started, so `modgres ... &` in a
 * script would otherwise not stop on `pg_ctl stop -m fast`.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import sun.misc.Signal;

final class QuitWatcher {
    /** Set on the child's command line so that it runs the server instead of watching. */
    static final String CHILD_PROPERTY = "modgres.launcher.child";
    static final byte[] BANNER = "Full thread dump ".getBytes(StandardCharsets.US_ASCII);
    /** HotSpot's suspend/resume signal, read from this variable at VM start (Linux); 40 is SIGRTMIN+6. */
    static final String SR_SIGNUM_ENV = "_JAVA_SR_SIGNUM";
    static final String SR_SIGNUM = "40";

    private QuitWatcher() {
    }

    static boolean isChild() {
        return Boolean.getBoolean(CHILD_PROPERTY);
    }

    /** Starts the server JVM and watches it until it exits; returns its exit status. */
    static int run(String[] args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (canResetSignals()) {
            // A shell starts background jobs with SIGINT and SIGQUIT ignored, and a JVM cannot take a signal
            // that was ignored when it started: give the server the default dispositions back.
            cmd.addAll(List.of(ENV, "--default-signal=HUP,INT,QUIT,TERM,USR2"));
        }
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        cmd.addAll(jvmOptions);
        cmd.addAll(memoryDefaults(jvmOptions));
        cmd.add("-D" + CHILD_PROPERTY + "=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // HotSpot suspends threads with SIGUSR2 (JFR's sampler, for one), and the postmaster takes SIGUSR2 as the
        // immediate shutdown: give the VM a real-time signal of its own for that, so profiling does not stop the
        // server.
        pb.environment().put(SR_SIGNUM_ENV, SR_SIGNUM);
        Process child = pb.start();
        for (String sig : new String[] {"TERM", "INT", "HUP"}) {
            Signal.handle(new Signal(sig), s -> kill(child.pid(), sig));
        }
        Thread copier = new Thread(() -> copy(child.getInputStream(), System.out, child.pid()), "stdout watcher");
        copier.setDaemon(true);
        copier.start();
        int status = child.waitFor();
        copier.join(2000);
        return status;
    }

    /** The server JVM's heap when the launcher was given none: executor memory spills past work_mem instead. */
    static final String DEFAULT_MAX_HEAP = "1g";

    /**
     * Memory bounds for the server JVM that the launcher's own options leave open. Without them the JVM's heap
     * may grow to a quarter of the machine's memory (and is slow to give it back), while the server needs little
     * heap: shared buffers and WAL buffers are off-heap, and sorts, hashes and stored results spill to temporary
     * files past work_mem. So the heap gets {@value #DEFAULT_MAX_HEAP} unless -Xmx (or MaxHeapSize/MaxRAM*) was
     * given, and direct memory — which defaults to the heap's size and holds shared_buffers — is allowed up to
     * the machine's physical memory unless -XX:MaxDirectMemorySize was given, so shared_buffers is bounded
     * by the machine, as PostgreSQL's shared memory is.
     */
    static List<String> memoryDefaults(List<String> given) {
        List<String> extra = new ArrayList<>();
        boolean heap = given.stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize=")
                || o.startsWith("-XX:MaxRAM"));
        if (!heap) {
            extra.add("-Xmx" + DEFAULT_MAX_HEAP);
        }
        if (given.stream().noneMatch(o -> o.startsWith("-XX:MaxDirectMemorySize="))) {
            long physical = physicalMemory();
            if (physical > 0) {
                extra.add("-XX:MaxDirectMemorySize=" + physical);
            }
        }
        return extra;
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    /** Copies the child's stdout and tells the child to stop at once when it prints a thread dump. */
    static void copy(InputStream in, OutputStream out, long childPid) {
        byte[] buf = new byte[8192];
        int matched = 0;
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
                for (int i = 0; i < n; i++) {
                    if (buf[i] == BANNER[matched]) {
                        if (++matched == BANNER.length) {
                            kill(childPid, "USR2");
                            matched = 0;
                        }
                    } else {
                        matched = buf[i] == BANNER[0] ? 1 : 0;
                    }
                }
            }
        } catch (IOException ignored) {
            // the child is gone
        }
    }

    static final String ENV = "/usr/bin/env";

    /** True when env(1) can reset signal dispositions (GNU coreutils 8.31 and later). */
    static boolean canResetSignals() {
        try {
            Process p = new ProcessBuilder(ENV, "--default-signal=INT", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void kill(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            System.err.println("modgres: could not send SIG" + signal + " to " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
