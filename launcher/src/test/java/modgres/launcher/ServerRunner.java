package modgres.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs target/modgres.jar as a separate process for end-to-end tests: its
 * stdout and stderr are collected, lines can be awaited, signals are sent to
 * the pid in postmaster.pid (as pg_ctl does). With {@code asServerUser} and a
 * root test JVM, the server runs as the unprivileged user {@code postgres}
 * (pg_ctl refuses root, and may only signal its own user's processes).
 */
final class ServerRunner implements AutoCloseable {
    static final String READY = "database system is ready to accept connections";
    static final String SHUT_DOWN = "database system is shut down";

    final Path dataDir;
    final int port;
    final Process process;
    private final StringBuffer output = new StringBuffer();

    private ServerRunner(Path dataDir, int port, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        pump(process.getInputStream());
    }

    static Path jar() {
        return Paths.get(System.getProperty("modgres.jar", "target/modgres.jar")).toAbsolutePath();
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A temporary folder; when the server must run as postgres, owned by it. */
    static Path tempDir(String prefix, boolean asServerUser) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(prefix);
        if (asServerUser && runningAsRoot()) {
            run("chown", "postgres:postgres", dir.toString());
        }
        return dir;
    }

    static ServerRunner start(Path dataDir, boolean asServerUser, String... args) throws IOException {
        return start(dataDir, freePort(), asServerUser, true, args);
    }

    static ServerRunner start(Path dataDir, int port, boolean asServerUser, boolean headless, String... args)
            throws IOException {
        return startWithHeap(dataDir, port, asServerUser, headless, "256m", args);
    }

    /** As {@link #start(Path, int, boolean, boolean, String...)} with the JVMs' -Xmx (the launcher passes it on). */
    static ServerRunner startWithHeap(Path dataDir, int port, boolean asServerUser, boolean headless,
            String maxHeap, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        Path jar = jar();
        if (asServerUser && runningAsRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
            // The checkout may sit where postgres cannot read (e.g. under /root): run a copy of the jar.
            Path copy = dataDir.getParent().resolve("modgres.jar");
            if (!Files.exists(copy)) {
                Files.copy(jar, copy);
                copy.toFile().setReadable(true, false);
            }
            jar = copy;
        }
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx" + maxHeap, "-jar", jar.toString(), "-D", dataDir.toString(), "-p",
                Integer.toString(port)));
        if (headless) {
            cmd.add("--no-console");
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("PGDATA");
        return new ServerRunner(dataDir, port, pb.start());
    }

    /**
     * A test class's shared server: started (as the current user, headless, free port) in a temporary folder
     * of its own and ready; {@link #closeAndDelete} stops it and removes the folder.
     */
    static ServerRunner startInTempDir(String prefix, String... args) throws Exception {
        Path dir = tempDir(prefix, false);
        try {
            ServerRunner s = start(dir.resolve("data"), false, args);
            s.awaitReady();
            return s;
        } catch (Exception | AssertionError e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** Stops the server and removes the folder {@link #startInTempDir} made ({@code server} may be null). */
    static void closeAndDelete(ServerRunner server) throws Exception {
        if (server != null) {
            server.close();
            deleteTree(server.dataDir.getParent());
        }
    }

    /** A pgjdbc connection as postgres to database {@code postgres} of the server on {@code port}. */
    /** The rows {@code sql} returns, each as its columns' text joined by "|" (NULL as "null"). */
    static java.util.List<String> rows(java.sql.Statement st, String sql) throws java.sql.SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    static java.sql.Connection connect(int port) throws java.sql.SQLException {
        return connect(port, "postgres");
    }

    static java.sql.Connection connect(int port, String database) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
    }

    /** The first column of the one row {@code sql} returns, as a long (fails when there is no row). */
    static long scalar(java.sql.Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row: " + sql);
            }
            return rs.getLong(1);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void pump(InputStream in) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "server output");
        t.setDaemon(true);
        t.start();
    }

    String output() {
        return output.toString();
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Waits until the output contains {@code text}; fails with the output so far. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" within " + timeout + "; output:\n" + output());
            }
            if (!process.isAlive() && !output().contains(text)) {
                Thread.sleep(200); // let the pump drain
                if (!output().contains(text)) {
                    throw new AssertionError("server exited (" + process.exitValue() + ") without \"" + text
                            + "\"; output:\n" + output());
                }
            }
            Thread.sleep(50);
        }
    }

    void awaitReady() throws InterruptedException {
        awaitOutput(READY, Duration.ofSeconds(60));
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("server still running after " + timeout + "; output:\n" + output());
        }
        Thread.sleep(100);
        return process.exitValue();
    }

    long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    /** True when {@code pid} is the server JVM: this process or one started under it (the launcher's watcher forks it). */
    boolean isServerPid(long pid) {
        return process.pid() == pid || process.descendants().anyMatch(ph -> ph.pid() == pid);
    }

    /** Sends a signal to the postmaster (the pid in postmaster.pid), as pg_ctl does. */
    void signal(String name) throws IOException, InterruptedException {
        run("kill", "-" + name, Long.toString(postmasterPid()));
    }

    /** Runs a command (as postgres when root and asked), returning its exit status and output. */
    static Result run(boolean asServerUser, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asServerUser && runningAsRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("command timed out: " + cmd);
        }
        return new Result(p.exitValue(), out);
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(false, command);
    }

    record Result(int status, String output) {
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            try {
                signal("INT");
            } catch (IOException | RuntimeException e) {
                process.destroy();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
