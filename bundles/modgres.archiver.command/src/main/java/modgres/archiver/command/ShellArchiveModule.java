package modgres.archiver.command;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.archive.ArchiveException;
import modgres.api.archive.ArchiveModule;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.server.ProcessIds;
import modgres.api.settings.Settings;

/**
 * PostgreSQL's shell archiving as an archive module: {@code archive_command}
 * (read at every segment, so a reload applies at once) run by
 * {@link CommandArchiver}. The archiver process (bundle modgres.archiver)
 * calls it; this bundle can be swapped for another module while the server runs.
 */
@Component(name = "modgres.archiver.command", property = ArchiveModule.NAME + "=shell")
public final class ShellArchiveModule implements ArchiveModule {
    private final CommandArchiver archiver;

    @Activate
    public ShellArchiveModule(@Reference Settings settings, @Reference(service = LoggerFactory.class) Logger logger) {
        ServerLog log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "archiver"));
        // What the command prints reaches the server log, as a PostgreSQL child's stderr does.
        this.archiver = new CommandArchiver(() -> settings.getString("archive_command"), log::log);
    }

    @Override
    public boolean configured() {
        return archiver.configured();
    }

    @Override
    public String notConfigured() {
        return archiver.notConfigured();
    }

    @Override
    public void archive(Path dataDir, String segment) throws ArchiveException {
        archiver.archive(dataDir, segment);
    }
}
