package modgres.api.buffer;

/**
 * What one round of {@link BufferPool#writeAheadOfClock} did.
 *
 * @param allocated     buffers allocated for new blocks since the previous round
 * @param scanned       buffers looked at ahead of the clock hand in this round
 * @param written       dirty buffers written in this round
 * @param reusable      buffers found in this round that the clock could take at once
 *                      (unpinned, usage count 0, clean after the round)
 * @param hitMaxPages   true when the round stopped because it wrote {@code maxPages}
 * @param canHibernate  true when nothing was allocated since the previous round and the
 *                      scan is a whole pool ahead of the hand: the bgwriter may sleep longer
 */
public record BgWriterRound(long allocated, int scanned, int written, int reusable, boolean hitMaxPages,
        boolean canHibernate) {
}
