package modgres.backend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/** The exchange with a client written from RFC 5802 here in the test. */
class ScramServerTest {
    static final byte[] SECRET = new byte[32];

    static String verifier(String password) throws Exception {
        byte[] salt = "saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII);
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 4096, 256)).getEncoded();
        Base64.Encoder b = Base64.getEncoder();
        return "SCRAM-SHA-256$4096:" + b.encodeToString(salt) + "$"
                + b.encodeToString(MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"))) + ":"
                + b.encodeToString(hmac(salted, "Server Key"));
    }

    static byte[] hmac(byte[] key, String s) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m.doFinal(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the client side; returns the server's final message (or null). */
    static String exchange(ScramServer server, String password, String gs2) throws Exception {
        String bare = "n=*,r=clientnonce";
        String serverFirst = server.clientFirst((gs2 + bare).getBytes(StandardCharsets.UTF_8));
        String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
        byte[] salt = Base64.getDecoder().decode(serverFirst.split(",")[1].substring(2));
        int iterations = Integer.parseInt(serverFirst.split(",")[2].substring(2));
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(gs2.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        String authMessage = bare + "," + serverFirst + "," + withoutProof;
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[32];
        for (int i = 0; i < 32; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        String result = server.clientFinal((withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.UTF_8));
        if (result != null) {
            byte[] serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
            assertEquals("v=" + Base64.getEncoder().encodeToString(serverSignature), result);
        }
        return result;
    }

    @Test
    void rightAndWrongPasswords() throws Exception {
        String v = verifier("pencil");
        assertEquals(true, exchange(new ScramServer(v, "u", SECRET, new SecureRandom()), "pencil", "n,,") != null);
        assertEquals(true, exchange(new ScramServer(v, "u", SECRET, new SecureRandom()), "pencil", "y,,") != null);
        assertNull(exchange(new ScramServer(v, "u", SECRET, new SecureRandom()), "pen", "n,,"));
    }

    @Test
    void doomedExchangesLookNormalAndFail() throws Exception {
        ScramServer a = new ScramServer(null, "ghost", SECRET, new SecureRandom());
        ScramServer b = new ScramServer(null, "ghost", SECRET, new SecureRandom());
        String fa = a.clientFirst("n,,n=*,r=abc".getBytes(StandardCharsets.UTF_8));
        String fb = b.clientFirst("n,,n=*,r=abc".getBytes(StandardCharsets.UTF_8));
        assertEquals(fa.substring(fa.indexOf(",s=")), fb.substring(fb.indexOf(",s=")), "same salt each time");
        assertNull(exchange(new ScramServer(null, "ghost", SECRET, new SecureRandom()), "x", "n,,"));
    }

    @Test
    void malformedMessages() {
        ScramServer s = new ScramServer(null, "u", SECRET, new SecureRandom());
        PgException e = assertThrows(PgException.class,
                () -> s.clientFirst("p=tls-unique,,n=*,r=x".getBytes(StandardCharsets.UTF_8)));
        assertEquals("08P01", e.sqlState());
        assertEquals("malformed SCRAM message", e.getMessage());
        e = assertThrows(PgException.class, () -> s.clientFirst("n,a=bob,n=*,r=x".getBytes(StandardCharsets.UTF_8)));
        assertEquals("0A000", e.sqlState());
        e = assertThrows(PgException.class, () -> s.clientFirst("n,,m=ext,n=*,r=x".getBytes(StandardCharsets.UTF_8)));
        assertEquals("client requires an unsupported SCRAM extension", e.getMessage());
        e = assertThrows(PgException.class, () -> s.clientFinal("c=biws,r=x,p=AAAA".getBytes(StandardCharsets.UTF_8)));
        assertEquals("malformed SCRAM message", e.getMessage());
    }

    @Test
    void passwordsHelpers() throws Exception {
        assertEquals(Passwords.Type.MD5, Passwords.type("md5" + "0".repeat(32)));
        assertEquals(Passwords.Type.SCRAM_SHA_256, Passwords.type(verifier("x")));
        assertEquals(Passwords.Type.PLAINTEXT, Passwords.type("secret"));
        assertEquals(true, Passwords.verifyPlain("u", "pencil", verifier("pencil")));
        assertEquals(false, Passwords.verifyPlain("u", "pencil!", verifier("pencil")));
        assertEquals(true, Passwords.verifyPlain("u", "pw", Passwords.md5Verifier("pw", "u")));
        // md5("pw" + "u") then md5(that hex + salt), as libpq computes it
        String stored = Passwords.md5Verifier("pw", "u");
        byte[] salt = {1, 2, 3, 4};
        String expected = "md5" + Passwords.md5Hex(concat(stored.substring(3).getBytes(StandardCharsets.US_ASCII),
                salt));
        assertEquals(expected, Passwords.md5Response(stored, salt));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
