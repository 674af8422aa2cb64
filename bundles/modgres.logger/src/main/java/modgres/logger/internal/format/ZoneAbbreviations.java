package modgres.logger.internal.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/*
 * PostgreSQL prints the zone of %m, %t and %s (and strftime's %Z) with the
 * abbreviation the tz database gives for that instant: "UTC", "CET"/"CEST",
 * but "-03" for America/Sao_Paulo and "+0545" for Asia/Kathmandu, where the
 * database has no letters. Java's own short names differ for such zones
 * ("BRT", "NPT"), so when the system's compiled tz database is present
 * (/usr/share/zoneinfo, as a PostgreSQL built --with-system-tzdata uses) we
 * read the abbreviation from the zone's TZif file; otherwise we fall back to
 * Java's name, turned into the tz database's numeric style when Java has only
 * a "GMT+03:00" kind of name.
 */

/** The tz database's abbreviation of a zone at an instant (strftime's {@code %Z}). */
public final class ZoneAbbreviations {
    private static final Path DEFAULT_DIR = Paths.get("/usr/share/zoneinfo");
    private static final ZoneAbbreviations SYSTEM = new ZoneAbbreviations(DEFAULT_DIR);

    private final Path zoneinfo;
    private final Map<String, TzFile> cache = new ConcurrentHashMap<>();

    ZoneAbbreviations(Path zoneinfo) {
        this.zoneinfo = zoneinfo;
    }

    /** Uses the system's tz database when there is one. */
    public static ZoneAbbreviations system() {
        return SYSTEM;
    }

    public String abbreviation(ZoneId zone, Instant instant) {
        if (zone instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "UTC" : numeric(offset);
        }
        TzFile tz = cache.computeIfAbsent(zone.getId(), this::load);
        if (tz != TzFile.NONE) {
            String abbr = tz.abbreviation(instant.getEpochSecond(), zone, instant);
            if (abbr != null && !abbr.isEmpty()) {
                return abbr;
            }
        }
        return javaAbbreviation(zone, instant);
    }

    static String javaAbbreviation(ZoneId zone, Instant instant) {
        String name = DateTimeFormatter.ofPattern("zzz", Locale.ROOT).withZone(zone).format(instant);
        if (name.startsWith("GMT") && name.length() > 3) {
            return numeric(zone.getRules().getOffset(instant));
        }
        return name;
    }

    /** The tz database's style for zones without letters: {@code +03}, {@code -0330}. */
    static String numeric(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        char sign = total < 0 ? '-' : '+';
        total = Math.abs(total);
        int hours = total / 3600;
        int minutes = (total / 60) % 60;
        return minutes == 0 ? String.format(Locale.ROOT, "%c%02d", sign, hours)
                : String.format(Locale.ROOT, "%c%02d%02d", sign, hours, minutes);
    }

    private TzFile load(String id) {
        if (id.contains("..") || id.startsWith("/")) {
            return TzFile.NONE;
        }
        Path file = zoneinfo.resolve(id);
        try {
            if (!Files.isRegularFile(file)) {
                return TzFile.NONE;
            }
            return TzFile.parse(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            return TzFile.NONE;
        }
    }

    /** The parts of a TZif file (RFC 8536) that name local time types. */
    static final class TzFile {
        static final TzFile NONE = new TzFile(new long[0], new int[0], new String[0], new boolean[0], null, null);

        private final long[] transitions;
        private final int[] transitionTypes;
        private final String[] typeAbbreviations;
        private final boolean[] typeDst;
        private final String footerStd;
        private final String footerDst;

        private TzFile(long[] transitions, int[] transitionTypes, String[] typeAbbreviations, boolean[] typeDst,
                String footerStd, String footerDst) {
            this.transitions = transitions;
            this.transitionTypes = transitionTypes;
            this.typeAbbreviations = typeAbbreviations;
            this.typeDst = typeDst;
            this.footerStd = footerStd;
            this.footerDst = footerDst;
        }

        String abbreviation(long epochSecond, ZoneId zone, Instant instant) {
            int n = transitions.length;
            if ((n == 0 || epochSecond >= transitions[n - 1]) && footerStd != null) {
                if (footerDst != null && zone.getRules().isDaylightSavings(instant)) {
                    return footerDst;
                }
                return footerStd;
            }
            if (typeAbbreviations.length == 0) {
                return null;
            }
            if (n == 0 || epochSecond < transitions[0]) {
                return typeAbbreviations[0];
            }
            int lo = 0;
            int hi = n - 1;
            while (lo < hi) { // last transition <= epochSecond
                int mid = (lo + hi + 1) >>> 1;
                if (transitions[mid] <= epochSecond) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            int type = transitionTypes[lo];
            return type < typeAbbreviations.length ? typeAbbreviations[type] : null;
        }

        static TzFile parse(byte[] data) {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (data.length < 44 || b.getInt(0) != 0x545a6966) { // "TZif"
                return NONE;
            }
            int version = data[4];
            int[] h = header(b, 20);
            int v1Size = h[0] * 4 + h[1] + h[2] * 6 + h[3] + h[4] * 8 + h[5] + h[6];
            if (version == 0) {
                return block(b, 44, h, 4, data);
            }
            int v2 = 44 + v1Size;
            if (data.length < v2 + 44 || b.getInt(v2) != 0x545a6966) {
                return block(b, 44, h, 4, data);
            }
            int[] h2 = header(b, v2 + 20);
            return block(b, v2 + 44, h2, 8, data);
        }

        /** isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt, (leap bytes extra) */
        private static int[] header(ByteBuffer b, int at) {
            int isut = b.getInt(at);
            int isstd = b.getInt(at + 4);
            int leap = b.getInt(at + 8);
            int time = b.getInt(at + 12);
            int type = b.getInt(at + 16);
            int chars = b.getInt(at + 20);
            // order used for sizes: time, time-index, type, chars, leap(8 or 12), isstd, isut
            return new int[] { time, time, type, chars, leap, isstd, isut };
        }

        private static TzFile block(ByteBuffer b, int at, int[] h, int timeSize, byte[] data) {
            int timecnt = h[0];
            int typecnt = h[2];
            int charcnt = h[3];
            int leapcnt = h[4];
            long[] transitions = new long[timecnt];
            int p = at;
            for (int i = 0; i < timecnt; i++) {
                transitions[i] = timeSize == 8 ? b.getLong(p) : b.getInt(p);
                p += timeSize;
            }
            int[] types = new int[timecnt];
            for (int i = 0; i < timecnt; i++) {
                types[i] = data[p++] & 0xff;
            }
            int[] abbrIndex = new int[typecnt];
            boolean[] dst = new boolean[typecnt];
            for (int i = 0; i < typecnt; i++) {
                dst[i] = data[p + 4] != 0;
                abbrIndex[i] = data[p + 5] & 0xff;
                p += 6;
            }
            int charsAt = p;
            String[] abbrs = new String[typecnt];
            for (int i = 0; i < typecnt; i++) {
                int s = charsAt + abbrIndex[i];
                int e = s;
                while (e < charsAt + charcnt && data[e] != 0) {
                    e++;
                }
                abbrs[i] = new String(data, s, e - s, StandardCharsets.US_ASCII);
            }
            p = charsAt + charcnt + leapcnt * (timeSize + 4) + h[5] + h[6];
            String std = null;
            String dstName = null;
            if (timeSize == 8 && p < data.length && data[p] == '\n') {
                int end = p + 1;
                while (end < data.length && data[end] != '\n') {
                    end++;
                }
                String footer = new String(data, p + 1, end - p - 1, StandardCharsets.US_ASCII);
                String[] names = footerNames(footer);
                std = names[0];
                dstName = names[1];
            }
            return new TzFile(transitions, types, abbrs, dst, std, dstName);
        }

        /** The std and dst names of a POSIX TZ string such as {@code CET-1CEST,M3.5.0,M10.5.0/3} or {@code <-03>3}. */
        static String[] footerNames(String tz) {
            String[] out = new String[2];
            int[] pos = { 0 };
            out[0] = name(tz, pos);
            if (out[0] == null) {
                return out;
            }
            // offset
            while (pos[0] < tz.length() && "+-0123456789:".indexOf(tz.charAt(pos[0])) >= 0) {
                pos[0]++;
            }
            out[1] = name(tz, pos);
            return out;
        }

        private static String name(String tz, int[] pos) {
            int i = pos[0];
            if (i >= tz.length()) {
                return null;
            }
            if (tz.charAt(i) == '<') {
                int end = tz.indexOf('>', i);
                if (end < 0) {
                    return null;
                }
                pos[0] = end + 1;
                return tz.substring(i + 1, end);
            }
            int s = i;
            while (i < tz.length() && Character.isLetter(tz.charAt(i))) {
                i++;
            }
            if (i == s) {
                return null;
            }
            pos[0] = i;
            return tz.substring(s, i);
        }
    }
}
