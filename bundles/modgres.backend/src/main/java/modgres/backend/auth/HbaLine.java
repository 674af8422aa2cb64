package modgres.backend.auth;

import java.util.List;
import java.util.Map;

/**
 * One record of pg_hba.conf.
 *
 * @param lineNumber where the record starts (1-based)
 * @param rawLine    the record's text, as PostgreSQL quotes it in log details
 * @param type       connection type
 * @param databases  database tokens ({@code @file} already expanded)
 * @param users      role tokens ({@code @file} already expanded)
 * @param address    the client address matcher (null for {@code local})
 * @param method     authentication method
 * @param options    {@code name=value} options after the method
 */
public record HbaLine(int lineNumber, String rawLine, ConnType type, List<Token> databases, List<Token> users,
        AddressMatcher address, Method method, Map<String, String> options) {

    /** The connection types of pg_hba.conf. */
    public enum ConnType {
        LOCAL, HOST, HOSTSSL, HOSTNOSSL, HOSTGSSENC, HOSTNOGSSENC
    }

    /** The methods this server knows how to run. */
    public enum Method {
        TRUST("trust"), REJECT("reject"), PASSWORD("password"), MD5("md5"), SCRAM_SHA_256("scram-sha-256");

        private final String keyword;

        Method(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** A token of a field: quoted tokens are never keywords. */
    public record Token(String text, boolean quoted) {
        public boolean is(String keyword) {
            return !quoted && text.equals(keyword);
        }
    }

    /** Matches a client address (a line's ADDRESS field, or ADDRESS plus MASK). */
    public interface AddressMatcher {
        boolean matches(java.net.InetAddress client);
    }
}
