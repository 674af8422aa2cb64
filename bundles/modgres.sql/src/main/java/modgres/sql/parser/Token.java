package modgres.sql.parser;

/**
 * A token.
 *
 * @param kind     the kind
 * @param value    identifier (folded), key word (lower case), string contents,
 *                 number text, operator, or the character of a CHAR token
 * @param start    index of the first char in the source string
 * @param end      index after the last char in the source string
 * @param position 1-based character (code point) offset in the source, as in error reports
 */
public record Token(TokenKind kind, String value, int start, int end, int position) {

    /** Whether this is the key word {@code word} (lower case). */
    public boolean isKeyword(String word) {
        return kind == TokenKind.KEYWORD && value.equals(word);
    }

    /** Whether this is the single character token {@code c}. */
    public boolean isChar(char c) {
        return kind == TokenKind.CHAR && value.length() == 1 && value.charAt(0) == c;
    }
}
