package modgres.sql.engine;

import java.util.Locale;

import modgres.sql.exec.TypeSystem;

/**
 * The few functions the engine needs that the type library's catalog does
 * not have: {@code like_escape} (LIKE ... ESCAPE rewrites its pattern with
 * it) and the boolean comparison functions ({@code booleq} & co) that
 * PostgreSQL's regression tests call by name. Each is built on the library's
 * own operator.
 */
final class ExtraFunctions {
    private ExtraFunctions() {
    }

    static final int BOOL = 16, TEXT = 25;

    /** The function, or null when it is not one of these. */
    static TypeSystem.Fn resolve(TypeSystem ts, String name, int[] args) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("like_escape") && args.length == 2) {
            return new TypeSystem.Fn(n, new int[] {TEXT, TEXT}, TEXT, -1,
                    (a, ex) -> likeEscape((String) a[0], (String) a[1]), true);
        }
        String op = switch (n) {
            case "booleq" -> "=";
            case "boolne" -> "<>";
            case "boollt" -> "<";
            case "boolgt" -> ">";
            case "boolle" -> "<=";
            case "boolge" -> ">=";
            default -> null;
        };
        if (op == null || args.length != 2) {
            return null;
        }
        TypeSystem.Fn o = ts.operator(op, BOOL, BOOL);
        return new TypeSystem.Fn(n, new int[] {BOOL, BOOL}, BOOL, -1, o.impl(), true);
    }

    /** Rewrites a LIKE pattern written with escape character {@code esc} into one escaped with backslash. */
    static String likeEscape(String pattern, String esc) {
        if (esc.isEmpty()) {
            return pattern.replace("\\", "\\\\");
        }
        char e = esc.charAt(0);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == e && i + 1 < pattern.length()) {
                b.append('\\').append(pattern.charAt(++i));
            } else if (c == '\\') {
                b.append("\\\\");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
