package modgres.archiver.gzip;

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
 * The {@code gzip_archive} archive module: like {@code basic_archive}, but
 * each segment is stored compressed as {@code <segment>.gz} in
 * {@code gzip_archive.archive_directory} at {@code gzip_archive.compression_level}
 * (see {@link GzipArchiver}). Both settings are read at every segment, so a
 * reload applies at once. Swappable with the other modules while the server
 * runs: the archiver process keeps the protocol and the counters.
 */
@Component(name = "modgres.archiver.gzip", property = ArchiveModule.NAME + "=gzip_archive")
public final class GzipArchiveModule implements ArchiveModule {

    private final GzipArchiver archiver;

    @Activate
    public GzipArchiveModule(@Reference Settings settings, @Reference(service = LoggerFactory.class) Logger logger) {
        ServerLog log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "archiver"));
        this.archiver = new GzipArchiver(() -> value(settings, GzipArchiver.DIRECTORY),
                () -> value(settings, GzipArchiver.LEVEL), log::warning, ProcessIds.postmaster());
    }

    private static String value(Settings settings, String name) {
        return settings.find(name).map(Setting::value).orElse(null);
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
