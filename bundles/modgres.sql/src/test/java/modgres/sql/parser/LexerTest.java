package modgres.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class LexerTest {

    private static List<Token> lex(String sql) {
        List<Token> tokens = Lexer.tokenize(sql);
        return tokens.subList(0, tokens.size() - 1);
    }

    /** "KIND:value" of every token but EOF. */
    private static String kinds(String sql) {
        return lex(sql).stream().map(t -> t.kind() + ":" + t.value()).collect(Collectors.joining(" "));
    }

    private static Token one(String sql) {
        List<Token> t = lex(sql);
        assertEquals(1, t.size(), () -> "tokens of " + sql + ": " + t);
        return t.get(0);
    }

    @Test
    void identifiersFoldToLowerCaseUnlessQuoted() {
        assertEquals("IDENT:mytable IDENT:MixedCase IDENT:a\"b IDENT:été", kinds("MyTable \"MixedCase\" \"a\"\"b\" été"));
        assertEquals("IDENT:a$b_1", kinds("A$b_1"));
    }

    @Test
    void keywordsAreRecognisedCaseInsensitively() {
        assertEquals("KEYWORD:select KEYWORD:from KEYWORD:name IDENT:select", kinds("SeLeCt FROM name \"select\""));
    }

    @Test
    void unicodeIdentifiersAndUescape() {
        assertEquals("data", one("U&\"d\\0061t\\+000061\"").value());
        assertEquals("dat", one("U&\"d!0061t\" UESCAPE '!'").value());
        assertEquals("IDENT:😀", kinds("u&\"\\+01F600\""));
    }

    @Test
    void numbers() {
        assertEquals("ICONST:42 FCONST:1e5 FCONST:.5 FCONST:5. FCONST:1.5e-3 FCONST:2147483648 ICONST:2147483647",
                kinds("42 1e5 .5 5. 1.5e-3 2147483648 2147483647"));
        assertEquals("ICONST:1 DOT_DOT:.. ICONST:2", kinds("1..2"));
        assertEquals("FCONST:99999999999999999999", kinds("99999999999999999999"));
    }

    @Test
    void trailingJunkAfterNumbers() {
        for (String s : List.of("123abc", "1e", "1.5e+", "0x1F", ".5x", "1.x")) {
            SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> Lexer.tokenize(s));
            assertEquals("trailing junk after numeric literal at or near \"" + (s.equals("1.5e+") ? "1.5e+" : s)
                    + "\"", e.getMessage());
            assertEquals(1, e.position());
        }
    }

    @Test
    void stringConstants() {
        assertEquals("SCONST:it's", kinds("'it''s'"));
        assertEquals("SCONST:a\\nb", kinds("'a\\nb'"), "backslashes are literal in standard strings");
        assertEquals("SCONST:ab", kinds("'a'\n'b'"));
        assertEquals("SCONST:abc", kinds("'a' -- comment\n  'b'\n\n'c'"));
        assertEquals("SCONST:a SCONST:b", kinds("'a' 'b'"), "no continuation without a newline");
        assertEquals("SCONST:a SCONST:b", kinds("'a' /* c */\n'b'"), "only -- comments between continued strings");
    }

    @Test
    void escapeStrings() {
        assertEquals("a\nb\tc\\d'e", one("E'a\\nb\\tc\\\\d\\'e'").value());
        assertEquals("AAAé😀", one("e'\\x41\\101\\u0041\\u00e9\\U0001F600'").value());
        assertEquals("😀", one("e'\\uD83D\\uDE00'").value());
        assertEquals("\b\f\r v a", one("e'\\b\\f\\r \\v \\a'").value());
        assertEquals("xzz", one("e'\\xzz'").value());
        assertEquals("ab", one("e'a'\n'b'").value());
    }

    @Test
    void unicodeStrings() {
        assertEquals("data", one("U&'d\\0061t\\+000061'").value());
        assertEquals("d\\0061t", one("U&'d\\0061t' UESCAPE '!'").value());
        assertEquals("dat", one("U&'d!0061t' uescape '!'").value());
    }

    @Test
    void dollarQuotedStrings() {
        assertEquals("it's $x", one("$$it's $x$$").value());
        assertEquals("a $$ b $ta$ c", one("$tag$a $$ b $ta$ c$tag$").value());
        assertEquals("CHAR:$ IDENT:abc", kinds("$abc"));
    }

    @Test
    void bitStrings() {
        assertEquals("BCONST:b1010 XCONST:x1F", kinds("B'1010' x'1F'"));
        assertEquals("BCONST:b1011", kinds("b'10'\n'11'"));
    }

    @Test
    void nationalCharacterString() {
        assertEquals("KEYWORD:nchar SCONST:abc", kinds("N'abc'"));
    }

    @Test
    void parameters() {
        assertEquals("PARAM:1 PARAM:23", kinds("$1 $23"));
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> Lexer.tokenize("select $1a"));
        assertEquals("trailing junk after parameter at or near \"$1a\"", e.getMessage());
    }

    @Test
    void operators() {
        assertEquals("CHAR:+ CHAR:- CHAR:* CHAR:/ CHAR:% CHAR:^ CHAR:< CHAR:> CHAR:=", kinds("+ - * / % ^ < > ="));
        assertEquals("LESS_EQUALS:<= GREATER_EQUALS:>= NOT_EQUALS:<> NOT_EQUALS:<> EQUALS_GREATER:=>",
                kinds("<= >= <> != =>"));
        assertEquals("OP:|| OP:@> OP:~~* OP:#>> OP:! OP:?|", kinds("|| @> ~~* #>> ! ?|"));
        assertEquals("TYPECAST::: COLON_EQUALS::= CHAR::", kinds(":: := :"));
    }

    @Test
    void operatorsEndingInPlusOrMinus() {
        // only operators containing one of ~ ! @ # % ^ & | ` ? may end in + or -
        assertEquals("CHAR:+ CHAR:- ICONST:2", kinds("+-2"));
        assertEquals("CHAR:* CHAR:- ICONST:2", kinds("*-2"));
        assertEquals("NOT_EQUALS:<> CHAR:- ICONST:1", kinds("<>-1"));
        assertEquals("OP:@- ICONST:2", kinds("@-2"));
        assertEquals("OP:!=- ICONST:2", kinds("!=-2"));
        assertEquals("CHAR:<", kinds("<--1"), "-- inside an operator starts a comment");
    }

    @Test
    void commentsEndOperators() {
        assertEquals("ICONST:1 CHAR:= ICONST:2", kinds("1 =/* x */ 2"));
        assertEquals("ICONST:1 OP:@", kinds("1 @-- c"));
    }

    @Test
    void comments() {
        assertEquals("ICONST:1 ICONST:2", kinds("1 /* a /* nested */ b */ -- line\n 2"));
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> Lexer.tokenize("select 1 /* a /* b */"));
        assertEquals("unterminated /* comment at or near \"/* a /* b */\"", e.getMessage());
        assertEquals(10, e.position());
    }

    @Test
    void selfCharacters() {
        assertEquals("CHAR:, CHAR:( CHAR:) CHAR:[ CHAR:] CHAR:. CHAR:; CHAR:{", kinds(", ( ) [ ] . ; {"));
    }

    @Test
    void positionsAreOneBasedCharacterOffsets() {
        List<Token> t = lex("select 'é😀', x\n  from t");
        assertEquals(1, t.get(0).position());
        assertEquals(8, t.get(1).position());
        assertEquals(12, t.get(2).position(), "comma after a 2-character string holding a surrogate pair");
        assertEquals(14, t.get(3).position());
        assertEquals(18, t.get(4).position());
        List<Token> all = Lexer.tokenize("ab ");
        assertEquals(4, all.get(all.size() - 1).position(), "end of input is one past the last character");
    }

    @Test
    void longIdentifiersAreTruncatedWithANotice() {
        String name = "a".repeat(70);
        Lexer lexer = new Lexer(name);
        List<Token> t = lexer.scan();
        assertEquals("a".repeat(63), t.get(0).value());
        assertEquals(1, lexer.notices().size());
        assertEquals("42622", lexer.notices().get(0).sqlState());
        assertTrue(lexer.notices().get(0).message().startsWith("identifier \"aaa"));
        // multi-byte characters are not split
        assertEquals(62, new Lexer("é".repeat(40)).scan().get(0).value().getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length);
    }
}
