package modgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class ScramVerifierTest {

    @Test
    void matchesAnIndependentComputationOfRfc7677sExample() {
        // Salt and password of RFC 7677's example; expected value computed with Python's hashlib/hmac.
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        assertEquals("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="
                + ":wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=", ScramVerifier.create("pencil", salt, 4096));
    }

    @Test
    void randomSaltMakesEachVerifierDifferent() {
        String a = ScramVerifier.create("secret");
        String b = ScramVerifier.create("secret");
        assertTrue(a.startsWith("SCRAM-SHA-256$4096:"));
        assertNotEquals(a, b);
    }
}
