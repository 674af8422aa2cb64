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
        ssi.write(a, 1, 100); // b ->rw a
        ssi.write(b, 1, 100); // a ->rw b: both are pivots now
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
        ssi.write(b, 1, 7);
        ssi.write(a, 1, 8);
        assertDoesNotThrow(() -> ssi.preCommit(b));
        assertDoesNotThrow(() -> ssi.preCommit(a));
    }

    @Test
    void transactionsThatDidNotOverlapDoNotConflict() {
        var a = ssi.begin();
        ssi.read(a, 1, 7);
        ssi.write(a, 1, 7);
        ssi.preCommit(a);
        var b = ssi.begin(); // starts after a committed: sees a's writes
        ssi.read(b, 1, 7);
        ssi.write(b, 1, 7);
        assertDoesNotThrow(() -> ssi.preCommit(b));
    }

    @Test
    void theSameRelationInAnotherDatabaseIsAnotherRelation() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.read(a, 1, 100);
        ssi.read(b, 2, 100);
        ssi.write(a, 1, 100); // the write skew pattern, but each in its own database
        ssi.write(b, 2, 100);
        assertDoesNotThrow(() -> ssi.preCommit(a));
        assertDoesNotThrow(() -> ssi.preCommit(b));
    }

    @Test
    void anEdgeToACommittedPivotFailsTheCurrentTransaction() {
        var t1 = ssi.begin();
        var pivot = ssi.begin();
        var t3 = ssi.begin();
        ssi.read(t1, 1, 1);
        ssi.write(pivot, 1, 1); // t1 ->rw pivot
        ssi.read(pivot, 1, 2);
        assertDoesNotThrow(() -> ssi.preCommit(pivot)); // only an in-edge so far
        PgException e = assertThrows(PgException.class, () -> ssi.write(t3, 1, 2)); // pivot ->rw t3
        assertEquals("40001", e.sqlState());
        assertDoesNotThrow(() -> ssi.preCommit(t1));
    }

    @Test
    void anAbortedPartnerNoLongerCounts() {
        var a = ssi.begin();
        var b = ssi.begin();
        ssi.read(a, 1, 100);
        ssi.read(b, 1, 100);
        ssi.write(a, 1, 100);
        ssi.write(b, 1, 100);
        ssi.abort(b);
        assertDoesNotThrow(() -> ssi.preCommit(a));
    }
}
