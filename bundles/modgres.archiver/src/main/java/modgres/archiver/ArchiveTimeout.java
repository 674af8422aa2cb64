package modgres.archiver;

/*
 * Design notes
 * ------------
 * PostgreSQL's CheckArchiveTimeout (checkpointer.c): when archive_timeout > 0
 * and the last WAL segment switch is at least archive_timeout seconds old,
 * switch segments (RequestXLogSwitch, what pg_switch_wal does) if WAL was
 * written since that switch, so that a quiet server still archives its
 * changes within archive_timeout; in any case the clock restarts, so an idle
 * server is not switched over and over.
 *
 * Why here and not in the checkpointer, as in PostgreSQL: archive_timeout
 * exists only for archiving, the archiver already wakes about once a second
 * while archive_mode is on, and the segment the switch completes is the one
 * this process archives next; the checkpointer is a separate (and swappable)
 * bundle that knows nothing of archiving. The effect is PostgreSQL's: with
 * archive_mode off nothing is switched (PostgreSQL's checkpointer would
 * switch, but then nothing archives the segment).
 *
 * "The last switch" is the later of the last switch forced here and the last
 * time the insert position was seen entering a new segment (a full segment,
 * or someone's pg_switch_wal), as PostgreSQL's lastSegSwitchTime. "WAL
 * written since": the insert position moved since the last forced switch;
 * the WAL's switchSegment itself does nothing when the current segment holds
 * no record yet. While the WAL is not inserting (recovery), nothing is done
 * and the clock restarts, as PostgreSQL skips the check during recovery.
 */

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import modgres.api.wal.Lsn;
import modgres.api.wal.Wal;
import modgres.api.wal.WalState;

/** archive_timeout: forces a WAL segment switch when the last one is too old; see the design notes. */
public final class ArchiveTimeout {

    private final Supplier<Wal> wal;
    private final IntSupplier timeoutSeconds;
    private final LongSupplier clockMillis;
    private final ArchiveLoop.Report report;

    private long lastSwitchMillis = -1;
    private long lastSegment = -1;
    private long positionAfterSwitch = Lsn.INVALID;
    private long forced;

    /**
     * @param wal            the WAL (a supplier of null when none is active)
     * @param timeoutSeconds archive_timeout in seconds (0 = off)
     * @param clockMillis    the clock, in milliseconds
     * @param report         where the DEBUG1 line and failures go
     */
    public ArchiveTimeout(Supplier<Wal> wal, IntSupplier timeoutSeconds, LongSupplier clockMillis,
            ArchiveLoop.Report report) {
        this.wal = wal;
        this.timeoutSeconds = timeoutSeconds;
        this.clockMillis = clockMillis;
        this.report = report;
    }

    /** One check; true when it switched segments (a new segment is complete and ready to archive). */
    public synchronized boolean check() {
        long now = clockMillis.getAsLong();
        Wal w = wal.get();
        if (w == null || w.state() != WalState.INSERTING) {
            lastSwitchMillis = now; // recovery in progress (or no WAL): the clock starts when the log does
            lastSegment = -1;
            return false;
        }
        long pos = w.insertPosition();
        long segment = Lsn.segmentNumber(pos, w.segmentSize());
        if (lastSwitchMillis < 0) {
            lastSwitchMillis = now;
        }
        if (segment != lastSegment) {
            if (lastSegment >= 0) {
                lastSwitchMillis = now; // a switch happened meanwhile (a full segment, pg_switch_wal)
            }
            lastSegment = segment;
        }
        int timeout = timeoutSeconds.getAsInt();
        if (timeout <= 0 || now - lastSwitchMillis < timeout * 1000L) {
            return false;
        }
        boolean switched = false;
        if (pos != positionAfterSwitch) {
            try {
                w.switchSegment();
                long after = w.insertPosition();
                long newSegment = Lsn.segmentNumber(after, w.segmentSize());
                switched = newSegment != segment;
                positionAfterSwitch = after;
                lastSegment = newSegment;
                if (switched) {
                    forced++;
                    report.debug("write-ahead log switch forced (archive_timeout=" + timeout + ")");
                }
            } catch (RuntimeException e) {
                report.log("could not force a write-ahead log switch for archive_timeout: " + e.getMessage(), null);
            }
        }
        // In any case, so that an idle server is not retried constantly.
        lastSwitchMillis = now;
        return switched;
    }

    /** How many switches this has forced. */
    public synchronized long forcedSwitches() {
        return forced;
    }
}
