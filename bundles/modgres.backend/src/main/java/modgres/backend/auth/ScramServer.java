package modgres.backend.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import modgres.api.error.PgException;

/*
 * Design notes
 * ------------
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it:
 *
 *   client-first   gs2-header client-first-bare      "n,,n=*,r=<cnonce>"
 *   server-first                                     "r=<cnonce><snonce>,s=<salt>,i=<iterations>"
 *   client-final   "c=" base64(gs2-header) ",r=" nonce ",p=" base64(ClientProof)
 *   server-final   "v=" base64(ServerSignature)
 *
 *   AuthMessage     = client-first-bare "," server-first "," client-final-without-proof
 *   ClientSignature = HMAC(StoredKey, AuthMessage); ClientKey = ClientProof XOR ClientSignature
 *   accept when SHA-256(ClientKey) == StoredKey; ServerSignature = HMAC(ServerKey, AuthMessage)
 *
 * The user name in the message is ignored (PostgreSQL uses the startup
 * packet's). Channel binding is not offered (no SSL), so the gs2 flag must be
 * 'n' or 'y'. A role without a usable secret gets a "doomed" exchange with a
 * salt derived from a server secret and the name, so that a client cannot
 * tell from the exchange whether the role exists; it fails at the end.
 */

/** One SCRAM-SHA-256 exchange (one authentication attempt). */
public final class ScramServer {
    public static final String MECHANISM = "SCRAM-SHA-256";
    /** PostgreSQL's SCRAM_RAW_NONCE_LEN. */
    private static final int NONCE_BYTES = 18;

    private final Passwords.Scram secret;
    private final boolean doomed;
    private final SecureRandom random;

    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String gs2Header;

    /**
     * @param verifier   the stored SCRAM secret, or null (no role, no or another kind of password)
     * @param user       the role name (for a doomed exchange's salt)
     * @param mockSecret server-wide random bytes for doomed salts
     */
    public ScramServer(String verifier, String user, byte[] mockSecret, SecureRandom random) {
        this.random = random;
        Passwords.Scram s = Passwords.Scram.parse(verifier);
        if (s == null) {
            byte[] h = Passwords.hmac(mockSecret, user == null ? "" : user);
            s = new Passwords.Scram(4096, Arrays.copyOf(h, 16), new byte[32], new byte[32]);
            doomed = true;
        } else {
            doomed = false;
        }
        secret = s;
    }

    /** Whether this exchange can never succeed. */
    public boolean doomed() {
        return doomed;
    }

    /** Reads client-first-message and returns server-first-message. */
    public String clientFirst(byte[] message) {
        String m = new String(message, StandardCharsets.UTF_8);
        if (m.isEmpty()) {
            throw malformed("The message is empty.");
        }
        char flag = m.charAt(0);
        int p;
        switch (flag) {
            case 'n', 'y' -> {
                if (m.length() < 2 || m.charAt(1) != ',') {
                    throw malformed("Comma expected, but found character \"" + safeChar(m, 1) + "\".");
                }
                p = 2;
            }
            case 'p' -> throw malformed("The client selected SCRAM-SHA-256 without channel binding, but the SCRAM"
                    + " message includes channel binding data.");
            default -> throw malformed("Unexpected channel-binding flag \"" + flag + "\".");
        }
        if (p < m.length() && m.charAt(p) == 'a') {
            throw new PgException("0A000", "client uses authorization identity, but it is not supported");
        }
        if (p >= m.length() || m.charAt(p) != ',') {
            throw malformed("Unexpected attribute \"" + safeChar(m, p) + "\" in client-first-message.");
        }
        gs2Header = m.substring(0, p + 1);
        clientFirstBare = m.substring(p + 1);
        String[] attrs = clientFirstBare.split(",", -1);
        if (attrs.length < 2) {
            throw malformed("Expected attribute \"r\" but found end of string.");
        }
        if (attrs[0].startsWith("m=")) {
            throw new PgException("0A000", "client requires an unsupported SCRAM extension");
        }
        if (!attrs[0].startsWith("n=")) {
            throw malformed("Expected attribute \"n\" but found \"" + attrs[0] + "\".");
        }
        if (!attrs[1].startsWith("r=") || attrs[1].length() == 2) {
            throw malformed("Expected attribute \"r\" but found \"" + attrs[1] + "\".");
        }
        String clientNonce = attrs[1].substring(2);
        for (int i = 0; i < clientNonce.length(); i++) {
            char c = clientNonce.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ',') {
                throw malformed("Invalid nonce.");
            }
        }
        byte[] raw = new byte[NONCE_BYTES];
        random.nextBytes(raw);
        nonce = clientNonce + Base64.getEncoder().encodeToString(raw);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(secret.salt()) + ",i="
                + secret.iterations();
        return serverFirst;
    }

    /**
     * Reads client-final-message. Returns server-final-message when the proof
     * is right, null when it is not (a failed password).
     */
    public String clientFinal(byte[] message) {
        if (serverFirst == null) {
            throw malformed("Unexpected client-final-message.");
        }
        String m = new String(message, StandardCharsets.UTF_8);
        int proofAt = m.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw malformed("Malformed proof in client-final-message.");
        }
        String withoutProof = m.substring(0, proofAt);
        String[] attrs = withoutProof.split(",", -1);
        if (attrs.length < 2 || !attrs[0].startsWith("c=")) {
            throw malformed("Expected attribute \"c\" but found \"" + (attrs.length > 0 ? attrs[0] : "") + "\".");
        }
        byte[] cbind;
        try {
            cbind = Base64.getDecoder().decode(attrs[0].substring(2));
        } catch (IllegalArgumentException e) {
            throw malformed("Invalid channel-binding data.");
        }
        if (!Arrays.equals(cbind, gs2Header.getBytes(StandardCharsets.UTF_8))) {
            throw new PgException("08P01", "SCRAM channel binding check failed");
        }
        if (!attrs[1].startsWith("r=")) {
            throw malformed("Expected attribute \"r\" but found \"" + attrs[1] + "\".");
        }
        if (!attrs[1].substring(2).equals(nonce)) {
            throw malformed("Nonce does not match.");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(m.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw malformed("Malformed proof in client-final-message.");
        }
        if (proof.length != 32) {
            throw malformed("Malformed proof in client-final-message.");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = Passwords.hmac(secret.storedKey(), authMessage);
        byte[] clientKey = new byte[32];
        for (int i = 0; i < 32; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        boolean ok = MessageDigest.isEqual(Passwords.sha256(clientKey), secret.storedKey());
        if (doomed || !ok) {
            return null;
        }
        return "v=" + Base64.getEncoder().encodeToString(Passwords.hmac(secret.serverKey(), authMessage));
    }

    private static String safeChar(String s, int i) {
        return i < s.length() ? String.valueOf(s.charAt(i)) : "";
    }

    private static PgException malformed(String detail) {
        return new PgException("08P01", "malformed SCRAM message", detail, null);
    }
}
