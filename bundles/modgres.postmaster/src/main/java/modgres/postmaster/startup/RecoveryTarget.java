package modgres.postmaster.startup;

/*
 * Design notes
 * ------------
 * PostgreSQL 15's recovery target (xlogrecovery.c): the settings are checked
 * as its GUC check hooks and validateRecoveryParameters do (the same
 * messages, here as FATALs of the startup process), and each record is
 * tested before and after it is replayed as recoveryStopsBefore and
 * recoveryStopsAfter test it:
 *
 *   before a record                              after a record
 *   immediate, consistent: stop (after consistency) immediate, consistent: stop
 *   lsn, exclusive, record start >= target       lsn, inclusive, record start >= target
 *   xid, exclusive, commit/abort of that xid     xid, inclusive, commit/abort of that xid
 *   time: commit/abort with time > target        restore point with that name
 *         (inclusive) or >= target (exclusive)
 *
 * Commit and abort records are the XACT resource manager's (info & 0x70: 0x00
 * commit, 0x20 abort); their main data begins with the commit time, a
 * TimestampTz (microseconds since 2000-01-01 UTC, little-endian), which is
 * what recovery_target_time compares. Restore points would be XLOG
 * RESTORE_POINT records laid out as PostgreSQL's xl_restore_point (time, then
 * a 64-byte NUL-terminated name); Modgres writes none yet (no
 * pg_create_restore_point), so a recovery_target_name is never reached.
 *
 * recovery_target_action: only promote. pause (with hot_standby off,
 * PostgreSQL's pause is a shutdown anyway) and shutdown are refused at start
 * with a FATAL: the postmaster has no "shutdown at recovery target" exit.
 * recovery_target_timeline: Modgres has only timeline 1, so latest, current
 * and 1 are accepted; another number does not exist.
 */

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import modgres.api.error.SqlState;
import modgres.api.log.Severity;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/** The recovery target settings, checked, and PostgreSQL's stop tests; see the design notes. */
final class RecoveryTarget {

    enum Kind { UNSET, IMMEDIATE, XID, TIME, NAME, LSN }

    /** XACT info values (PostgreSQL's XLOG_XACT_OPMASK part). */
    static final int XACT_OPMASK = 0x70;
    static final int XACT_COMMIT = 0x00;
    static final int XACT_ABORT = 0x20;
    static final int XACT_COMMIT_PREPARED = 0x30;
    static final int XACT_ABORT_PREPARED = 0x40;
    /** XLOG info of a restore point record. */
    static final byte XLOG_RESTORE_POINT = 0x70;
    /** PostgreSQL's MAXFNAMELEN: a restore point's name is shorter. */
    static final int MAXFNAMELEN = 64;

    /** 2000-01-01 00:00:00 UTC in Unix epoch seconds (PostgreSQL's epoch). */
    static final long PG_EPOCH_SECONDS = 946_684_800L;

    final Kind kind;
    final int xid;
    final long time;
    final String name;
    final long lsn;
    final boolean inclusive;
    final ZoneId zone;

    private RecoveryTarget(Kind kind, int xid, long time, String name, long lsn, boolean inclusive, ZoneId zone) {
        this.kind = kind;
        this.xid = xid;
        this.time = time;
        this.name = name;
        this.lsn = lsn;
        this.inclusive = inclusive;
        this.zone = zone;
    }

    static RecoveryTarget none(ZoneId zone) {
        return new RecoveryTarget(Kind.UNSET, 0, 0, null, Lsn.INVALID, true, zone);
    }

    boolean isSet() {
        return kind != Kind.UNSET;
    }

    /** Reads and checks the recovery_target* settings; throws a FATAL {@link StartupProcess.Failure}. */
    static RecoveryTarget parse(RecoverySettings s) {
        ZoneId zone = zone(s.get("timezone"));
        String target = s.get("recovery_target");
        String lsnText = s.get("recovery_target_lsn");
        String xidText = s.get("recovery_target_xid");
        String timeText = s.get("recovery_target_time");
        String nameText = s.get("recovery_target_name");
        int set = 0;
        for (String v : List.of(target, lsnText, xidText, timeText, nameText)) {
            if (!v.isEmpty()) {
                set++;
            }
        }
        if (set > 1) {
            throw fatal(SqlState.INVALID_PARAMETER_VALUE, "multiple recovery targets specified",
                    "At most one of recovery_target, recovery_target_lsn, recovery_target_name, "
                            + "recovery_target_time, recovery_target_xid may be set.", null);
        }
        boolean inclusive = bool(s.get("recovery_target_inclusive"), true);
        checkTimeline(s.get("recovery_target_timeline"));
        RecoveryTarget t;
        if (!target.isEmpty()) {
            if (!target.equals("immediate")) {
                throw invalid("recovery_target", target, "The only allowed value is \"immediate\".");
            }
            t = new RecoveryTarget(Kind.IMMEDIATE, 0, 0, null, Lsn.INVALID, inclusive, zone);
        } else if (!lsnText.isEmpty()) {
            long l;
            try {
                l = Lsn.parse(lsnText.trim());
            } catch (IllegalArgumentException e) {
                throw invalid("recovery_target_lsn", lsnText, null);
            }
            t = new RecoveryTarget(Kind.LSN, 0, 0, null, l, inclusive, zone);
        } else if (!xidText.isEmpty()) {
            t = new RecoveryTarget(Kind.XID, parseXid(xidText), 0, null, Lsn.INVALID, inclusive, zone);
        } else if (!timeText.isEmpty()) {
            long ts;
            try {
                ts = parseTimestamptz(timeText, zone);
            } catch (IllegalArgumentException | DateTimeException e) {
                throw invalid("recovery_target_time", timeText, null);
            }
            t = new RecoveryTarget(Kind.TIME, 0, ts, null, Lsn.INVALID, inclusive, zone);
        } else if (!nameText.isEmpty()) {
            if (nameText.length() >= MAXFNAMELEN) {
                throw invalid("recovery_target_name", nameText,
                        "recovery_target_name is too long (maximum " + (MAXFNAMELEN - 1) + " characters).");
            }
            t = new RecoveryTarget(Kind.NAME, 0, 0, nameText, Lsn.INVALID, inclusive, zone);
        } else {
            return none(zone);
        }
        String action = s.get("recovery_target_action");
        if (action.isEmpty()) {
            action = "pause"; // PostgreSQL's default
        }
        if (!action.equals("promote")) {
            throw fatal(SqlState.FEATURE_NOT_SUPPORTED, "recovery_target_action \"" + action + "\" is not supported",
                    action.equals("pause")
                            ? "Modgres has no hot standby, so recovery cannot pause at the target for inspection."
                            : "Modgres cannot shut down at the recovery target.",
                    "Set recovery_target_action to \"promote\".");
        }
        return t;
    }

    private static void checkTimeline(String v) {
        if (v.isEmpty() || v.equals("latest") || v.equals("current")) {
            return;
        }
        long tli;
        try {
            tli = parseCUnsigned(v.trim());
        } catch (NumberFormatException e) {
            throw invalid("recovery_target_timeline", v, "recovery_target_timeline is not a valid number.");
        }
        if (tli != 1) {
            throw fatal(SqlState.INVALID_PARAMETER_VALUE, "recovery target timeline " + tli + " does not exist",
                    null, null);
        }
    }

    /** PostgreSQL's strtou64(value, NULL, 0), truncated to a TransactionId. */
    private static int parseXid(String v) {
        try {
            return (int) parseCUnsigned(v.trim());
        } catch (NumberFormatException e) {
            throw invalid("recovery_target_xid", v, null);
        }
    }

    /** A C integer literal: decimal, 0x hex or 0 octal, unsigned 64 bits. */
    static long parseCUnsigned(String v) {
        if (v.isEmpty() || v.startsWith("-") || v.startsWith("+")) {
            throw new NumberFormatException(v);
        }
        if (v.length() > 2 && (v.startsWith("0x") || v.startsWith("0X"))) {
            return Long.parseUnsignedLong(v.substring(2), 16);
        }
        if (v.length() > 1 && v.startsWith("0")) {
            return Long.parseUnsignedLong(v.substring(1), 8);
        }
        return Long.parseUnsignedLong(v);
    }

    private static boolean bool(String v, boolean dflt) {
        String x = v.trim().toLowerCase(Locale.ROOT);
        return switch (x) {
            case "on", "true", "yes", "1", "t", "y" -> true;
            case "off", "false", "no", "0", "f", "n" -> false;
            default -> dflt;
        };
    }

    static StartupProcess.Failure invalid(String parameter, String value, String detail) {
        return fatal(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"" + parameter + "\": \"" + value + "\"", detail, null);
    }

    static StartupProcess.Failure fatal(String sqlState, String message, String detail, String hint) {
        return new StartupProcess.Failure(Severity.FATAL, sqlState, message, detail, hint, null);
    }

    /** {@code timezone} as a zone; UTC when unreadable. */
    static ZoneId zone(String v) {
        if (v == null || v.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(v, ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** "starting point-in-time recovery to ..." as PostgreSQL words it. */
    String startMessage() {
        return switch (kind) {
            case XID -> "starting point-in-time recovery to XID " + Integer.toUnsignedString(xid);
            case TIME -> "starting point-in-time recovery to " + timestamptz(time, zone);
            case NAME -> "starting point-in-time recovery to \"" + name + "\"";
            case LSN -> "starting point-in-time recovery to WAL location (LSN) \"" + Lsn.format(lsn) + "\"";
            case IMMEDIATE -> "starting point-in-time recovery to earliest consistent point";
            case UNSET -> "starting archive recovery";
        };
    }

    // ------------------------------------------------------------------ the stop tests

    /** PostgreSQL's recoveryStopsBefore: the LOG line when replay stops before {@code rec}, else null. */
    String stopsBefore(WalRecord rec, boolean consistent) {
        if (kind == Kind.IMMEDIATE && consistent) {
            return "recovery stopping after reaching consistency";
        }
        if (kind == Kind.LSN && !inclusive && Lsn.compare(rec.lsn(), lsn) >= 0) {
            return "recovery stopping before WAL location (LSN) \"" + Lsn.format(rec.lsn()) + "\"";
        }
        int op = xactOp(rec);
        if (op < 0) {
            return null;
        }
        boolean stop = false;
        if (kind == Kind.XID && !inclusive) {
            // only equality: xids are numbered in the order transactions start, not end
            stop = rec.xid() == xid;
        }
        Long ts = xactTime(rec);
        if (kind == Kind.TIME && ts != null) {
            // many transactions can share a commit time: after the last one if inclusive, before the first if not
            stop = inclusive ? ts > time : ts >= time;
        }
        if (!stop) {
            return null;
        }
        return "recovery stopping before " + (isCommit(op) ? "commit" : "abort") + " of transaction "
                + Integer.toUnsignedString(rec.xid()) + ", time " + (ts == null ? "" : timestamptz(ts, zone));
    }

    /** PostgreSQL's recoveryStopsAfter: the LOG line when replay stops after {@code rec}, else null. */
    String stopsAfter(WalRecord rec, boolean consistent) {
        if (kind == Kind.NAME && rec.rmgr() == ResourceManager.XLOG
                && (rec.info() & 0xF0) == (XLOG_RESTORE_POINT & 0xF0)) {
            RestorePoint rp = restorePoint(rec);
            if (rp != null && rp.name().equals(name)) {
                return "recovery stopping at restore point \"" + rp.name() + "\", time " + timestamptz(rp.time(), zone);
            }
        }
        if (kind == Kind.IMMEDIATE && consistent) {
            return "recovery stopping after reaching consistency";
        }
        if (kind == Kind.LSN && inclusive && Lsn.compare(rec.lsn(), lsn) >= 0) {
            return "recovery stopping after WAL location (LSN) \"" + Lsn.format(rec.lsn()) + "\"";
        }
        int op = xactOp(rec);
        if (op >= 0 && kind == Kind.XID && inclusive && rec.xid() == xid) {
            Long ts = xactTime(rec);
            return "recovery stopping after " + (isCommit(op) ? "commit" : "abort") + " of transaction "
                    + Integer.toUnsignedString(rec.xid()) + ", time " + (ts == null ? "" : timestamptz(ts, zone));
        }
        return null;
    }

    private static boolean isCommit(int op) {
        return op == XACT_COMMIT || op == XACT_COMMIT_PREPARED;
    }

    /** The XACT operation of a commit or abort record, or -1 for any other record. */
    static int xactOp(WalRecord rec) {
        if (rec.rmgr() != ResourceManager.XACT) {
            return -1;
        }
        int op = rec.info() & XACT_OPMASK;
        return op == XACT_COMMIT || op == XACT_ABORT || op == XACT_COMMIT_PREPARED || op == XACT_ABORT_PREPARED
                ? op : -1;
    }

    /** The commit (abort) time of an XACT commit or abort record, or null. */
    static Long xactTime(WalRecord rec) {
        if (xactOp(rec) < 0 || rec.mainData().length < 8) {
            return null;
        }
        return rec.mainDataBuffer().getLong(0);
    }

    record RestorePoint(long time, String name) {
    }

    static RestorePoint restorePoint(WalRecord rec) {
        byte[] d = rec.mainData();
        if (d.length < 8) {
            return null;
        }
        long ts = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int end = 8;
        while (end < d.length && end < 8 + MAXFNAMELEN && d[end] != 0) {
            end++;
        }
        return new RestorePoint(ts, new String(d, 8, end - 8, java.nio.charset.StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ timestamptz

    /** Microseconds since 2000-01-01 UTC → Instant. */
    static Instant instant(long pgMicros) {
        long secs = Math.floorDiv(pgMicros, 1_000_000L);
        long micros = Math.floorMod(pgMicros, 1_000_000L);
        return Instant.ofEpochSecond(PG_EPOCH_SECONDS + secs, micros * 1000);
    }

    static long pgMicros(Instant i) {
        return (i.getEpochSecond() - PG_EPOCH_SECONDS) * 1_000_000L + i.getNano() / 1000;
    }

    /**
     * PostgreSQL's timestamptz_to_str (ISO style) in {@code zone}:
     * {@code 2026-09-01 04:05:06.12+00}, {@code 2026-09-01 09:35:06+05:30}.
     */
    static String timestamptz(long pgMicros, ZoneId zone) {
        ZonedDateTime t = instant(pgMicros).atZone(zone);
        StringBuilder sb = new StringBuilder(40);
        sb.append(String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            String f = String.format(Locale.ROOT, "%06d", micros);
            int n = f.length();
            while (f.charAt(n - 1) == '0') {
                n--;
            }
            sb.append('.').append(f, 0, n);
        }
        int off = t.getOffset().getTotalSeconds();
        int a = Math.abs(off);
        sb.append(off < 0 ? '-' : '+').append(String.format(Locale.ROOT, "%02d", a / 3600));
        if (a % 3600 != 0) {
            sb.append(String.format(Locale.ROOT, ":%02d", a % 3600 / 60));
            if (a % 60 != 0) {
                sb.append(String.format(Locale.ROOT, ":%02d", a % 60));
            }
        }
        return sb.toString();
    }

    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T]+(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,6})\\d*)?)?)?\\s*(.*)");
    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d{1,2})(?::?(\\d{2}))?(?::?(\\d{2}))?");

    /**
     * The timestamptz input forms a recovery_target_time is written in:
     * {@code YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][ zone]}, {@code T} allowed as
     * the separator, the zone an offset ({@code +02}, {@code -03:30},
     * {@code +0530}), {@code Z}/{@code UTC}/{@code GMT} or a zone name; none
     * means the {@code timezone} setting. PostgreSQL's special values
     * ({@code now}, {@code today}, ...) are refused, as its check hook does.
     */
    static long parseTimestamptz(String text, ZoneId dflt) {
        Matcher m = TIMESTAMP.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        LocalDate d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
        LocalTime tm = LocalTime.MIDNIGHT;
        if (m.group(4) != null) {
            int nanos = 0;
            if (m.group(7) != null) {
                String f = (m.group(7) + "000000").substring(0, 6);
                nanos = Integer.parseInt(f) * 1000;
            }
            tm = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        }
        String z = m.group(8).trim();
        ZoneId zone;
        if (z.isEmpty()) {
            zone = dflt;
        } else if (z.equalsIgnoreCase("z") || z.equalsIgnoreCase("utc") || z.equalsIgnoreCase("gmt")) {
            zone = ZoneOffset.UTC;
        } else {
            Matcher o = OFFSET.matcher(z);
            if (o.matches()) {
                int secs = Integer.parseInt(o.group(2)) * 3600
                        + (o.group(3) == null ? 0 : Integer.parseInt(o.group(3)) * 60)
                        + (o.group(4) == null ? 0 : Integer.parseInt(o.group(4)));
                zone = ZoneOffset.ofTotalSeconds(o.group(1).equals("-") ? -secs : secs);
            } else {
                zone = ZoneId.of(z, ZoneId.SHORT_IDS);
            }
        }
        return pgMicros(LocalDateTime.of(d, tm).atZone(zone).toInstant());
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(kind.toString());
        parts.add(inclusive ? "inclusive" : "exclusive");
        return String.join(" ", parts);
    }
}
