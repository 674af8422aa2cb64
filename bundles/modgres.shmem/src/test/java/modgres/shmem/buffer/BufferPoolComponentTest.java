package modgres.shmem.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.settings.Settings;

/** The DS component, driven by hand as SCR would drive it. */
class BufferPoolComponentTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);

    static Settings settings(int sharedBuffers) {
        return (Settings) Proxy.newProxyInstance(Settings.class.getClassLoader(), new Class<?>[] {Settings.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getInt") && "shared_buffers".equals(args[0])) {
                        return sharedBuffers;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void readsSharedBuffersAndDelegates() {
        MemoryPageStore store = new MemoryPageStore();
        store.seed(REL, ForkNumber.MAIN, 4);
        BufferPool pool = new BufferPoolComponent(settings(32), store);
        assertEquals(32, pool.buffers());
        int b = SharedBufferPoolTest.touch(pool, BufferTag.of(REL, ForkNumber.MAIN, 2));
        assertEquals(2, pool.blockNumber(pool.pin(BufferTag.of(REL, ForkNumber.MAIN, 2))));
        pool.unpin(b);
        assertEquals(1, pool.stats().hits());
    }

    @Test
    void walFlusherIsDynamicAndGreedy() {
        MemoryPageStore store = new MemoryPageStore();
        store.seed(REL, ForkNumber.MAIN, 4);
        BufferPoolComponent component = new BufferPoolComponent(settings(16), store);
        RecordingWal first = new RecordingWal(store.log);
        RecordingWal second = new RecordingWal(store.log);
        component.bindWalFlusher(first);
        component.bindWalFlusher(second); // a better one arrives: bound before the old is unbound
        component.unbindWalFlusher(first);
        SharedBufferPoolTest.dirty(component, BufferTag.of(REL, ForkNumber.MAIN, 0), 77, (byte) 1);
        assertEquals(1, component.flushAll(FlushFilter.ALL));
        assertEquals(77, second.flushed.get());
        assertEquals(0, first.flushed.get());
        component.unbindWalFlusher(second);
        SharedBufferPoolTest.dirty(component, BufferTag.of(REL, ForkNumber.MAIN, 1), 78, (byte) 1);
        PgException e = assertThrows(PgException.class, () -> component.flushAll(FlushFilter.ALL));
        assertTrue(e.getMessage().contains("no WAL"));
    }

    @Test
    void refusesFewerThanSixteenBuffers() {
        PgException e = assertThrows(PgException.class,
                () -> new BufferPoolComponent(settings(8), new MemoryPageStore()));
        assertEquals("22023", e.sqlState());
    }
}
