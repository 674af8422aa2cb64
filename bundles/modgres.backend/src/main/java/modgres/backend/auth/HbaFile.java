package modgres.backend.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

import modgres.backend.auth.HbaLine.AddressMatcher;
import modgres.backend.auth.HbaLine.ConnType;
import modgres.backend.auth.HbaLine.Method;
import modgres.backend.auth.HbaLine.Token;

/*
 * Design notes
 * ------------
 * PostgreSQL's hba.c, as far as the methods we run: a file is read whole,
 * records are tokenized (white space separates fields, commas separate list
 * items inside a field, double quotes quote and take a token's keyword
 * meaning away, '#' starts a comment, a backslash at the end of a line
 * continues the record), each record is parsed, and any error makes the whole
 * file unusable (the caller keeps the previous one, as a SIGHUP does). At
 * connection time the first record whose connection type, database, role and
 * address match decides.
 *
 * Not supported: methods other than trust/reject/password/md5/scram-sha-256
 * (they parse as "not supported by this build"), ident maps, SSL and GSS
 * encryption (hostssl and hostgssenc records never match), role membership
 * (+group and samerole compare names until the catalog knows members: see
 * the membership predicate).
 */

/** A parsed pg_hba.conf. Immutable; replaced whole on reload. */
public final class HbaFile {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");

    private final Path path;
    private final List<HbaLine> lines;
    private final List<LoadError> errors;

    private HbaFile(Path path, List<HbaLine> lines, List<LoadError> errors) {
        this.path = path;
        this.lines = List.copyOf(lines);
        this.errors = List.copyOf(errors);
    }

    /** An error of one record: PostgreSQL logs it with {@code CONTEXT: line N of configuration file "F"}. */
    public record LoadError(int line, String message, String hint, Path file) {
        public String context() {
            return "line " + line + " of configuration file \"" + file + "\"";
        }
    }

    /** No records: every connection is rejected. */
    public static HbaFile empty(Path path) {
        return new HbaFile(path, List.of(), List.of());
    }

    public Path path() {
        return path;
    }

    public List<HbaLine> lines() {
        return lines;
    }

    /** Errors found while loading; when not empty, the file must not be used. */
    public List<LoadError> errors() {
        return errors;
    }

    /** Reads and parses a file. Throws IOException when it cannot be read at all. */
    public static HbaFile load(Path file) throws IOException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses the text of {@code file}. */
    public static HbaFile parse(Path file, String text) {
        List<HbaLine> out = new ArrayList<>();
        List<LoadError> errors = new ArrayList<>();
        for (Record r : records(text)) {
            List<List<Token>> fields = tokenize(r.text);
            if (fields.isEmpty()) {
                continue;
            }
            try {
                out.add(parseLine(file, r, fields));
            } catch (LineError e) {
                errors.add(new LoadError(r.line, e.getMessage(), e.hint, file));
            }
        }
        return new HbaFile(file, out, errors);
    }

    private record Record(int line, String text) {
    }

    /** Physical lines joined by trailing backslashes. */
    private static List<Record> records(String text) {
        List<Record> out = new ArrayList<>();
        String[] physical = text.split("\r?\n", -1);
        StringBuilder sb = new StringBuilder();
        int start = -1;
        for (int i = 0; i < physical.length; i++) {
            String l = physical[i];
            if (start < 0) {
                start = i + 1;
            }
            if (l.endsWith("\\")) {
                sb.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            sb.append(l);
            out.add(new Record(start, sb.toString()));
            sb.setLength(0);
            start = -1;
        }
        if (start >= 0) {
            out.add(new Record(start, sb.toString()));
        }
        return out;
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b;
    }

    /** Fields of one record; each field a list of comma-separated tokens. */
    static List<List<Token>> tokenize(String line) {
        List<List<Token>> fields = new ArrayList<>();
        int n = line.length();
        int i = 0;
        StringBuilder sb = new StringBuilder();
        outer:
        while (true) {
            while (i < n && space(line.charAt(i))) {
                i++;
            }
            if (i >= n || line.charAt(i) == '#') {
                break;
            }
            List<Token> field = new ArrayList<>();
            while (true) {
                while (i < n && space(line.charAt(i))) {
                    i++;
                }
                sb.setLength(0);
                boolean quoted = false;
                boolean inQuote = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (!inQuote && (space(c) || c == ',' || c == '#')) {
                        break;
                    }
                    if (c == '"') {
                        if (inQuote && i + 1 < n && line.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                            continue;
                        }
                        inQuote = !inQuote;
                        quoted = true;
                        i++;
                        continue;
                    }
                    sb.append(c);
                    i++;
                }
                if (sb.length() > 0 || quoted) {
                    field.add(new Token(sb.toString(), quoted));
                }
                if (i < n && line.charAt(i) == ',') {
                    i++;
                    continue;
                }
                break;
            }
            if (!field.isEmpty()) {
                fields.add(field);
            }
            if (i >= n) {
                break outer;
            }
        }
        return fields;
    }

    private static final class LineError extends Exception {
        private static final long serialVersionUID = 1L;
        final String hint;

        LineError(String message) {
            this(message, null);
        }

        LineError(String message, String hint) {
            super(message, null, false, false);
            this.hint = hint;
        }
    }

    private static HbaLine parseLine(Path file, Record r, List<List<Token>> fields) throws LineError {
        List<Token> f0 = fields.get(0);
        if (f0.size() > 1) {
            throw new LineError("multiple values specified for connection type",
                    "Specify exactly one connection type per line.");
        }
        ConnType type = switch (f0.get(0).text()) {
            case "local" -> ConnType.LOCAL;
            case "host" -> ConnType.HOST;
            case "hostssl" -> ConnType.HOSTSSL;
            case "hostnossl" -> ConnType.HOSTNOSSL;
            case "hostgssenc" -> ConnType.HOSTGSSENC;
            case "hostnogssenc" -> ConnType.HOSTNOGSSENC;
            default -> throw new LineError("invalid connection type \"" + f0.get(0).text() + "\"");
        };
        if (fields.size() < 2) {
            throw new LineError("end-of-line before database specification");
        }
        List<Token> databases = expand(file, fields.get(1));
        if (fields.size() < 3) {
            throw new LineError("end-of-line before role specification");
        }
        List<Token> users = expand(file, fields.get(2));
        int idx = 3;
        AddressMatcher address = null;
        if (type != ConnType.LOCAL) {
            if (fields.size() <= idx) {
                throw new LineError("end-of-line before IP address specification");
            }
            List<Token> af = fields.get(idx);
            if (af.size() > 1) {
                throw new LineError("multiple values specified for host address",
                        "Specify one address range per line.");
            }
            Token t = af.get(0);
            String text = t.text();
            if (t.is("all")) {
                address = a -> true;
            } else if (t.is("samehost")) {
                address = HbaFile::sameHost;
            } else if (t.is("samenet")) {
                address = HbaFile::sameNet;
            } else {
                int slash = text.indexOf('/');
                String host = slash >= 0 ? text.substring(0, slash) : text;
                if (isIpLiteral(host)) {
                    byte[] addr = literal(host, text);
                    byte[] mask;
                    if (slash >= 0) {
                        int bits;
                        try {
                            bits = Integer.parseInt(text.substring(slash + 1));
                        } catch (NumberFormatException e) {
                            bits = -1;
                        }
                        if (bits < 0 || bits > addr.length * 8) {
                            throw new LineError("invalid CIDR mask in address \"" + text + "\"");
                        }
                        mask = prefixMask(addr.length, bits);
                    } else {
                        idx++;
                        if (fields.size() <= idx) {
                            throw new LineError("end-of-line before netmask specification",
                                    "Specify an address range in CIDR notation, or provide a separate netmask.");
                        }
                        String m = fields.get(idx).get(0).text();
                        if (!isIpLiteral(m)) {
                            throw new LineError("invalid IP mask \"" + m + "\": Name or service not known");
                        }
                        mask = literal(m, m);
                        if (mask.length != addr.length) {
                            throw new LineError("IP address and mask do not match");
                        }
                    }
                    address = new Cidr(addr, mask);
                } else {
                    if (slash >= 0) {
                        throw new LineError("specifying both host name and CIDR mask is invalid: \"" + text + "\"");
                    }
                    address = new HostName(text.toLowerCase(Locale.ROOT));
                }
            }
            idx++;
        }
        if (fields.size() <= idx) {
            throw new LineError("end-of-line before authentication method");
        }
        List<Token> mf = fields.get(idx);
        if (mf.size() > 1) {
            throw new LineError("multiple values specified for authentication type",
                    "Specify exactly one authentication type per line.");
        }
        String m = mf.get(0).text();
        Method method = switch (m) {
            case "trust" -> Method.TRUST;
            case "reject" -> Method.REJECT;
            case "password" -> Method.PASSWORD;
            case "md5" -> Method.MD5;
            case "scram-sha-256" -> Method.SCRAM_SHA_256;
            case "gss", "sspi", "ident", "peer", "pam", "ldap", "radius", "cert", "bsd", "krb5", "crypt" ->
                throw new LineError("invalid authentication method \"" + m + "\": not supported by this build");
            default -> throw new LineError("invalid authentication method \"" + m + "\"");
        };
        Map<String, String> options = new LinkedHashMap<>();
        for (int k = idx + 1; k < fields.size(); k++) {
            for (Token o : fields.get(k)) {
                int eq = o.text().indexOf('=');
                if (eq < 0) {
                    throw new LineError("authentication option not in name=value format: " + o.text());
                }
                String name = o.text().substring(0, eq);
                switch (name) {
                    case "clientcert" -> {
                        if (type != ConnType.HOSTSSL) {
                            throw new LineError("clientcert can only be configured for \"hostssl\" rows");
                        }
                    }
                    case "map" -> throw new LineError("authentication option \"map\" is only valid for"
                            + " authentication methods ident, peer, gssapi, sspi, and cert");
                    default -> throw new LineError("unrecognized authentication option name: \"" + name + "\"");
                }
                options.put(name, o.text().substring(eq + 1));
            }
        }
        return new HbaLine(r.line, r.text.strip(), type, databases, users, address, method,
                Collections.unmodifiableMap(options));
    }

    /** Expands {@code @file} tokens (relative to pg_hba.conf's directory) into the file's tokens. */
    private static List<Token> expand(Path file, List<Token> field) {
        List<Token> out = new ArrayList<>();
        for (Token t : field) {
            if (!t.quoted() && t.text().startsWith("@") && t.text().length() > 1) {
                Path inc = Path.of(t.text().substring(1));
                if (!inc.isAbsolute()) {
                    Path dir = file.toAbsolutePath().getParent();
                    inc = dir == null ? inc : dir.resolve(inc);
                }
                try {
                    for (String l : Files.readAllLines(inc, StandardCharsets.UTF_8)) {
                        for (List<Token> f : tokenize(l)) {
                            out.addAll(expand(inc, f));
                        }
                    }
                } catch (IOException e) {
                    // PostgreSQL logs the failure and the token matches nothing.
                }
            } else {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    static boolean isIpLiteral(String s) {
        return IPV4.matcher(s).matches() || IPV6.matcher(s).matches();
    }

    private static byte[] literal(String host, String whole) throws LineError {
        try {
            String h = host;
            int pct = h.indexOf('%');
            if (pct >= 0) {
                h = h.substring(0, pct);
            }
            byte[] a = InetAddress.getByName(h).getAddress();
            // Java turns an IPv4-mapped IPv6 literal into IPv4; keep the family that was written.
            return h.indexOf(':') >= 0 && a.length == 4 ? sameFamily(a, 16) : a;
        } catch (UnknownHostException e) {
            throw new LineError("invalid IP address \"" + host + "\": Name or service not known");
        }
    }

    private static byte[] prefixMask(int len, int bits) {
        byte[] m = new byte[len];
        for (int i = 0; i < len; i++) {
            int b = Math.max(0, Math.min(8, bits - i * 8));
            m[i] = (byte) (b == 0 ? 0 : 0xff << (8 - b));
        }
        return m;
    }

    /** An address with a mask. */
    record Cidr(byte[] address, byte[] mask) implements AddressMatcher {
        @Override
        public boolean matches(InetAddress client) {
            byte[] c = sameFamily(client.getAddress(), address.length);
            if (c == null) {
                return false;
            }
            for (int i = 0; i < c.length; i++) {
                if (((c[i] ^ address[i]) & mask[i]) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The client's address as {@code len} bytes (IPv4 and IPv4-mapped IPv6 converted), or null. */
    static byte[] sameFamily(byte[] c, int len) {
        if (c.length == len) {
            return c;
        }
        if (c.length == 16 && len == 4) {
            for (int i = 0; i < 10; i++) {
                if (c[i] != 0) {
                    return null;
                }
            }
            if (c[10] != (byte) 0xff || c[11] != (byte) 0xff) {
                return null;
            }
            return new byte[] {c[12], c[13], c[14], c[15]};
        }
        if (c.length == 4 && len == 16) {
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(c, 0, m, 12, 4);
            return m;
        }
        return null;
    }

    /**
     * A host name: PostgreSQL looks the client's address up (reverse), compares
     * the name (or, for {@code .suffix}, its end) and confirms it forward.
     */
    record HostName(String name) implements AddressMatcher {
        @Override
        public boolean matches(InetAddress client) {
            try {
                String reverse = InetAddress.getByAddress(client.getAddress()).getCanonicalHostName()
                        .toLowerCase(Locale.ROOT);
                boolean ok = name.startsWith(".") ? reverse.endsWith(name) : reverse.equals(name);
                if (!ok) {
                    return false;
                }
                for (InetAddress a : InetAddress.getAllByName(reverse)) {
                    if (a.equals(client)) {
                        return true;
                    }
                }
                return false;
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }

    private static boolean sameHost(InetAddress client) {
        return localAddresses((ia, c) -> ia.getAddress().equals(c), client);
    }

    private static boolean sameNet(InetAddress client) {
        return localAddresses((ia, c) -> {
            byte[] a = ia.getAddress().getAddress();
            byte[] cc = sameFamily(c.getAddress(), a.length);
            return cc != null && new Cidr(a, prefixMask(a.length, ia.getNetworkPrefixLength())).matches(c);
        }, client);
    }

    private static boolean localAddresses(BiPredicate<InterfaceAddress, InetAddress> test, InetAddress client) {
        try {
            Enumeration<NetworkInterface> e = NetworkInterface.getNetworkInterfaces();
            while (e != null && e.hasMoreElements()) {
                for (InterfaceAddress ia : e.nextElement().getInterfaceAddresses()) {
                    if (test.test(ia, client)) {
                        return true;
                    }
                }
            }
        } catch (SocketException ex) {
            return false;
        }
        return false;
    }

    /**
     * A connection as pg_hba.conf sees it.
     *
     * @param local       a Unix-domain socket connection
     * @param address     the client's address (null for local)
     * @param database    requested database
     * @param user        requested role
     * @param replication a physical replication connection (matches only the {@code replication} keyword)
     */
    public record Connection(boolean local, InetAddress address, String database, String user,
            boolean replication) {
    }

    /**
     * The first record that matches, or null (PostgreSQL's implicit reject).
     *
     * @param member whether a role is a member of another (for {@code +group} and {@code samerole})
     */
    public HbaLine match(Connection c, BiPredicate<String, String> member) {
        for (HbaLine l : lines) {
            if (l.type() == ConnType.LOCAL) {
                if (!c.local()) {
                    continue;
                }
            } else {
                if (c.local()) {
                    continue;
                }
                if (l.type() == ConnType.HOSTSSL || l.type() == ConnType.HOSTGSSENC) {
                    continue; // no SSL or GSS encryption here
                }
                if (!l.address().matches(c.address())) {
                    continue;
                }
            }
            if (!databaseMatches(l.databases(), c, member) || !roleMatches(l.users(), c.user(), member)) {
                continue;
            }
            return l;
        }
        return null;
    }

    private static boolean databaseMatches(List<Token> tokens, Connection c, BiPredicate<String, String> member) {
        for (Token t : tokens) {
            if (c.replication()) {
                if (t.is("replication")) {
                    return true;
                }
            } else if (t.is("all")) {
                return true;
            } else if (t.is("sameuser")) {
                if (c.database().equals(c.user())) {
                    return true;
                }
            } else if (t.is("samerole") || t.is("samegroup")) {
                if (member.test(c.user(), c.database())) {
                    return true;
                }
            } else if (t.is("replication")) {
                continue;
            } else if (t.text().equals(c.database())) {
                return true;
            }
        }
        return false;
    }

    private static boolean roleMatches(List<Token> tokens, String user, BiPredicate<String, String> member) {
        for (Token t : tokens) {
            if (!t.quoted() && t.text().startsWith("+")) {
                if (member.test(user, t.text().substring(1))) {
                    return true;
                }
            } else if (t.is("all") || t.text().equals(user)) {
                return true;
            }
        }
        return false;
    }
}
