package modgres.wal.internal;

import static modgres.wal.internal.TestSupport.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

import modgres.api.buffer.WalFlusher;
import modgres.api.settings.Settings;
import modgres.api.wal.Lsn;
import modgres.api.wal.Wal;
import modgres.api.wal.WalSegmentEvent;
import modgres.api.wal.WalState;

/** The DS component, driven by hand as SCR would drive it. */
class WalComponentTest {
    @TempDir
    Path dir;

    final Map<String, Object> values = new HashMap<>();

    Settings settings() {
        values.putIfAbsent("wal_segment_size", 1024 * 1024);
        values.putIfAbsent("wal_buffers", -1);
        values.putIfAbsent("shared_buffers", 1024);
        values.putIfAbsent("archive_mode", "on");
        values.putIfAbsent("wal_sync_method", "fdatasync");
        values.putIfAbsent("wal_init_zero", true);
        values.putIfAbsent("wal_recycle", true);
        values.putIfAbsent("min_wal_size", 80);
        values.putIfAbsent("fsync", true);
        values.putIfAbsent("full_page_writes", true);
        return (Settings) Proxy.newProxyInstance(Settings.class.getClassLoader(), new Class<?>[] {Settings.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "dataDirectory" -> dir;
                    case "getInt" -> ((Number) values.get(args[0])).intValue();
                    case "getLong" -> ((Number) values.get(args[0])).longValue();
                    case "getBool" -> (Boolean) values.get(args[0]);
                    case "getString" -> String.valueOf(values.get(args[0]));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static Logger logger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? Boolean.FALSE : null);
    }

    @Test
    void readsItsSettingsAndServesWalAndWalFlusher() throws Exception {
        WalComponent c = new WalComponent(settings(), logger());
        WriteAheadLog w = c.delegate();
        assertEquals(32, w.walBuffers(), "wal_buffers -1: shared_buffers / 32");
        Wal wal = c;
        WalFlusher flusher = c;
        assertEquals(1024 * 1024, wal.segmentSize());
        assertEquals(WalState.READING, wal.state());
        wal.startAt(wal.findEnd(Lsn.INVALID));
        List<WalSegmentEvent> events = new CopyOnWriteArrayList<>();
        c.bindWalListener(events::add);
        long lsn = wal.insert(numbered(0, 0, 10));
        assertTrue(flusher.needsFlush(lsn));
        flusher.flush(lsn);
        assertFalse(flusher.needsFlush(lsn));
        wal.switchSegment();
        assertEquals(1, events.size());
        assertTrue(Files.exists(dir.resolve("pg_wal/archive_status/000000010000000000000001.ready")));

        values.put("fsync", false);
        c.settingsChanged(Set.of("fsync"));
        long syncs = wal.stats().syncs();
        flusher.flush(wal.insert(numbered(0, 1, 10)));
        assertEquals(syncs, wal.stats().syncs());

        values.put("wal_sync_method", "open_datasync");
        values.put("fsync", true);
        c.settingsChanged(Set.of("wal_sync_method", "fsync"));
        flusher.flush(wal.insert(numbered(0, 2, 10)));
        assertEquals(syncs, wal.stats().syncs(), "open_datasync writes synchronously, no separate sync");

        values.put("full_page_writes", false);
        c.settingsChanged(Set.of("full_page_writes"));
        assertFalse(wal.needsFullPageImage(0));
        c.deactivate();
        assertEquals(WalState.CLOSED, wal.state());
    }

    @Test
    void walBuffersBounds() {
        values.put("shared_buffers", 16);
        assertEquals(8, WalComponent.config(settings()).walBuffers(), "at least 64kB");
        values.put("shared_buffers", 1_000_000);
        assertEquals(128, WalComponent.config(settings()).walBuffers(), "at most one segment");
        values.put("wal_buffers", 512);
        assertEquals(512, WalComponent.config(settings()).walBuffers());
        values.put("archive_mode", "off");
        assertFalse(WalComponent.config(settings()).archiveMode());
    }
}
