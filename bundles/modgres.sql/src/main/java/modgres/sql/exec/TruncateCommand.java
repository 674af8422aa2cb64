package modgres.sql.exec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.api.txn.LockMode;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.DropBehavior;
import modgres.sql.ast.RangeVar;
import modgres.sql.catalog.Inheritance;
import modgres.sql.catalog.Relation;

/*
 * Design notes: TRUNCATE (PostgreSQL's ExecuteTruncate / ExecuteTruncateGuts
 * and heap_truncate_find_FKs / heap_truncate_check_FKs).
 *
 * 1. The named tables, in the order written, each once; a name without ONLY
 *    brings its inheritance children and partitions (children before
 *    grandchildren). ONLY on a partitioned table is 42809.
 * 2. CASCADE: rounds of "which tables reference one of the list?" until a
 *    round finds none. Each round's finds are added in OID order, each with
 *    NOTICE truncate cascades to table "x". RESTRICT (the default): the
 *    first table of the list (in list order) referenced by a table outside
 *    the list, with its referencing tables in OID order, gives 0A000 "cannot
 *    truncate a table referenced in a foreign key constraint". The same test
 *    guards ON COMMIT DELETE ROWS at commit (its own message).
 * 3. Storage: every table (with its indexes and TOAST) gets new empty files,
 *    the old ones go at commit, the new ones at abort.
 * 4. RESTART IDENTITY: each sequence owned by a column of a truncated table
 *    (serial or identity) gets a new file whose row is START, not called,
 *    so a rollback brings the old file, and with it the old value, back.
 *
 * "References" follows PostgreSQL's pg_constraint rows for partitioned
 * tables whether or not this catalog has the per-partition clones: a
 * foreign key referencing a partitioned table references every partition
 * below it, and a partitioned table that references a table brings all its
 * partitions along (PostgreSQL finds them through their own clone rows).
 * Every pg_constraint foreign key is followed, whatever the relkind.
 */
/** TRUNCATE: see the design notes. */
public final class TruncateCommand {
    private final DdlExecutor d;

    public TruncateCommand(DdlExecutor d) {
        this.d = d;
    }

    /**
     * The tables a TRUNCATE empties, in PostgreSQL's order (named, their descendants, then cascaded ones),
     * locked ACCESS EXCLUSIVE; raises the foreign-key error of a RESTRICT truncation.
     */
    public List<Relation> targets(Ddl.Truncate t) {
        Map<Integer, Relation> rels = new LinkedHashMap<>();
        Inheritance inh = d.cat.inheritance();
        for (RangeVar rv : t.relations()) {
            Relation r = d.planner.relation(rv);
            checkKind(r);
            d.tx.lockRelation(r.oid(), LockMode.ACCESS_EXCLUSIVE);
            if (rels.containsKey(r.oid())) {
                continue;
            }
            rels.put(r.oid(), r);
            if (rv.inherit()) {
                for (int c : inh.descendants(r.oid())) {
                    Relation cr = d.cat.relation(c);
                    if (cr != null && !rels.containsKey(c)) {
                        checkKind(cr);
                        d.tx.lockRelation(c, LockMode.ACCESS_EXCLUSIVE);
                        rels.put(c, cr);
                    }
                }
            } else if (r.kind() == 'p') {
                throw new PgException("42809", "cannot truncate only a partitioned table", null,
                        "Do not specify the ONLY keyword, or use TRUNCATE ONLY on the partitions directly.");
            }
        }
        if (t.behavior() == DropBehavior.CASCADE) {
            while (true) {
                List<Relation> more = referencing(rels.keySet());
                if (more.isEmpty()) {
                    break;
                }
                for (Relation r : more) {
                    d.tx.lockRelation(r.oid(), LockMode.ACCESS_EXCLUSIVE);
                    d.notice.accept("truncate cascades to table \"" + r.name() + "\"");
                    checkKind(r);
                    rels.put(r.oid(), r);
                }
            }
        } else {
            String[] pair = outsideReference(new ArrayList<>(rels.values()));
            if (pair != null) {
                throw new PgException("0A000", "cannot truncate a table referenced in a foreign key constraint",
                        "Table \"" + pair[0] + "\" references \"" + pair[1] + "\".", "Truncate table \"" + pair[0]
                                + "\" at the same time, or use TRUNCATE ... CASCADE.");
            }
        }
        return new ArrayList<>(rels.values());
    }

    private static void checkKind(Relation r) {
        if (r.kind() != 'r' && r.kind() != 'p') {
            throw new PgException("42809", "\"" + r.name() + "\" is not a table");
        }
    }

    /**
     * heap_truncate_check_FKs: for the first table of {@code rels} referenced by a table outside them,
     * {referencing name, referenced name}; null when every referencing table is among them.
     */
    public String[] outsideReference(List<Relation> rels) {
        Set<Integer> oids = new HashSet<>();
        for (Relation r : rels) {
            oids.add(r.oid());
        }
        if (referencing(oids).isEmpty()) {
            return null;
        }
        for (Relation r : rels) {
            for (Relation referencing : referencing(Set.of(r.oid()))) {
                if (!oids.contains(referencing.oid())) {
                    return new String[] {referencing.name(), r.name()};
                }
            }
        }
        return null;
    }

    /**
     * heap_truncate_find_FKs: the tables outside {@code oids} with a foreign key referencing one of them (or a
     * partitioned table above one of them), and the partitions of such tables, in OID order, each once.
     */
    List<Relation> referencing(Set<Integer> oids) {
        Inheritance inh = d.cat.inheritance();
        Set<Integer> referenced = new HashSet<>(oids);
        for (int o : oids) {
            for (int p = inh.partitionParent(o); p != 0 && referenced.add(p); p = inh.partitionParent(p)) {
                // a foreign key to a partitioned table references each of its partitions
            }
        }
        Set<Integer> found = new HashSet<>();
        for (Relation r : d.cat.relations()) {
            if (oids.contains(r.oid())) {
                continue;
            }
            for (Relation.Constraint k : r.constraints()) {
                if (k.type() == 'f' && referenced.contains(k.refRelation())) {
                    found.add(r.oid());
                    if (r.kind() == 'p') {
                        for (int c : inh.descendants(r.oid())) {
                            if (!oids.contains(c)) {
                                found.add(c);
                            }
                        }
                    }
                    break;
                }
            }
        }
        List<Integer> sorted = new ArrayList<>(found);
        sorted.sort(Integer::compareUnsigned);
        List<Relation> out = new ArrayList<>();
        for (int o : sorted) {
            Relation r = d.cat.relation(o);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** Empties the tables: new files for each table, its indexes and TOAST; then RESTART IDENTITY's sequences. */
    public void truncate(List<Relation> rels, boolean restartIdentity, Sequences sequences) {
        List<Relation> owned = new ArrayList<>();
        if (restartIdentity) {
            Set<Integer> seen = new HashSet<>();
            for (Relation table : rels) {
                for (Relation s : SequenceCommands.ownedSequences(d.cat, table.oid())) {
                    if (seen.add(s.oid())) {
                        d.tx.lockRelation(s.oid(), LockMode.ACCESS_EXCLUSIVE);
                        owned.add(s);
                    }
                }
            }
        }
        for (Relation r : rels) {
            if (d.ex.stats != null) {
                d.ex.stats.truncated(r.oid());
            }
            d.newFileNode(r.oid(), r.node(), true);
            for (Relation.Index i : r.indexes()) {
                d.newFileNode(i.oid(), i.node(), false);
            }
            if (r.toast() != null) {
                d.newFileNode(r.toast().oid(), r.toast().node(), true);
                d.newFileNode(r.toast().indexOid(), r.toast().indexNode(), false);
            }
        }
        SequenceCommands seqs = new SequenceCommands(d, sequences);
        for (Relation s : owned) {
            seqs.restart(s);
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
    }
}
