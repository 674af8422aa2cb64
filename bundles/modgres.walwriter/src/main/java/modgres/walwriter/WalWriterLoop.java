package modgres.walwriter;

/*
 * Design notes
 * ------------
 * PostgreSQL's WAL writer bounds how long a record may sit in the WAL
 * buffers: every wal_writer_delay it writes and flushes what backends have
 * inserted but not flushed. Committers with synchronous_commit = on flush
 * their own commit record (group commit in the WAL); the writer is what makes
 * synchronous_commit = off safe and bounded (an asynchronous commit is
 * durable within about three wal_writer_delay), and it saves backends from
 * writing full WAL pages themselves.
 *
 *     ┌─ flush round: Wal.backgroundFlush() ◀──────────────────────┐
 *     │    did work? ── yes ──▶ sleep wal_writer_delay ───────────┘
 *     │        │ no (idle rounds += 1)
 *     │        ▼
 *     └─ after 50 idle rounds: hibernate, sleeping 25 × wal_writer_delay in
 *        steps of wal_writer_delay and waking early when the insert position moves
 *
 * While the WAL is not accepting inserts (recovery) a round does nothing.
 */

import java.util.function.IntSupplier;

import modgres.api.server.Latch;
import modgres.api.wal.Wal;
import modgres.api.wal.WalState;

/** The WAL writer's loop, without OSGi. */
final class WalWriterLoop implements Runnable {

    /** Idle rounds before hibernating (PostgreSQL: LOOPS_UNTIL_HIBERNATE). */
    static final int LOOPS_UNTIL_HIBERNATE = 50;
    /** How much longer a hibernating writer sleeps (PostgreSQL: HIBERNATE_FACTOR). */
    static final int HIBERNATE_FACTOR = 25;

    private final Wal wal;
    private final IntSupplier delayMillis;
    private final Latch latch = new Latch();
    private volatile boolean stopping;
    private int idleRounds;
    private volatile long bytesFlushed;

    WalWriterLoop(Wal wal, IntSupplier delayMillis) {
        this.wal = wal;
        this.delayMillis = delayMillis;
    }

    @Override
    public void run() {
        while (!stopping) {
            boolean worked = round();
            idleRounds = worked ? 0 : idleRounds + 1;
            sleep(idleRounds >= LOOPS_UNTIL_HIBERNATE);
        }
    }

    /** One round; returns whether it made anything durable. */
    boolean round() {
        if (wal.state() != WalState.INSERTING) {
            return false;
        }
        long n = wal.backgroundFlush();
        bytesFlushed += n;
        return n > 0;
    }

    private void sleep(boolean hibernate) {
        int delay = Math.max(1, delayMillis.getAsInt());
        int steps = hibernate ? HIBERNATE_FACTOR : 1;
        long insertBefore = wal.state() == WalState.INSERTING ? wal.insertPosition() : -1;
        for (int i = 0; i < steps && !stopping; i++) {
            if (latch.await(delay)) {
                break; // woken: a setting changed or we are stopping
            }
            if (hibernate && wal.state() == WalState.INSERTING && wal.insertPosition() != insertBefore) {
                idleRounds = 0;
                break; // records arrive again
            }
        }
    }

    void resume() {
        stopping = false;
    }

    void stop() {
        stopping = true;
        wakeUp();
    }

    void wakeUp() {
        latch.set();
    }

    long bytesFlushed() {
        return bytesFlushed;
    }
}
