package modgres.backend.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stored passwords (pg_authid.rolpassword) and their checks: {@code md5}
 * followed by 32 hex digits (md5 of password + role name), or a SCRAM-SHA-256
 * secret {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}.
 *
 * <p>SASLprep is simplified: the password's UTF-8 bytes are used as they
 * are (PostgreSQL normalises with SASLprep when the password is valid UTF-8;
 * the two agree for every ASCII password and for passwords already in NFKC
 * without mapped or prohibited characters).
 */
public final class Passwords {
    /** PostgreSQL's password types. */
    public enum Type {
        MD5, SCRAM_SHA_256, PLAINTEXT
    }

    private Passwords() {
    }

    /** The kind of a stored password (PostgreSQL's get_password_type). */
    public static Type type(String verifier) {
        if (verifier.length() == 35 && verifier.startsWith("md5") && isHex(verifier.substring(3))) {
            return Type.MD5;
        }
        if (Scram.parse(verifier) != null) {
            return Type.SCRAM_SHA_256;
        }
        return Type.PLAINTEXT;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** {@code md5} + hex(md5(password + user)): what pg_authid holds for an md5 password. */
    public static String md5Verifier(String password, String user) {
        return "md5" + md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
    }

    /** What a client answers to AuthenticationMD5Password for a stored md5 verifier and the salt. */
    public static String md5Response(String md5Verifier, byte[] salt) {
        byte[] hexPart = md5Verifier.substring(3).getBytes(StandardCharsets.US_ASCII);
        byte[] in = new byte[hexPart.length + salt.length];
        System.arraycopy(hexPart, 0, in, 0, hexPart.length);
        System.arraycopy(salt, 0, in, hexPart.length, salt.length);
        return "md5" + md5Hex(in);
    }

    static String md5Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a cleartext password matches a stored one (PostgreSQL's plain_crypt_verify). */
    public static boolean verifyPlain(String user, String password, String verifier) {
        switch (type(verifier)) {
            case MD5 -> {
                return constantTimeEquals(md5Verifier(password, user), verifier);
            }
            case SCRAM_SHA_256 -> {
                Scram s = Scram.parse(verifier);
                byte[] salted = saltedPassword(password, s.salt(), s.iterations());
                return MessageDigest.isEqual(hmac(salted, "Server Key"), s.serverKey())
                        && MessageDigest.isEqual(sha256(hmac(salted, "Client Key")), s.storedKey());
            }
            default -> {
                return false; // PostgreSQL never stores a plain password any more
            }
        }
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A parsed SCRAM-SHA-256 secret.
     */
    public record Scram(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
        /** Parses a stored secret; null when it is not one. */
        public static Scram parse(String v) {
            if (v == null || !v.startsWith("SCRAM-SHA-256$")) {
                return null;
            }
            String rest = v.substring("SCRAM-SHA-256$".length());
            int dollar = rest.indexOf('$');
            if (dollar < 0) {
                return null;
            }
            String[] a = rest.substring(0, dollar).split(":", -1);
            String[] b = rest.substring(dollar + 1).split(":", -1);
            if (a.length != 2 || b.length != 2) {
                return null;
            }
            try {
                int it = Integer.parseInt(a[0]);
                Base64.Decoder d = Base64.getDecoder();
                byte[] salt = d.decode(a[1]);
                byte[] stored = d.decode(b[0]);
                byte[] server = d.decode(b[1]);
                if (it <= 0 || stored.length != 32 || server.length != 32 || salt.length == 0) {
                    return null;
                }
                return new Scram(it, salt, stored, server);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM-SHA-256 is not available in this JVM", e);
        }
    }

    static byte[] hmac(byte[] key, String text) {
        return hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
