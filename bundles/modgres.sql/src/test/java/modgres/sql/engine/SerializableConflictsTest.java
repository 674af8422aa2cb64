package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/** The SSI rules of {@link SerializableConflicts} without a server: which interleavings fail, and who. */
class SerializableConflictsTest {
    final SerializableConflicts ssi = new SerializableConflicts();

    @Test
    void writeSkewFailsTheFirstToCommitAndLetsTheOtherThrough() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.read(a, 1, 100);
        ssi.read(b, 1, 100);
        ssi.write(a, 1, 100, false); // b ->rw a
        ssi.write(b, 1, 100, false); // a ->rw b: both are pivots now
        PgException e = assertThrows(PgException.class, () -> ssi.preCommit(a));
        assertEquals("40001", e.sqlState());
        assertDoesNotThrow(() -> ssi.preCommit(b), "its partner is gone");
        assertEquals(0, ssi.tracked(), "nothing active: everything forgotten");
    }

    @Test
    void aSingleDependencyIsNoCycle() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.read(a, 1, 7);
        ssi.write(b, 1, 7, false);
        ssi.write(a, 1, 8, false);
        assertDoesNotThrow(() -> ssi.preCommit(b));
        assertDoesNotThrow(() -> ssi.preCommit(a));
    }

    @Test
    void transactionsThatDidNotOverlapDoNotConflict() {
        var a = ssi.begin();
        ssi.read(a, 1, 7);
        ssi.write(a, 1, 7, false);
        ssi.preCommit(a);
        var b = ssi.begin(); // starts after a committed: sees a's writes
        ssi.read(b, 1, 7);
        ssi.write(b, 1, 7, false);
        assertDoesNotThrow(() -> ssi.preCommit(b));
    }

    @Test
    void theSameRelationInAnotherDatabaseIsAnotherRelation() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.read(a, 1, 100);
        ssi.read(b, 2, 100);
        ssi.write(a, 1, 100, false); // the write skew pattern, but each in its own database
        ssi.write(b, 2, 100, false);
        assertDoesNotThrow(() -> ssi.preCommit(a));
        assertDoesNotThrow(() -> ssi.preCommit(b));
    }

    @Test
    void anEdgeToACommittedPivotFailsTheCurrentTransaction() {
        var t1 = ssi.begin();
        var pivot = ssi.begin();
        var t3 = ssi.begin();
        ssi.read(t1, 1, 1);
        ssi.write(pivot, 1, 1, false); // t1 ->rw pivot
        ssi.read(pivot, 1, 2);
        assertDoesNotThrow(() -> ssi.preCommit(pivot)); // only an in-edge so far
        PgException e = assertThrows(PgException.class, () -> ssi.write(t3, 1, 2, false)); // pivot ->rw t3
        assertEquals("40001", e.sqlState());
        assertDoesNotThrow(() -> ssi.preCommit(t1));
    }

    @Test
    void anAbortedPartnerNoLongerCounts() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.read(a, 1, 100);
        ssi.read(b, 1, 100);
        ssi.write(a, 1, 100, false);
        ssi.write(b, 1, 100, false);
        ssi.abort(b);
        assertDoesNotThrow(() -> ssi.preCommit(a));
    }

    private static byte[] key(int k) {
        return new byte[] {(byte) k};
    }

    @Test
    void pointReadsAndKeyedWritesOfDifferentRowsAreIndependent() {
        // tpcb-like: each reads and updates its own account by primary key (index 200 of table 100)
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.readKey(a, 1, 100, 200, key(1));
        ssi.readKey(b, 1, 100, 200, key(2));
        ssi.write(a, 1, 100, true);
        ssi.writeKey(a, 1, 100, 200, key(1));
        ssi.write(b, 1, 100, true);
        ssi.writeKey(b, 1, 100, 200, key(2));
        assertDoesNotThrow(() -> ssi.preCommit(a));
        assertDoesNotThrow(() -> ssi.preCommit(b));
    }

    @Test
    void writeSkewOnKeysStillFails() {
        // each reads both doctors' rows by key and takes one of them off call
        var a = ssi.begin();
        var b = ssi.begin();
        for (var t : java.util.List.of(a, b)) {
            ssi.readKey(t, 1, 100, 200, key(1));
            ssi.readKey(t, 1, 100, 200, key(2));
        }
        ssi.write(a, 1, 100, true);
        ssi.writeKey(a, 1, 100, 200, key(1)); // b ->rw a
        ssi.write(b, 1, 100, true);
        ssi.writeKey(b, 1, 100, 200, key(2)); // a ->rw b
        assertEquals("40001", assertThrows(PgException.class, () -> ssi.preCommit(a)).sqlState());
        assertDoesNotThrow(() -> ssi.preCommit(b));
    }

    @Test
    void aPointReadThatFoundNothingDependsOnTheInsertOfItsKey() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.readKey(a, 1, 100, 200, key(5)); // a: no row 5
        ssi.readKey(b, 1, 100, 200, key(6)); // b: no row 6
        ssi.write(a, 1, 100, true);
        ssi.writeKey(a, 1, 100, 200, key(6)); // a inserts 6: b ->rw a
        ssi.write(b, 1, 100, true);
        ssi.writeKey(b, 1, 100, 200, key(5)); // b inserts 5: a ->rw b
        assertEquals("40001", assertThrows(PgException.class, () -> ssi.preCommit(a)).sqlState());
    }

    @Test
    void anUnkeyedWriteConflictsWithEveryPointRead() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.readKey(a, 1, 100, 200, key(1));
        ssi.read(b, 1, 300);
        ssi.write(b, 1, 100, false); // COPY into 100: a ->rw b
        ssi.write(a, 1, 300, true); // b ->rw a: a cycle
        assertEquals("40001", assertThrows(PgException.class, () -> ssi.preCommit(b)).sqlState());
    }

    @Test
    void aRelationReadConflictsWithAKeyedWrite() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.read(a, 1, 100); // a scans 100 whole
        ssi.readKey(b, 1, 300, 400, key(1));
        ssi.write(b, 1, 100, true);
        ssi.writeKey(b, 1, 100, 200, key(9)); // a ->rw b
        ssi.write(a, 1, 300, true);
        ssi.writeKey(a, 1, 300, 400, key(1)); // b ->rw a
        assertEquals("40001", assertThrows(PgException.class, () -> ssi.preCommit(a)).sqlState());
    }
}
