package modgres.api.access;

import java.nio.ByteBuffer;

/**
 * Orders index keys for the B-tree. Keys are opaque to the index: byte
 * strings its owner encodes. A probe may be shorter than a stored key (a
 * prefix of the columns); the comparator then compares the probe's columns
 * only, so a probe equal to a stored key's prefix compares as equal.
 */
@FunctionalInterface
public interface KeyComparator {

    /** Sign of probe - stored, where stored is {@code length} bytes at {@code offset} of {@code page} (absolute access). */
    int compare(byte[] probe, ByteBuffer page, int offset, int length);

    /**
     * Unsigned lexicographic order over the probe's length: for keys encoded
     * order-preserving (memcmp-comparable) by their owner. A stored key that is a
     * proper prefix of the probe sorts before it.
     */
    KeyComparator BYTEWISE = (probe, page, offset, length) -> {
        int n = Math.min(probe.length, length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(probe[i] & 0xFF, page.get(offset + i) & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return probe.length <= length ? 0 : 1;
    };
}
