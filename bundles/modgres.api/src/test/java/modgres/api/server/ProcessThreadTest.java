package modgres.api.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class ProcessThreadTest {

    @Test
    void startsOnceStopsOnRequestAndReportsADeadThread() throws Exception {
        ProcessThread p = new ProcessThread("test process");
        assertTrue(p.isAlive(), "not started is not dead");
        Latch stop = new Latch();
        assertTrue(p.start(() -> stop.await(60_000)));
        assertFalse(p.start(() -> { }), "a running process is not started twice");
        assertEquals("test process", p.threads().get(0).getName());
        assertTrue(p.stop(stop::set, 10_000));
        assertTrue(p.threads().isEmpty());

        CountDownLatch ran = new CountDownLatch(1);
        p.start(ran::countDown); // a body that returns on its own: the process died
        ran.await();
        p.threads().get(0).join(10_000);
        assertFalse(p.isAlive(), "the postmaster must see it died");
    }

    @Test
    void aLatchSetBeforeTheWaitIsNotLost() {
        Latch l = new Latch();
        l.set();
        assertTrue(l.await(60_000), "returns at once");
        assertFalse(l.await(10), "reset by the wait that saw it; times out");
    }
}
