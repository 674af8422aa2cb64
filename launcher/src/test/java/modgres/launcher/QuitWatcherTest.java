package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class QuitWatcherTest {

    @Test
    void serverJvmGetsABoundedHeapAndRoomForSharedBuffersByDefault() {
        List<String> extra = QuitWatcher.memoryDefaults(List.of("-Dfoo=bar"));
        assertEquals("-Xmx" + QuitWatcher.DEFAULT_MAX_HEAP, extra.get(0));
        assertTrue(extra.get(1).startsWith("-XX:MaxDirectMemorySize="), extra.toString());
        long direct = Long.parseLong(extra.get(1).substring("-XX:MaxDirectMemorySize=".length()));
        assertTrue(direct > 1L << 30, "direct memory up to the machine's memory: " + direct);
    }

    @Test
    void optionsGivenToTheLauncherWin() {
        assertEquals(List.of(), QuitWatcher.memoryDefaults(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=32m")));
        assertEquals(1, QuitWatcher.memoryDefaults(List.of("-XX:MaxRAMPercentage=50")).size());
    }
}
