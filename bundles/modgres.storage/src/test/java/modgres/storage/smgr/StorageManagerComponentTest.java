package modgres.storage.smgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.page.StorageManager;
import modgres.api.settings.Settings;

/** The DS component, driven by hand as SCR would drive it. */
class StorageManagerComponentTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);

    @TempDir
    Path dir;

    static Settings settings(Path dataDir, Map<String, Object> values) {
        return (Settings) Proxy.newProxyInstance(Settings.class.getClassLoader(), new Class<?>[] {Settings.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "dataDirectory" -> dataDir;
                    case "getInt", "getBool" -> {
                        Object v = values.get((String) args[0]);
                        if (v == null) {
                            throw new UnsupportedOperationException(String.valueOf(args[0]));
                        }
                        yield v;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void readsSettingsAndFollowsReloads() throws Exception {
        Map<String, Object> values = new ConcurrentHashMap<>(Map.of("max_files_per_process", 64,
                "data_checksums", true, "ignore_checksum_failure", false, "zero_damaged_pages", false));
        CapturedLog log = new CapturedLog();
        StorageManagerComponent c = new StorageManagerComponent(settings(dir, values), log.factory());
        StorageManager s = c;
        assertEquals(dir, c.store().dataDirectory());
        assertEquals(StorageManager.SEGMENT_BLOCKS, c.store().segmentBlocks());
        s.create(REL, ForkNumber.MAIN, false);
        s.extend(BufferTag.of(REL, ForkNumber.MAIN, 0), MdStorageTest.page(7));
        s.fsync(REL, ForkNumber.MAIN);
        assertEquals(1, s.nblocks(REL, ForkNumber.MAIN));

        Path file = dir.resolve("base/5/16384");
        byte[] raw = Files.readAllBytes(file);
        raw[8000] ^= 1;
        Files.write(file, raw);
        ByteBuffer b = MdStorageTest.buffer();
        PgException e = assertThrows(PgException.class, () -> s.read(BufferTag.of(REL, ForkNumber.MAIN, 0), b));
        assertEquals("XX001", e.sqlState());
        assertTrue(log.messages().get(0).startsWith("WARNING XX001 page verification failed"), log.messages().toString());

        values.put("ignore_checksum_failure", true);
        c.settingsChanged(Set.of("ignore_checksum_failure"));
        b.clear();
        s.read(BufferTag.of(REL, ForkNumber.MAIN, 0), b);
        assertEquals(7, MdStorageTest.mark(b.clear()));
        assertEquals(2, s.checksumFailures(5));

        c.deactivate();
        assertEquals(0, c.store().openFiles());
    }
}
