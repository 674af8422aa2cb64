package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.access.RelationRef;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.txn.LockMode;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.RangeVar;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.catalog.TxnContext;

/*
 * Design notes: ALTER SEQUENCE and the transactional restart of a sequence
 * (PostgreSQL's AlterSequence, ResetSequence, process_owned_by).
 *
 * nextval is not transactional, so a sequence's row is written outside the
 * transaction (see Sequences). What must roll back with a transaction (ALTER
 * SEQUENCE's new parameters and RESTART, TRUNCATE ... RESTART IDENTITY) is
 * done as PostgreSQL does it: the sequence gets a new file (relfilenode)
 * holding one frozen row with the new state; pg_class points at it within
 * the transaction. Commit removes the old file; abort removes the new one,
 * and the old file, still holding the old state, is used again. Sequences
 * keeps its in-memory state per file, so the new file starts from its row.
 *
 *   old file (last_value L)  --ALTER/RESTART-->  new file (row: new state)
 *        commit: old file dropped              abort: new file dropped
 *
 * Ownership (OWNED BY, serial and identity columns) is recorded as
 * reloptions "owned_by=<table oid>.<attnum>" on the sequence: DROP TABLE
 * drops the sequences its columns own, TRUNCATE ... RESTART IDENTITY
 * restarts them.
 */
/** ALTER SEQUENCE and sequence restarts: see the design notes. */
public final class SequenceCommands {
    private final DdlExecutor d;
    private final Sequences sequences;

    public SequenceCommands(DdlExecutor d, Sequences sequences) {
        this.d = d;
        this.sequences = sequences;
    }

    /** The reloptions value recording that a sequence belongs to column {@code attnum} of table {@code table}. */
    public static String ownedByOption(int table, int attnum) {
        return "owned_by=" + Integer.toUnsignedString(table) + "." + attnum;
    }

    /** The sequences owned by columns of {@code table} (serial, identity, OWNED BY), in OID order. */
    public static List<Relation> ownedSequences(CatalogView cat, int table) {
        String prefix = "owned_by=" + Integer.toUnsignedString(table) + ".";
        List<Relation> out = new ArrayList<>();
        for (Relation r : cat.relations()) {
            if (r.kind() == 'S' && r.options() != null && r.options().startsWith(prefix)) {
                out.add(r);
            }
        }
        out.sort((a, b) -> Integer.compareUnsigned(a.oid(), b.oid()));
        return out;
    }

    /** A sequence's stored parameters (pg_sequence). */
    public static Sequences.Def definition(CatalogView cat, int seq) {
        SysTable t = SysTable.PG_SEQUENCE;
        CatalogStore.Row row = cat.row(t, "seqrelid", seq);
        return new Sequences.Def((Long) row.get(t, "seqstart"), (Long) row.get(t, "seqincrement"),
                (Long) row.get(t, "seqmin"), (Long) row.get(t, "seqmax"), (Long) row.get(t, "seqcache"),
                (Boolean) row.get(t, "seqcycle"));
    }

    /** ALTER SEQUENCE [IF EXISTS] name options. */
    public String alter(Ddl.AlterSequence as) {
        RangeVar rv = as.relation();
        Relation seq;
        try {
            seq = d.planner.lookup(rv.schema(), rv.name());
        } catch (PgException e) {
            if (!as.ifExists()) {
                throw e;
            }
            seq = null;
        }
        if (seq == null) {
            if (as.ifExists()) {
                d.notice.accept("relation \"" + rv.name() + "\" does not exist, skipping");
                return "ALTER SEQUENCE";
            }
            throw new PgException("42P01", "relation \"" + (rv.schema() == null ? "" : rv.schema() + ".")
                    + rv.name() + "\" does not exist");
        }
        if (seq.kind() != 'S') {
            throw new PgException("42809", "\"" + seq.name() + "\" is not a sequence");
        }
        d.tx.lockRelation(seq.oid(), LockMode.SHARE_ROW_EXCLUSIVE);
        SysTable t = SysTable.PG_SEQUENCE;
        CatalogStore.Row row = d.cat.row(t, "seqrelid", seq.oid());
        Sequences.Def old = definition(d.cat, seq.oid());
        int oldType = (Integer) row.get(t, "seqtypid");
        Object[] current = sequences.current(seq.ref(), old);
        SequenceOptions.Result r = SequenceOptions.apply(as.options(), false, old, oldType, (Long) current[0],
                oldType, tn -> d.ts.typeOid(tn.names(), false));
        Sequences.Def def = r.def();
        d.store.update(t, row.tid(), new Object[] {seq.oid(), r.type(), def.start(), def.increment(), def.max(),
            def.min(), def.cache(), def.cycle()}, d.tx);
        if (r.rewrite()) {
            newFile(seq, r.lastValue(), !r.restarted() && (Boolean) current[1]);
        }
        if (r.ownedBy() != null) {
            setOwner(seq, r.ownedBy());
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
        return "ALTER SEQUENCE";
    }

    /** TRUNCATE ... RESTART IDENTITY of an owned sequence: START again, not called, undone by a rollback. */
    void restart(Relation seq) {
        Sequences.Def def = definition(d.cat, seq.oid());
        newFile(seq, def.start(), false);
    }

    /** Gives the sequence a new file holding {last, called}; see the design notes. */
    private void newFile(Relation seq, long last, boolean called) {
        RelFileNode old = seq.node();
        int fn = d.tx.newOid();
        RelFileNode node = new RelFileNode(old.tablespace(), old.database(), fn, old.backend());
        modgres.api.access.Heap heap = d.ex.heap;
        heap.create(node);
        d.tx.onAbort(new TxnContext.DropNewStorage(node, () -> heap.dropStorage(node)));
        RelationRef oldRef = seq.ref();
        Sequences seqs = sequences;
        d.tx.onCommit(() -> {
            heap.dropStorage(old);
            seqs.forget(oldRef);
        });
        Sequences.writeNewFileRow(heap, new RelationRef(seq.oid(), node, seq.name()), last, called);
        CatalogStore.Row r = d.cat.row(SysTable.PG_CLASS, "oid", seq.oid());
        Object[] v = r.values().clone();
        v[SysTable.PG_CLASS.column("relfilenode")] = fn;
        d.store.update(SysTable.PG_CLASS, r.tid(), v, d.tx);
    }

    /** OWNED BY table.column / NONE (process_owned_by). */
    private void setOwner(Relation seq, List<String> name) {
        String option;
        if (name.size() == 1 && name.get(0).equals("none")) {
            option = null;
        } else if (name.size() < 2) {
            throw new PgException("42601", "invalid OWNED BY option", null,
                    "Specify OWNED BY table.column or OWNED BY NONE.");
        } else {
            List<String> relName = name.subList(0, name.size() - 1);
            String column = name.get(name.size() - 1);
            String schema = relName.size() > 1 ? relName.get(relName.size() - 2) : null;
            String table = relName.get(relName.size() - 1);
            Relation rel = d.planner.lookup(schema, table);
            if (rel == null) {
                throw new PgException("42P01", "relation \"" + String.join(".", relName) + "\" does not exist");
            }
            if (rel.kind() != 'r' && rel.kind() != 'p' && rel.kind() != 'v' && rel.kind() != 'f') {
                throw new PgException("42809", "sequence cannot be owned by relation \"" + rel.name() + "\"",
                        "This operation is not supported for " + kindPlural(rel.kind()) + ".", null);
            }
            if (rel.owner() != seq.owner()) {
                throw new PgException("55000", "sequence must have same owner as table it is linked to");
            }
            if (rel.namespace() != seq.namespace()) {
                throw new PgException("55000", "sequence must be in same schema as table it is linked to");
            }
            Relation.Column col = rel.column(column);
            if (col == null) {
                throw new PgException("42703", "column \"" + column + "\" of relation \"" + rel.name()
                        + "\" does not exist");
            }
            option = ownedByOption(rel.oid(), col.attnum());
        }
        Relation identityTable = identityOwner(seq);
        if (identityTable != null) {
            throw new PgException("0A000", "cannot change ownership of identity sequence",
                    "Sequence \"" + seq.name() + "\" is linked to table \"" + identityTable.name() + "\".", null);
        }
        CatalogStore.Row r = d.cat.row(SysTable.PG_CLASS, "oid", seq.oid());
        Object[] v = r.values().clone();
        v[SysTable.PG_CLASS.column("reloptions")] = option;
        d.store.update(SysTable.PG_CLASS, r.tid(), v, d.tx);
    }

    /** The table whose identity column owns {@code seq}, or null (serial or OWNED BY ownership may change). */
    private Relation identityOwner(Relation seq) {
        String o = seq.options();
        if (o == null || !o.startsWith("owned_by=")) {
            return null;
        }
        String[] parts = o.substring("owned_by=".length()).split("\\.");
        try {
            Relation table = d.cat.relation(Integer.parseUnsignedInt(parts[0]));
            int attnum = Integer.parseInt(parts[1]);
            if (table == null || attnum < 1 || attnum > table.columns().size()) {
                return null;
            }
            String identity = table.columns().get(attnum - 1).identity();
            return identity != null && !identity.isEmpty() ? table : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String kindPlural(char kind) {
        return switch (kind) {
            case 'i', 'I' -> "indexes";
            case 'S' -> "sequences";
            case 'c' -> "composite types";
            case 't' -> "TOAST tables";
            case 'm' -> "materialized views";
            default -> "relations";
        };
    }

}
