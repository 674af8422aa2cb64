package modgres.backend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import modgres.api.backend.Peer;
import modgres.api.error.PgException;
import modgres.api.sql.SqlEngine.Role;
import modgres.backend.auth.HbaFile;
import modgres.backend.auth.HbaLine;
import modgres.backend.auth.Passwords;
import modgres.backend.auth.ScramServer;
import modgres.backend.protocol.Messages;
import modgres.backend.protocol.PgReader;
import modgres.backend.protocol.PgWriter;

/*
 * Design notes
 * ------------
 * PostgreSQL's ClientAuthentication for the methods of HbaLine.Method:
 *
 *   no matching record   FATAL 28000 no pg_hba.conf entry for host "h", user "u", database "d", no encryption
 *   reject               FATAL 28000 pg_hba.conf rejects connection for host ...
 *   trust                AuthenticationOk
 *   password             AuthenticationCleartextPassword; 'p' password; checked against md5 or SCRAM secret
 *   md5                  md5 secret: AuthenticationMD5Password(salt); 'p' "md5"+hex(md5(hex(md5(pw+user))+salt))
 *                        SCRAM secret (or none and password_encryption = scram-sha-256): as scram-sha-256
 *   scram-sha-256        AuthenticationSASL [SCRAM-SHA-256]; 'p' SASLInitialResponse; SASLContinue;
 *                        'p' SASLResponse; SASLFinal; (then AuthenticationOk)
 *
 * A role that does not exist, or has no usable password, goes through the
 * same exchange and fails at its end, so the client cannot tell. A failure is
 * FATAL 28P01 password authentication failed for user "u"; why (and which
 * pg_hba.conf line matched) goes to the server log only. A client that closes
 * the connection when asked for a password (psql does, to prompt its user)
 * ends the backend silently.
 */

/** Runs client authentication for one backend. */
final class ClientAuth {
    /** The client went away during authentication: end without a word, as PostgreSQL does. */
    static final class ClientEof extends IOException {
        private static final long serialVersionUID = 1L;

        ClientEof() {
            super("client closed the connection during authentication", null);
        }
    }

    /** PostgreSQL's limit for SASL messages (PG_MAX_AUTH_TOKEN_LENGTH). */
    private static final int MAX_AUTH_TOKEN = 65535;
    /** PostgreSQL's limit for a password message. */
    private static final int MAX_PASSWORD = 1000;

    private final Environment env;
    private final PgReader in;
    private final PgWriter out;
    private final Peer peer;
    private final String user;
    private final String database;

    ClientAuth(Environment env, PgReader in, PgWriter out, Peer peer, String user, String database) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.peer = peer;
        this.user = user;
        this.database = database;
    }

    private String hostInfo() {
        return peer.unixSocket() ? "[local]" : peer.address();
    }

    /**
     * Authenticates; returns the role (empty when trust let in a name that
     * does not exist: opening the session then fails). AuthenticationOk is
     * not sent here.
     */
    Optional<Role> authenticate() throws IOException {
        HbaFile hba = env.hba();
        InetAddress address = null;
        if (!peer.unixSocket()) {
            address = literal(peer.address());
        }
        HbaLine line = hba.match(new HbaFile.Connection(peer.unixSocket(), address, database, user, false),
                String::equals);
        if (line == null) {
            throw new FatalException("28000", "no pg_hba.conf entry for host \"" + hostInfo() + "\", user \""
                    + user + "\", database \"" + database + "\", no encryption");
        }
        String matched = "Connection matched pg_hba.conf line " + line.lineNumber() + ": \"" + line.rawLine()
                + "\"";
        switch (line.method()) {
            case REJECT -> throw new FatalException("28000", "pg_hba.conf rejects connection for host \""
                    + hostInfo() + "\", user \"" + user + "\", database \"" + database + "\", no encryption");
            case TRUST -> {
                return env.role(user);
            }
            case PASSWORD -> {
                return cleartext(matched);
            }
            case MD5, SCRAM_SHA_256 -> {
                return challenge(line.method() == HbaLine.Method.MD5, matched);
            }
            default -> throw new IllegalStateException(line.method().name());
        }
    }

    private static InetAddress literal(String address) {
        String a = address;
        int pct = a.indexOf('%');
        if (pct >= 0) {
            a = a.substring(0, pct);
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new FatalException("28000", "could not interpret client address \"" + address + "\"");
        }
    }

    private FatalException failed(String detail, String matched) {
        String d = detail == null ? matched : detail + "\n" + matched;
        return new FatalException("28P01", "password authentication failed for user \"" + user + "\"", null, null,
                d);
    }

    /** The stored password, or why there is none (as PostgreSQL's get_role_password words it). */
    private record Shadow(Optional<Role> role, String verifier, String problem) {
    }

    private Shadow shadow() {
        Optional<Role> role = env.role(user);
        if (role.isEmpty()) {
            return new Shadow(role, null, "Role \"" + user + "\" does not exist.");
        }
        String v = role.get().passwordVerifier();
        if (v == null || v.isEmpty()) {
            return new Shadow(role, null, "User \"" + user + "\" has no password assigned.");
        }
        return new Shadow(role, v, null);
    }

    /** Reads the client's 'p' message; silent end when the client went away. */
    private void readResponse(int maxLength, String what) throws IOException {
        out.flush();
        int type = in.readType();
        if (type < 0) {
            throw new ClientEof();
        }
        if (type != 'p') {
            throw new FatalException("08P01", "expected " + what + " response, got message type " + type);
        }
        if (!in.readMessageBody(maxLength)) {
            throw new ClientEof();
        }
    }

    private String readPassword() throws IOException {
        readResponse(MAX_PASSWORD, "password");
        String pw = in.getCString();
        if (in.remaining() != 0) {
            throw new FatalException("08P01", "invalid password packet size");
        }
        if (pw.isEmpty()) {
            throw new FatalException("28P01", "empty password returned by client");
        }
        return pw;
    }

    private Optional<Role> cleartext(String matched) throws IOException {
        Messages.authentication(out, Messages.AUTH_CLEARTEXT_PASSWORD);
        String password = readPassword();
        Shadow s = shadow();
        if (s.verifier == null) {
            throw failed(s.problem, matched);
        }
        if (Passwords.type(s.verifier) == Passwords.Type.PLAINTEXT) {
            throw failed("Password of user \"" + user + "\" is in unrecognized format.", matched);
        }
        if (!Passwords.verifyPlain(user, password, s.verifier)) {
            throw failed("Password does not match for user \"" + user + "\".", matched);
        }
        return s.role;
    }

    private Optional<Role> challenge(boolean md5Allowed, String matched) throws IOException {
        Shadow s = shadow();
        Passwords.Type type;
        if (s.verifier == null) {
            String enc = "scram-sha-256";
            try {
                enc = env.settings().getString("password_encryption");
            } catch (RuntimeException e) {
                // keep PostgreSQL's default
            }
            type = enc.equals("md5") ? Passwords.Type.MD5 : Passwords.Type.SCRAM_SHA_256;
        } else {
            type = Passwords.type(s.verifier);
        }
        if (md5Allowed && type == Passwords.Type.MD5) {
            return md5(s, matched);
        }
        return scram(s, matched);
    }

    private Optional<Role> md5(Shadow s, String matched) throws IOException {
        byte[] salt = new byte[4];
        env.random().nextBytes(salt);
        Messages.authentication(out, Messages.AUTH_MD5_PASSWORD, salt);
        String response = readPassword();
        if (s.verifier == null) {
            throw failed(s.problem, matched);
        }
        if (!response.equals(Passwords.md5Response(s.verifier, salt))) {
            throw failed("Password does not match for user \"" + user + "\".", matched);
        }
        return s.role;
    }

    private Optional<Role> scram(Shadow s, String matched) throws IOException {
        String verifier = s.verifier;
        String problem = s.problem;
        if (verifier != null && Passwords.type(verifier) != Passwords.Type.SCRAM_SHA_256) {
            problem = "User \"" + user + "\" does not have a valid SCRAM secret.";
            verifier = null;
        }
        ScramServer scram = new ScramServer(verifier, user, env.mockSecret(), env.random());
        Messages.authenticationSasl(out, List.of(ScramServer.MECHANISM));
        readResponse(MAX_AUTH_TOKEN, "SASL");
        String mechanism = in.getCString();
        if (!mechanism.equals(ScramServer.MECHANISM)) {
            throw new FatalException("08P01", "client selected an invalid SASL authentication mechanism");
        }
        int len = in.getInt();
        byte[] first;
        if (len < 0) {
            // No initial response: ask for it with an empty challenge.
            in.end();
            Messages.authentication(out, Messages.AUTH_SASL_CONTINUE, new byte[0]);
            readResponse(MAX_AUTH_TOKEN, "SASL");
            first = in.getBytes(in.remaining());
        } else {
            first = in.getBytes(len);
            in.end();
        }
        String serverFirst;
        try {
            serverFirst = scram.clientFirst(first);
        } catch (PgException e) {
            throw FatalException.of(e);
        }
        Messages.authentication(out, Messages.AUTH_SASL_CONTINUE, serverFirst.getBytes(StandardCharsets.UTF_8));
        readResponse(MAX_AUTH_TOKEN, "SASL");
        byte[] fin = in.getBytes(in.remaining());
        String serverFinal;
        try {
            serverFinal = scram.clientFinal(fin);
        } catch (PgException e) {
            throw FatalException.of(e);
        }
        if (serverFinal == null) {
            throw failed(problem, matched);
        }
        Messages.authentication(out, Messages.AUTH_SASL_FINAL, serverFinal.getBytes(StandardCharsets.UTF_8));
        return s.role;
    }
}
