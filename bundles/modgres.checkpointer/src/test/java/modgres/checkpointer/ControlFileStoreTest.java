package modgres.checkpointer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.control.ClusterState;
import modgres.api.control.ControlData;
import modgres.api.error.PgException;
import modgres.api.wal.Lsn;

class ControlFileStoreTest {
    @TempDir
    Path dir;

    private static ControlData sample() {
        return new ControlData(7_312_345_678_901_234_567L, ClusterState.IN_PRODUCTION, 1_790_000_000L,
                Lsn.parse("0/1A3C8E0"), Lsn.parse("0/1A3C000"), 1, 1_789_999_990L, 7_35L, 16_400, 1,
                16 * 1024 * 1024, 8192);
    }

    @Test
    void anAbsentFileGivesTheControlDataOfANewCluster() {
        ControlFileStore store = new ControlFileStore(dir, 16 * 1024 * 1024, 1);
        ControlData d = store.read();
        assertEquals(ClusterState.SHUT_DOWN, d.state());
        assertFalse(Lsn.isValid(d.checkpoint()));
        assertEquals(1, d.timeline());
        assertEquals(16 * 1024 * 1024, d.walSegmentSize());
        assertEquals(1, d.dataChecksumVersion());
        assertTrue(d.systemIdentifier() != 0);
        assertFalse(Files.exists(store.path()), "reading does not create the file");
    }

    @Test
    void roundTripThroughOneBlock() throws Exception {
        ControlFileStore store = new ControlFileStore(dir, 16 * 1024 * 1024, 1);
        store.write(sample());
        assertEquals(ControlFileStore.FILE_SIZE, Files.size(store.path()));
        assertEquals(sample(), store.read());
        assertEquals(sample(), new ControlFileStore(dir, 1 << 20, 0).read(), "a new store reads the same file");
        byte[] bytes = Files.readAllBytes(store.path());
        for (int i = ControlFileStore.DATA_LENGTH + 4; i < bytes.length; i++) {
            assertEquals(0, bytes[i], "padding is zero at " + i);
        }
        assertFalse(Files.exists(dir.resolve("global/pg_control.tmp")), "the temporary file was renamed");
    }

    @Test
    void aCorruptedByteIsAnIncorrectChecksum() throws Exception {
        ControlFileStore store = new ControlFileStore(dir, 16 * 1024 * 1024, 1);
        store.write(sample());
        byte[] bytes = Files.readAllBytes(store.path());
        bytes[33] ^= 0x01; // inside the checkpoint location
        Files.write(store.path(), bytes);
        PgException e = assertThrows(PgException.class, store::read);
        assertEquals("incorrect checksum in control file", e.getMessage());
        assertEquals("XX001", e.sqlState());
    }

    @Test
    void aTruncatedFileIsRefused() throws Exception {
        ControlFileStore store = new ControlFileStore(dir, 16 * 1024 * 1024, 1);
        store.write(sample());
        byte[] bytes = Files.readAllBytes(store.path());
        Files.write(store.path(), java.util.Arrays.copyOf(bytes, 512));
        assertThrows(PgException.class, store::read);
    }

    @Test
    void aLeftoverTemporaryFileNeverReplacesTheGoodOne() throws Exception {
        ControlFileStore store = new ControlFileStore(dir, 16 * 1024 * 1024, 1);
        store.write(sample());
        byte[] good = Files.readAllBytes(store.path());
        // A crash in the middle of a later write leaves a partial temporary file.
        Path tmp = dir.resolve("global/pg_control.tmp");
        Files.write(tmp, new byte[] {1, 2, 3, 4, 5});
        assertEquals(sample(), store.read());
        assertEquals(sample(), new ControlFileStore(dir, 16 * 1024 * 1024, 1).read(), "also after a restart");
        assertArrayEquals(good, Files.readAllBytes(store.path()));
        // The next write overwrites the leftover and replaces the file as a whole.
        ControlData next = sample().withState(ClusterState.SHUT_DOWN, 1_790_000_100L);
        store.write(next);
        assertFalse(Files.exists(tmp));
        assertEquals(next, store.read());
    }

    @Test
    void anotherLayoutIsIncompatible() throws Exception {
        ControlFileStore store = new ControlFileStore(dir, 16 * 1024 * 1024, 1);
        byte[] bytes = ControlFileStore.encode(sample());
        bytes[4] = 9; // layout version 9, with a CRC that matches
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, ControlFileStore.DATA_LENGTH);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(ControlFileStore.DATA_LENGTH, (int) crc.getValue());
        Files.createDirectories(store.path().getParent());
        Files.write(store.path(), bytes);
        PgException e = assertThrows(PgException.class, store::read);
        assertEquals("database files are incompatible with server", e.getMessage());
    }

    @Test
    void clusterStatesUsePostgresNumbersAndWords() {
        assertEquals(0, ClusterState.STARTING_UP.code());
        assertEquals(6, ClusterState.IN_PRODUCTION.code());
        assertEquals("in production", ClusterState.IN_PRODUCTION.label());
        assertEquals("shut down", ClusterState.SHUT_DOWN.label());
        assertEquals("in crash recovery", ClusterState.IN_CRASH_RECOVERY.label());
        assertEquals(ClusterState.SHUTTING_DOWN, ClusterState.ofCode(3));
    }
}
