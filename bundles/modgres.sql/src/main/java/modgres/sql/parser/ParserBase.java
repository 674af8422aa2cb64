package modgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.Keywords;
import modgres.sql.ast.Keywords.Category;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.RoleSpec;

/**
 * Token access, error reporting and the name rules of PostgreSQL's grammar
 * ({@code ColId}, {@code ColLabel}, {@code type_function_name},
 * {@code NonReservedWord}, qualified names). The layers of the parser extend
 * it: expressions, queries, definitions, utilities.
 */
abstract class ParserBase {
    protected final String src;
    protected final Token[] toks;
    protected int p;
    /** Errors that PostgreSQL raises after parsing (e.g. invalid bit strings), reported once parsing succeeded. */
    protected final List<SqlSyntaxException> deferred = new ArrayList<>();

    protected ParserBase(String src, List<Token> tokens) {
        this.src = src;
        this.toks = tokens.toArray(new Token[0]);
    }

    // ------------------------------------------------------------ token access

    protected final Token peek() {
        return toks[p];
    }

    protected final Token peek(int k) {
        return toks[Math.min(p + k, toks.length - 1)];
    }

    protected final Token next() {
        Token t = toks[p];
        if (t.kind() != TokenKind.EOF) {
            p++;
        }
        return t;
    }

    protected final int pos() {
        return toks[p].position();
    }

    protected final boolean isKw(String word) {
        return toks[p].isKeyword(word);
    }

    protected final boolean isKw(int k, String word) {
        return peek(k).isKeyword(word);
    }

    protected final boolean isAnyKw(String... words) {
        Token t = toks[p];
        if (t.kind() != TokenKind.KEYWORD) {
            return false;
        }
        for (String w : words) {
            if (t.value().equals(w)) {
                return true;
            }
        }
        return false;
    }

    protected final boolean acceptKw(String word) {
        if (isKw(word)) {
            p++;
            return true;
        }
        return false;
    }

    protected final void expectKw(String word) {
        if (!acceptKw(word)) {
            throw syntaxError();
        }
    }

    protected final boolean isChar(char c) {
        return toks[p].isChar(c);
    }

    protected final boolean isChar(int k, char c) {
        return peek(k).isChar(c);
    }

    protected final boolean acceptChar(char c) {
        if (isChar(c)) {
            p++;
            return true;
        }
        return false;
    }

    protected final void expectChar(char c) {
        if (!acceptChar(c)) {
            throw syntaxError();
        }
    }

    protected final boolean is(TokenKind kind) {
        return toks[p].kind() == kind;
    }

    /** Whether the statement ends here (semicolon or end of input). */
    protected final boolean atStatementEnd() {
        return is(TokenKind.EOF) || isChar(';');
    }

    // ------------------------------------------------------------------ errors

    protected final SqlSyntaxException syntaxError() {
        return syntaxErrorAt(toks[p]);
    }

    protected final SqlSyntaxException syntaxErrorAt(Token t) {
        if (t.kind() == TokenKind.EOF) {
            return new SqlSyntaxException(SqlSyntaxException.SYNTAX_ERROR, "syntax error at end of input",
                    t.position());
        }
        return new SqlSyntaxException(SqlSyntaxException.SYNTAX_ERROR,
                "syntax error at or near \"" + src.substring(t.start(), t.end()) + "\"", t.position());
    }

    protected final SqlSyntaxException error(String sqlState, String message, String hint, int position) {
        return new SqlSyntaxException(sqlState, message, hint, position);
    }

    // ------------------------------------------------------------------- names

    protected static Category category(Token t) {
        if (t.kind() != TokenKind.KEYWORD) {
            return null;
        }
        return Keywords.lookup(t.value()).category();
    }

    /** IDENT, unreserved or column-name key word. */
    protected static boolean isColId(Token t) {
        if (t.kind() == TokenKind.IDENT) {
            return true;
        }
        Category c = category(t);
        return c == Category.UNRESERVED || c == Category.COL_NAME;
    }

    /** IDENT, unreserved or type/function-name key word. */
    protected static boolean isTypeFunctionName(Token t) {
        if (t.kind() == TokenKind.IDENT) {
            return true;
        }
        Category c = category(t);
        return c == Category.UNRESERVED || c == Category.TYPE_FUNC_NAME;
    }

    /** IDENT or any key word that is not reserved. */
    protected static boolean isNonReservedWord(Token t) {
        if (t.kind() == TokenKind.IDENT) {
            return true;
        }
        Category c = category(t);
        return c != null && c != Category.RESERVED;
    }

    /** IDENT or any key word. */
    protected static boolean isColLabel(Token t) {
        return t.kind() == TokenKind.IDENT || t.kind() == TokenKind.KEYWORD;
    }

    /** IDENT or a key word allowed as a label without AS. */
    protected static boolean isBareColLabel(Token t) {
        if (t.kind() == TokenKind.IDENT) {
            return true;
        }
        return t.kind() == TokenKind.KEYWORD && Keywords.lookup(t.value()).bareLabel();
    }

    protected final String colId() {
        if (!isColId(peek())) {
            throw syntaxError();
        }
        return next().value();
    }

    protected final String colLabel() {
        if (!isColLabel(peek())) {
            throw syntaxError();
        }
        return next().value();
    }

    protected final String nonReservedWord() {
        if (!isNonReservedWord(peek())) {
            throw syntaxError();
        }
        return next().value();
    }

    protected final String typeFunctionName() {
        if (!isTypeFunctionName(peek())) {
            throw syntaxError();
        }
        return next().value();
    }

    /** {@code name_list}: ColId, ... */
    protected final List<String> nameList() {
        List<String> names = new ArrayList<>();
        do {
            names.add(colId());
        } while (acceptChar(','));
        return names;
    }

    /** {@code '(' name_list ')'}. */
    protected final List<String> parenNameList() {
        expectChar('(');
        List<String> names = nameList();
        expectChar(')');
        return names;
    }

    /** {@code opt_column_list}: an optional parenthesised name list. */
    protected final List<String> optParenNameList() {
        return isChar('(') ? parenNameList() : List.of();
    }

    /** {@code any_name}: ColId [. ColLabel ...]. */
    protected final List<String> anyName() {
        List<String> names = new ArrayList<>();
        names.add(colId());
        while (isChar('.')) {
            next();
            names.add(colLabel());
        }
        return names;
    }

    protected final List<List<String>> anyNameList() {
        List<List<String>> list = new ArrayList<>();
        do {
            list.add(anyName());
        } while (acceptChar(','));
        return list;
    }

    /** {@code qualified_name}: [[catalog.]schema.]name. */
    protected final RangeVar qualifiedName() {
        int pos = pos();
        List<String> names = anyName();
        return rangeVar(pos, names);
    }

    protected final RangeVar rangeVar(int pos, List<String> names) {
        return switch (names.size()) {
            case 1 -> new RangeVar(pos, null, null, names.get(0), true, null);
            case 2 -> new RangeVar(pos, null, names.get(0), names.get(1), true, null);
            case 3 -> new RangeVar(pos, names.get(0), names.get(1), names.get(2), true, null);
            default -> throw error(SqlSyntaxException.SYNTAX_ERROR,
                    "improper qualified name (too many dotted names): " + String.join(".", names), null, pos);
        };
    }

    protected final List<RangeVar> qualifiedNameList() {
        List<RangeVar> list = new ArrayList<>();
        do {
            list.add(qualifiedName());
        } while (acceptChar(','));
        return list;
    }

    // --------------------------------------------------------------- constants

    protected final String sconst() {
        if (!is(TokenKind.SCONST)) {
            throw syntaxError();
        }
        return next().value();
    }

    protected final int iconst() {
        if (!is(TokenKind.ICONST)) {
            throw syntaxError();
        }
        return Integer.parseInt(next().value());
    }

    /** {@code SignedIconst}: [+|-] integer. */
    protected final int signedIconst() {
        if (isChar('+') && peek(1).kind() == TokenKind.ICONST) {
            next();
            return iconst();
        }
        if (isChar('-') && peek(1).kind() == TokenKind.ICONST) {
            next();
            return -iconst();
        }
        return iconst();
    }

    protected final boolean atSignedIconst() {
        return is(TokenKind.ICONST) || ((isChar('+') || isChar('-')) && peek(1).kind() == TokenKind.ICONST);
    }

    /** {@code NumericOnly}: [+|-] integer or decimal, as text with its sign. */
    protected final String numericOnly() {
        String sign = "";
        if ((isChar('+') || isChar('-'))
                && (peek(1).kind() == TokenKind.ICONST || peek(1).kind() == TokenKind.FCONST)) {
            sign = next().value().equals("-") ? "-" : "";
        }
        if (!is(TokenKind.ICONST) && !is(TokenKind.FCONST)) {
            throw syntaxError();
        }
        return sign + next().value();
    }

    protected final boolean atNumericOnly() {
        return is(TokenKind.ICONST) || is(TokenKind.FCONST) || ((isChar('+') || isChar('-'))
                && (peek(1).kind() == TokenKind.ICONST || peek(1).kind() == TokenKind.FCONST));
    }

    /** {@code NonReservedWord_or_Sconst}. */
    protected final String nonReservedWordOrSconst() {
        if (is(TokenKind.SCONST)) {
            return next().value();
        }
        return nonReservedWord();
    }

    /** {@code RoleSpec}: a role name, CURRENT_ROLE, CURRENT_USER, SESSION_USER, or PUBLIC. */
    protected final RoleSpec roleSpec() {
        if (acceptKw("current_role")) {
            return new RoleSpec(RoleSpec.Kind.CURRENT_ROLE, null);
        }
        if (acceptKw("current_user")) {
            return new RoleSpec(RoleSpec.Kind.CURRENT_USER, null);
        }
        if (acceptKw("session_user")) {
            return new RoleSpec(RoleSpec.Kind.SESSION_USER, null);
        }
        Token t = peek();
        String name = nonReservedWord();
        if (name.equals("public")) {
            return new RoleSpec(RoleSpec.Kind.PUBLIC, null);
        }
        if (name.equals("none")) {
            throw error("42939", "role name \"none\" is reserved", null, t.position());
        }
        return RoleSpec.named(name);
    }

    protected final List<RoleSpec> roleList() {
        List<RoleSpec> list = new ArrayList<>();
        do {
            list.add(roleSpec());
        } while (acceptChar(','));
        return list;
    }
}
