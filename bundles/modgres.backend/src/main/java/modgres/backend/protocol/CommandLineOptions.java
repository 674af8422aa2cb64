package modgres.backend.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import modgres.api.error.PgException;

/**
 * The startup packet's {@code options}: a command line for the backend
 * ({@code PGOPTIONS="-c search_path=x --work-mem=64MB"}). Split as
 * PostgreSQL's pg_split_opts splits it (white space separates, a backslash
 * takes the next character literally, so {@code \ } is a space inside a
 * value and {@code \\} a backslash), then read as the backend's switches.
 */
public final class CommandLineOptions {
    /** Single-letter switches with an argument that are settings (PostgreSQL's postgres switches). */
    private static final Map<Character, String> LETTER_SETTINGS = Map.of('B', "shared_buffers", 'S', "work_mem",
            'p', "port", 'N', "max_connections", 'h', "listen_addresses", 'k', "unix_socket_directories");

    private CommandLineOptions() {
    }

    /** pg_split_opts. */
    public static List<String> split(String options) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = options.length();
        StringBuilder sb = new StringBuilder();
        while (i < n) {
            while (i < n && isSpace(options.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            boolean escaped = false;
            sb.setLength(0);
            while (i < n) {
                char c = options.charAt(i);
                if (isSpace(c) && !escaped) {
                    break;
                }
                if (!escaped && c == '\\') {
                    escaped = true;
                } else {
                    escaped = false;
                    sb.append(c);
                }
                i++;
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    /**
     * The settings the switches make, in order. {@code -c name=value},
     * {@code -cname=value}, {@code --name=value} (dashes in the name become
     * underscores), {@code -B}, {@code -S}, ... Anything else is PostgreSQL's
     * {@code invalid command-line argument for server process}.
     */
    public static Map<String, String> settings(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && a.length() > 2) {
                longOption('-', a.substring(2), out);
            } else if (a.startsWith("-") && a.length() >= 2) {
                char flag = a.charAt(1);
                if (flag == 'c' || LETTER_SETTINGS.containsKey(flag)) {
                    String arg;
                    if (a.length() > 2) {
                        arg = a.substring(2);
                    } else if (i + 1 < args.size()) {
                        arg = args.get(++i);
                    } else {
                        throw new PgException("42601", "option requires an argument -- '" + flag + "'", null,
                                "Try \"postgres --help\" for more information.");
                    }
                    if (flag == 'c') {
                        longOption('c', arg, out);
                    } else {
                        out.put(LETTER_SETTINGS.get(flag), arg);
                    }
                } else if (flag == 'F' && a.length() == 2) {
                    out.put("fsync", "off");
                } else {
                    throw invalid(a);
                }
            } else {
                throw invalid(a);
            }
        }
        return out;
    }

    private static void longOption(char flag, String arg, Map<String, String> out) {
        int eq = arg.indexOf('=');
        if (eq < 0) {
            throw new PgException("42601", (flag == '-' ? "--" : "-c ") + arg + " requires a value");
        }
        out.put(arg.substring(0, eq).replace('-', '_'), arg.substring(eq + 1));
    }

    private static PgException invalid(String a) {
        return new PgException("42601", "invalid command-line argument for server process: " + a, null,
                "Try \"postgres --help\" for more information.");
    }
}
