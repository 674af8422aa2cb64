package modgres.api.access;

import modgres.api.buffer.RelFileNode;

/**
 * The relation an access method works on: its OID (for locks and messages),
 * where its files are, and its name (for error messages such as
 * {@code could not obtain lock on row in relation "t"}).
 */
public record RelationRef(int oid, RelFileNode node, String name) {
}
