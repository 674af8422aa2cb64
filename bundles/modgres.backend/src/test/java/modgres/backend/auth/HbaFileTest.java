package modgres.backend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.backend.auth.HbaLine.Method;
import modgres.backend.auth.HbaLine.Token;

class HbaFileTest {
    static final Path FILE = Path.of("/data/pg_hba.conf");

    static HbaFile parse(String text) {
        HbaFile f = HbaFile.parse(FILE, text);
        assertEquals(List.of(), f.errors());
        return f;
    }

    static HbaFile.Connection tcp(String addr, String db, String user) throws Exception {
        return new HbaFile.Connection(false, InetAddress.getByName(addr), db, user, false);
    }

    static HbaFile.Connection local(String db, String user) {
        return new HbaFile.Connection(true, null, db, user, false);
    }

    static Method method(HbaFile f, HbaFile.Connection c) {
        HbaLine l = f.match(c, String::equals);
        return l == null ? null : l.method();
    }

    @Test
    void firstMatchWins() throws Exception {
        HbaFile f = parse("""
                # comment
                local   all         all                       trust
                host    shop        alice   10.0.0.0/8        md5   # trailing comment
                host    all         +admins 127.0.0.1/32      password
                host    sameuser    all     127.0.0.1 255.255.255.255   trust
                host    all         all     127.0.0.1/32      scram-sha-256
                host    all         all     ::1/128           reject
                """);
        assertEquals(6, f.lines().size());
        assertEquals(Method.TRUST, method(f, local("x", "y")));
        assertEquals(Method.MD5, method(f, tcp("10.1.2.3", "shop", "alice")));
        assertNull(method(f, tcp("10.1.2.3", "shop", "bob")));
        assertEquals(Method.PASSWORD, method(f, tcp("127.0.0.1", "x", "admins")));
        assertEquals(Method.TRUST, method(f, tcp("127.0.0.1", "bob", "bob")));
        assertEquals(Method.SCRAM_SHA_256, method(f, tcp("127.0.0.1", "shop", "bob")));
        assertEquals(Method.REJECT, method(f, tcp("::1", "shop", "bob")));
        assertNull(method(f, tcp("192.168.1.1", "shop", "bob")));
        HbaLine l = f.match(tcp("10.1.2.3", "shop", "alice"), String::equals);
        assertEquals(3, l.lineNumber());
        assertEquals("host    shop        alice   10.0.0.0/8        md5   # trailing comment", l.rawLine());
    }

    @Test
    void listsQuotesAndKeywords() throws Exception {
        HbaFile f = parse("""
                host "all" "quoted user","x, y" 127.0.0.1/32 trust
                host db1, db2,db3 all 127.0.0.1/32 md5
                host replication all 127.0.0.1/32 password
                host all all 0.0.0.0/0 reject
                """);
        HbaLine first = f.lines().get(0);
        assertEquals(List.of(new Token("all", true)), first.databases());
        assertEquals(List.of(new Token("quoted user", true), new Token("x, y", true)), first.users());
        assertEquals(Method.REJECT, method(f, tcp("127.0.0.1", "shop", "quoted user")), "\"all\" is a name");
        assertEquals(Method.TRUST, method(f, tcp("127.0.0.1", "all", "x, y")));
        assertEquals(Method.MD5, method(f, tcp("127.0.0.1", "db3", "z")));
        assertEquals(Method.MD5, method(f, tcp("127.0.0.1", "db2", "z")));
        assertEquals(Method.REJECT, method(f, tcp("127.0.0.1", "replication", "z")),
                "the replication keyword does not match a database named replication");
        assertEquals(Method.PASSWORD, f.match(new HbaFile.Connection(false, InetAddress.getByName("127.0.0.1"),
                "x", "z", true), String::equals).method());
    }

    @Test
    void addressForms() throws Exception {
        HbaFile f = parse("""
                host all a 192.168.0.0 255.255.0.0 trust
                host all b 127.0.0.1/32 trust
                host all c ::ffff:127.0.0.1/128 trust
                host all d all trust
                host all e samehost trust
                hostnossl all f 127.0.0.0/8 trust
                hostssl all g all trust
                hostnogssenc all h all trust
                host all i localhost trust
                """);
        assertEquals(Method.TRUST, method(f, tcp("192.168.7.7", "x", "a")));
        assertNull(method(f, tcp("192.169.7.7", "x", "a")));
        assertEquals(Method.TRUST, method(f, tcp("::ffff:127.0.0.1", "x", "b")), "IPv4-mapped IPv6 client");
        assertEquals(Method.TRUST, method(f, tcp("127.0.0.1", "x", "c")), "IPv4 client, mapped line");
        assertEquals(Method.TRUST, method(f, tcp("8.8.8.8", "x", "d")));
        assertEquals(Method.TRUST, method(f, tcp("127.0.0.1", "x", "e")));
        assertNull(method(f, tcp("8.8.8.8", "x", "e")));
        assertEquals(Method.TRUST, method(f, tcp("127.0.0.2", "x", "f")));
        assertNull(method(f, tcp("127.0.0.1", "x", "g")), "no SSL here");
        assertEquals(Method.TRUST, method(f, tcp("127.0.0.1", "x", "h")));
        assertNull(method(f, local("x", "b")), "host lines never match local connections");
    }

    @Test
    void continuationLines() {
        HbaFile f = parse("host all \\\n  all 127.0.0.1/32 \\\n trust\nlocal all all reject\n");
        assertEquals(2, f.lines().size());
        assertEquals(1, f.lines().get(0).lineNumber());
        assertEquals(4, f.lines().get(1).lineNumber());
    }

    @Test
    void includedFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("admins"), "# the admins\nann, bob\ncarl\n");
        HbaFile f = HbaFile.parse(dir.resolve("pg_hba.conf"), "local all @admins trust\nlocal all all reject\n");
        assertEquals(List.of(), f.errors());
        assertEquals(Method.TRUST, method(f, local("x", "carl")));
        assertEquals(Method.TRUST, method(f, local("x", "bob")));
        assertEquals(Method.REJECT, method(f, local("x", "dave")));
        HbaFile g = HbaFile.parse(dir.resolve("pg_hba.conf"), "local all @missing trust\n");
        assertEquals(List.of(), g.errors());
        assertNull(method(g, local("x", "anyone")));
    }

    @Test
    void errors() {
        String[][] cases = {
            {"hots all all trust", "invalid connection type \"hots\""},
            {"local", "end-of-line before database specification"},
            {"local all", "end-of-line before role specification"},
            {"local all all", "end-of-line before authentication method"},
            {"host all all", "end-of-line before IP address specification"},
            {"host all all 127.0.0.1/33 trust", "invalid CIDR mask in address \"127.0.0.1/33\""},
            {"host all all 127.0.0.1", "end-of-line before netmask specification"},
            {"host all all 127.0.0.1 ffff::1 trust", "IP address and mask do not match"},
            {"host all all example.com/24 trust", "specifying both host name and CIDR mask is invalid: \"example.com/24\""},
            {"local all all peer", "invalid authentication method \"peer\": not supported by this build"},
            {"local all all magic", "invalid authentication method \"magic\""},
            {"local all all md5 foo", "authentication option not in name=value format: foo"},
            {"local all all md5 foo=bar", "unrecognized authentication option name: \"foo\""},
            {"local,host all all trust", "multiple values specified for connection type"},
        };
        for (String[] c : cases) {
            HbaFile f = HbaFile.parse(FILE, "local all all trust\n" + c[0] + "\n");
            assertEquals(1, f.errors().size(), c[0]);
            assertEquals(c[1], f.errors().get(0).message(), c[0]);
            assertEquals(2, f.errors().get(0).line());
            assertEquals("line 2 of configuration file \"/data/pg_hba.conf\"", f.errors().get(0).context());
        }
        assertTrue(HbaFile.parse(FILE, "host all all 127.0.0.1\n").errors().get(0).hint().startsWith("Specify"));
    }
}
