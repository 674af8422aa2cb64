package modgres.sql.ast;

/**
 * A node of the syntax tree. Every node knows where it starts in the source
 * text: the 1-based character (code point) offset, as PostgreSQL reports
 * error positions; 0 when the node was not written in the source.
 */
public interface Node {
    /** 1-based character offset of the node's first token, or 0. */
    int position();
}
