package modgres.logger.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/*
 * When the logger bundle is updated, the new instance reads the Log Service's
 * history like any new instance would. The old one leaves a watermark in the
 * bundle's data area (which survives an update) so that the new one does not
 * write those entries a second time. The format is "sequence time\n".
 */

/** The last entry a logger instance wrote, kept across bundle updates. */
final class Watermark {
    private Watermark() {
    }

    /** {sequence, time}, or {-1, Long.MIN_VALUE} when there is none. */
    static long[] read(Path file) {
        long[] none = { -1, Long.MIN_VALUE };
        if (file == null) {
            return none;
        }
        try {
            String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+");
            if (parts.length != 2) {
                return none;
            }
            return new long[] { Long.parseLong(parts[0]), Long.parseLong(parts[1]) };
        } catch (IOException | RuntimeException e) {
            return none;
        }
    }

    static void write(Path file, long sequence, long time) {
        if (file == null || sequence < 0) {
            return;
        }
        try {
            Files.writeString(file, sequence + " " + time + "\n", StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException ignored) {
            // at worst the next instance writes some history entries again
        }
    }
}
