package modgres.checkpointer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import modgres.api.control.ControlData;
import modgres.api.control.ControlFile;
import modgres.api.settings.Settings;

/** The {@link ControlFile} service: {@link ControlFileStore} in the data directory the settings name. */
@Component(name = "modgres.control", service = ControlFile.class)
public final class ControlFileComponent implements ControlFile {

    private final ControlFileStore store;

    @Activate
    public ControlFileComponent(@Reference Settings settings) {
        int segmentSize = settings.find("wal_segment_size").isPresent() ? settings.getInt("wal_segment_size")
                : 16 * 1024 * 1024;
        int checksums = settings.find("data_checksums").isPresent() && settings.getBool("data_checksums") ? 1 : 0;
        this.store = new ControlFileStore(settings.dataDirectory(), segmentSize, checksums);
    }

    @Override
    public ControlData read() {
        return store.read();
    }

    @Override
    public void write(ControlData data) {
        store.write(data);
    }
}
