package modgres.api.wal;

import java.nio.ByteBuffer;
import java.util.Objects;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;

/**
 * One block a WAL record changes (PostgreSQL's registered buffer): which block
 * of which relation fork, optionally a full-page image of the block, and
 * optionally data for the block's redo routine.
 *
 * <p>Two kinds exist. A reference <em>to be inserted</em> comes from
 * {@link WalRecord.Builder#block}: it carries the page itself (the buffer's
 * {@link BufferPool#page page}, locked exclusively by the caller until the
 * insert returns) and {@code flags} saying whether an image may, must or must
 * not be taken; the WAL decides at insert time (see
 * {@link Wal#needsFullPageImage}). A <em>decoded</em> reference, read back
 * from the log, carries the {@link #image()} if one was taken, with any hole
 * filled with zeros, and the {@link #data()}.
 */
public final class BlockReference {

    /** Always take a full-page image (PostgreSQL's {@code REGBUF_FORCE_IMAGE}). */
    public static final int FORCE_IMAGE = 0x01;
    /** Never take a full-page image ({@code REGBUF_NO_IMAGE}); the page may be null. */
    public static final int NO_IMAGE = 0x02;
    /**
     * Redo rebuilds the page from scratch and need not read it
     * ({@code REGBUF_WILL_INIT}); implies {@link #NO_IMAGE}.
     */
    public static final int WILL_INIT = 0x04 | NO_IMAGE;
    /**
     * The page has the standard layout ({@code REGBUF_STANDARD}): the unused
     * space between {@code pd_lower} (bytes 12..13) and {@code pd_upper}
     * (14..15) is zeros and is left out of an image.
     */
    public static final int STANDARD = 0x08;
    /** Keep the block data even when an image is taken ({@code REGBUF_KEEP_DATA}); otherwise it is dropped. */
    public static final int KEEP_DATA = 0x10;

    private static final int KNOWN_FLAGS = FORCE_IMAGE | WILL_INIT | STANDARD | KEEP_DATA;

    private final RelFileNode rel;
    private final ForkNumber fork;
    private final int block;
    private final int flags;
    private final ByteBuffer page;
    private final byte[] image;
    private final byte[] data;

    private BlockReference(RelFileNode rel, ForkNumber fork, int block, int flags, ByteBuffer page, byte[] image,
            byte[] data) {
        this.rel = Objects.requireNonNull(rel, "rel");
        this.fork = Objects.requireNonNull(fork, "fork");
        this.block = block;
        this.flags = flags;
        this.page = page;
        this.image = image;
        this.data = data;
    }

    /**
     * A reference to insert. {@code page} is the block's
     * {@value BufferPool#BLOCK_SIZE}-byte page (absolute reads from index 0;
     * its position and limit are not used); it may be null only with
     * {@link #NO_IMAGE} or {@link #WILL_INIT}. {@code data} may be null; it is
     * not copied, so leave it unchanged until the insert returns.
     */
    public static BlockReference of(RelFileNode rel, ForkNumber fork, int block, ByteBuffer page, int flags,
            byte[] data) {
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown block reference flags 0x" + Integer.toHexString(flags));
        }
        if ((flags & FORCE_IMAGE) != 0 && (flags & NO_IMAGE) != 0) {
            throw new IllegalArgumentException("FORCE_IMAGE contradicts NO_IMAGE/WILL_INIT");
        }
        if (page == null && (flags & NO_IMAGE) == 0) {
            throw new IllegalArgumentException("a block that may get a full-page image needs its page");
        }
        if (page != null && page.capacity() < BufferPool.BLOCK_SIZE) {
            throw new IllegalArgumentException("a page has " + BufferPool.BLOCK_SIZE + " bytes");
        }
        if (data != null && data.length > WalRecord.MAX_BLOCK_DATA) {
            throw new IllegalArgumentException("block data longer than " + WalRecord.MAX_BLOCK_DATA + " bytes");
        }
        return new BlockReference(rel, fork, block, flags, page, null, data);
    }

    /**
     * A reference read back from the log (for WAL implementations).
     * {@code image} is a whole page or null; {@code data} may be null.
     */
    public static BlockReference decoded(RelFileNode rel, ForkNumber fork, int block, boolean willInit,
            byte[] image, byte[] data) {
        if (image != null && image.length != BufferPool.BLOCK_SIZE) {
            throw new IllegalArgumentException("an image has " + BufferPool.BLOCK_SIZE + " bytes");
        }
        return new BlockReference(rel, fork, block, willInit ? WILL_INIT : 0, null, image, data);
    }

    public RelFileNode rel() {
        return rel;
    }

    public ForkNumber fork() {
        return fork;
    }

    /** The block number, unsigned. */
    public int block() {
        return block;
    }

    /** The flags given to {@link #of}; for a decoded reference {@link #WILL_INIT} or 0. */
    public int flags() {
        return flags;
    }

    public boolean willInit() {
        return (flags & WILL_INIT) == WILL_INIT;
    }

    /** The page to take an image of (references to insert only; null for decoded ones). */
    public ByteBuffer page() {
        return page;
    }

    /** True for a decoded reference that carries a full-page image. */
    public boolean hasImage() {
        return image != null;
    }

    /**
     * The full-page image of a decoded reference ({@value BufferPool#BLOCK_SIZE}
     * bytes, any hole filled with zeros), or null. The array belongs to the
     * record: copy it into the buffer, do not change it.
     */
    public byte[] image() {
        return image;
    }

    /** The block's data for its redo routine, or null. Do not change the array. */
    public byte[] data() {
        return data;
    }

    /** {@code rel 1663/5/16384 fork main blk 7 FPW}, in the manner of {@code pg_waldump}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("rel ").append(rel);
        if (fork != ForkNumber.MAIN) {
            sb.append(" fork ").append(fork.forkName());
        }
        sb.append(" blk ").append(Integer.toUnsignedString(block));
        if (image != null) {
            sb.append(" FPW");
        }
        if (willInit()) {
            sb.append(" (init)");
        }
        return sb.toString();
    }
}
