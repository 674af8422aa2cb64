package modgres.sql.parser;

/** Kinds of tokens, as PostgreSQL's scanner returns them to its grammar. */
public enum TokenKind {
    /** An identifier, folded to lower case unless quoted. */
    IDENT,
    /** A key word (value is the lower case word). */
    KEYWORD,
    /** A string constant (value with escapes resolved). */
    SCONST,
    /** A bit string {@code B'...'} (value "b..."). */
    BCONST,
    /** A hexadecimal bit string {@code X'...'} (value "x..."). */
    XCONST,
    /** An integer constant that fits in 32 bits. */
    ICONST,
    /** Any other numeric constant. */
    FCONST,
    /** A parameter {@code $n} (value is n). */
    PARAM,
    /** A multi-character or non-SQL operator ({@code ||}, {@code @>}, {@code ~}). */
    OP,
    /** {@code ::}. */
    TYPECAST,
    /** {@code ..}. */
    DOT_DOT,
    /** {@code :=}. */
    COLON_EQUALS,
    /** {@code =>}. */
    EQUALS_GREATER,
    /** {@code <=}. */
    LESS_EQUALS,
    /** {@code >=}. */
    GREATER_EQUALS,
    /** {@code <>} or {@code !=} (value "<>"). */
    NOT_EQUALS,
    /** A single character token: one of {@code , ( ) [ ] . ; : + - * / % ^ < > =} or any other character. */
    CHAR,
    /** End of input. */
    EOF
}
