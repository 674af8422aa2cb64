package modgres.archiver.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

import modgres.api.archive.ArchiveException;
import modgres.api.archive.ArchiveModule;

/**
 * PostgreSQL's shell archiving: runs {@code archive_command} with
 * {@code /bin/sh -c} in the data directory, {@code %p} replaced by the
 * segment's path relative to the data directory, {@code %f} by its file name
 * and {@code %%} by {@code %}; exit status 0 is success. A failure is
 * PostgreSQL 15's {@code archive command failed with exit code N} with
 * {@code DETAIL: The failed archive command was: ...}; what the command
 * printed goes to the server log on its own (PostgreSQL's child writes to the
 * server's stderr), not into the DETAIL.
 */
public final class CommandArchiver implements ArchiveModule {

    private final Supplier<String> archiveCommand;
    private final Consumer<String> output;

    /** Discards what the command prints. */
    public CommandArchiver(Supplier<String> archiveCommand) {
        this(archiveCommand, text -> { });
    }

    /**
     * @param output told what the command printed (stdout and stderr together), when it printed
     *               anything, as PostgreSQL's log shows a child's output
     */
    public CommandArchiver(Supplier<String> archiveCommand, Consumer<String> output) {
        this.archiveCommand = archiveCommand;
        this.output = output;
    }

    @Override
    public boolean configured() {
        String c = archiveCommand.get();
        return c != null && !c.isEmpty();
    }

    @Override
    public String notConfigured() {
        return "archive_command is not set.";
    }

    /** PostgreSQL's %p / %f / %% substitution (an unknown %x is copied as is). */
    static String expand(String command, String path, String file) {
        StringBuilder sb = new StringBuilder(command.length() + 64);
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '%' && i + 1 < command.length()) {
                char n = command.charAt(i + 1);
                if (n == 'p') {
                    sb.append(path);
                    i++;
                    continue;
                } else if (n == 'f') {
                    sb.append(file);
                    i++;
                    continue;
                } else if (n == '%') {
                    sb.append('%');
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public void archive(Path dataDir, String segment) throws ArchiveException {
        String command = expand(archiveCommand.get(), "pg_wal/" + segment, segment);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(dataDir.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        int rc;
        String output;
        try {
            Process p = pb.start();
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            rc = p.waitFor();
        } catch (IOException e) {
            throw new ArchiveException("could not execute archive command: " + e.getMessage(),
                    "The failed archive command was: " + command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveException("archive command was interrupted",
                    "The failed archive command was: " + command);
        }
        if (!output.isEmpty()) {
            this.output.accept(output.length() > 4000 ? output.substring(0, 4000) : output);
        }
        if (rc != 0) {
            throw new ArchiveException("archive command failed with exit code " + rc,
                    "The failed archive command was: " + command);
        }
    }
}
