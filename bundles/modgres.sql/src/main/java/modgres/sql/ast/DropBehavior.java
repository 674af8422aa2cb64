package modgres.sql.ast;

/** {@code CASCADE} / {@code RESTRICT} (DEFAULT when neither was written). */
public enum DropBehavior { DEFAULT, RESTRICT, CASCADE }
