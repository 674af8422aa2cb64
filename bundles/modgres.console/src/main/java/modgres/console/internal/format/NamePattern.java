package modgres.console.internal.format;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A setting-name filter: a glob when it holds {@code *} or {@code ?} (matched
 * against the whole name), else a substring; case-insensitive either way, as
 * setting names are. {@code %} works as {@code *} does, as in SQL's LIKE,
 * because Gogo expands an unquoted {@code *} against file names.
 */
public final class NamePattern {
    private final String substring;
    private final Pattern glob;

    private NamePattern(String substring, Pattern glob) {
        this.substring = substring;
        this.glob = glob;
    }

    /** A pattern; null or blank matches every name. */
    public static NamePattern of(String pattern) {
        String p = pattern == null ? "" : pattern.strip().toLowerCase(Locale.ROOT).replace('%', '*');
        if (p.indexOf('*') < 0 && p.indexOf('?') < 0) {
            return new NamePattern(p, null);
        }
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : p.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return new NamePattern(null, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return glob == null ? n.contains(substring) : glob.matcher(n).matches();
    }
}
