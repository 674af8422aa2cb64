package modgres.archiver.copy;

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
import modgres.api.settings.Setting;
import modgres.api.settings.Settings;

/**
 * An archive module in the spirit of PostgreSQL's {@code basic_archive}:
 * copies each segment into {@code basic_archive.archive_directory} (temp
 * file, fsync, rename; see {@link CopyArchiver}). Swappable with the shell
 * module while the server runs: the archiver process keeps the protocol and
 * the counters.
 */
@Component(name = "modgres.archiver.copy", property = ArchiveModule.NAME + "=basic_archive")
public final class BasicArchiveModule implements ArchiveModule {
    /** basic_archive's setting: where segments are copied (relative to the data directory, or absolute). */
    static final String DIRECTORY = "basic_archive.archive_directory";

    private final CopyArchiver archiver;

    @Activate
    public BasicArchiveModule(@Reference Settings settings, @Reference(service = LoggerFactory.class) Logger logger) {
        ServerLog log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "archiver"));
        this.archiver = new CopyArchiver(() -> settings.find(DIRECTORY).map(Setting::value).orElse(null),
                log::warning, ProcessIds.postmaster());
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
