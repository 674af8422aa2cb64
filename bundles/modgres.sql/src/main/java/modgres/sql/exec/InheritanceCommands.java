package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.api.txn.LockMode;
import modgres.sql.ast.ColumnDef;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.Expr;
import modgres.sql.ast.IndexElem;
import modgres.sql.ast.PartitionBound;
import modgres.sql.ast.RangeVar;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Inheritance;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;

/*
 * Design notes: the DDL of table inheritance and declarative partitioning
 * (PostgreSQL's MergeAttributes, StoreCatalogInheritance, ATExecAttachPartition
 * and friends, in miniature). DdlExecutor calls in here at a few points:
 *
 *   CREATE TABLE c (...) INHERITS (p, q)   columns of p then q (same names
 *       merged, NOTICE "merging multiple inherited definitions"), then the
 *       child's own (a same-named one merged into the inherited column, NOTICE
 *       "merging column ... with inherited definition"); NOT NULL ored,
 *       defaults inherited, CHECK constraints copied (conislocal false,
 *       coninhcount counted); pg_inherits rows; the parents' relhassubclass.
 *   CREATE TABLE p (...) PARTITION BY s (cols)   relkind 'p' and a
 *       pg_partitioned_table row.
 *   CREATE TABLE c PARTITION OF p bound   as INHERITS (p), plus the bound
 *       checked against the siblings (42P17), relispartition, relpartbound,
 *       the parent's partdefid for DEFAULT.
 *   ALTER TABLE p ATTACH / DETACH PARTITION, ALTER TABLE c INHERIT / NO INHERIT
 *       add or remove the same links on an existing table (ATTACH first checks
 *       every row against the bound: 23514).
 *
 * Column inheritance counts are kept in pg_attribute (attislocal,
 * attinhcount) as PostgreSQL keeps them, so DROP COLUMN on a parent knows
 * which children's columns go with it.
 */
/** Inheritance and partitioning DDL; see the design notes. */
final class InheritanceCommands {
    private final DdlExecutor d;

    InheritanceCommands(DdlExecutor d) {
        this.d = d;
    }

    private CatalogView cat() {
        return d.cat;
    }

    /** Whether CREATE TABLE involves inheritance or partitioning. */
    static boolean involved(Ddl.CreateTable ct) {
        return ct.partitionBy() != null || ct.partitionOf() != null || !ct.inherits().isEmpty();
    }

    // ------------------------------------------------------------------ CREATE TABLE

    /** The parents CREATE TABLE names (the partitioned table of PARTITION OF), checked. */
    List<Relation> parents(Ddl.CreateTable ct, boolean temp) {
        List<Relation> out = new ArrayList<>();
        if (ct.partitionOf() != null) {
            Relation p = d.planner.relation(ct.partitionOf());
            if (p.kind() != 'p') {
                throw new PgException("42809", "\"" + p.name() + "\" is not partitioned", null, null,
                        ct.partitionOf().position(), null);
            }
            if (p.node().isTemp() != temp) {
                throw new PgException("42809", temp ? "cannot create a temporary relation as partition of permanent "
                        + "relation \"" + p.name() + "\"" : "cannot create a permanent relation as partition of "
                        + "temporary relation \"" + p.name() + "\"", null, null, ct.partitionOf().position(), null);
            }
            out.add(p);
            return out;
        }
        for (RangeVar rv : ct.inherits()) {
            Relation p = d.planner.relation(rv);
            if (p.kind() == 'p') {
                throw new PgException("42809", "cannot inherit from partitioned table \"" + p.name() + "\"", null,
                        null, rv.position(), null);
            }
            if (cat().inheritance().partitionParent(p.oid()) != 0) {
                throw new PgException("42809", "cannot inherit from partition \"" + p.name() + "\"", null, null,
                        rv.position(), null);
            }
            if (p.kind() != 'r') {
                throw new PgException("42809", "inherited relation \"" + p.name() + "\" is not a table", null, null,
                        rv.position(), null);
            }
            if (p.node().isTemp() && !temp) {
                throw new PgException("42809", "cannot inherit from temporary relation \"" + p.name() + "\"", null,
                        null, rv.position(), null);
            }
            for (Relation q : out) {
                if (q.oid() == p.oid()) {
                    throw new PgException("42P07", "relation \"" + p.name() + "\" would be inherited from more than "
                            + "once", null, null, rv.position(), null);
                }
            }
            out.add(p);
        }
        return out;
    }

    /** The inherited columns (attnums 1..n), same names of several parents merged. */
    List<DdlExecutor.Col> inheritedColumns(List<Relation> parents, boolean partition) {
        List<DdlExecutor.Col> cols = new ArrayList<>();
        for (Relation p : parents) {
            for (Relation.Column c : p.liveColumns()) {
                DdlExecutor.Col have = null;
                for (DdlExecutor.Col x : cols) {
                    if (x.name.equals(c.name())) {
                        have = x;
                    }
                }
                if (have != null) {
                    d.notice.accept("merging multiple inherited definitions of column \"" + c.name() + "\"");
                    if (have.type != c.type() || have.typmod != c.typmod()) {
                        throw new PgException("42804", "inherited column \"" + c.name() + "\" has a type conflict",
                                d.ts.format(have.type, have.typmod) + " versus " + d.ts.format(c.type(), c.typmod()),
                                null);
                    }
                    have.notNull |= c.notNull();
                    have.inhCount++;
                    continue;
                }
                DdlExecutor.Col n = new DdlExecutor.Col();
                n.name = c.name();
                n.type = c.type();
                n.typmod = c.typmod();
                n.notNull = c.notNull();
                n.defaultSql = c.defaultExpr();
                n.attnum = cols.size() + 1;
                n.inhCount = 1;
                n.local = false;
                cols.add(n);
            }
        }
        return cols;
    }

    /** A column the statement defines that an inherited one has: merged into it (type checked, NOTICE). */
    void merge(DdlExecutor.Col inherited, ColumnDef cd, int ownIndex, boolean partition) {
        if (cd.type() != null) {
            int type = d.ts.typeOid(cd.type().names(), !cd.type().arrayBounds().isEmpty());
            if (type != inherited.type) {
                throw new PgException("42804", "column \"" + cd.name() + "\" has a type conflict",
                        d.ts.format(inherited.type, inherited.typmod) + " versus " + d.ts.format(type, -1), null,
                        cd.position(), null);
            }
        }
        if (!partition) {
            d.notice.accept(ownIndex + 1 != inherited.attnum ? "moving and merging column \"" + cd.name()
                    + "\" with inherited definition" : "merging column \"" + cd.name() + "\" with inherited definition");
        }
        inherited.local = true;
    }

    /** PARTITION BY: the key's attnums in the new table's columns, checked. */
    static int[] partitionKey(Ddl.CreateTable ct, List<DdlExecutor.Col> cols) {
        String s = ct.partitionBy().strategy();
        if (!s.equals("range") && !s.equals("list") && !s.equals("hash")) {
            throw new PgException("22023", "unrecognized partitioning strategy \"" + s + "\"", null, null,
                    ct.partitionBy().position(), null);
        }
        if (s.equals("list") && ct.partitionBy().keys().size() > 1) {
            throw new PgException("42P17", "cannot use \"list\" partition strategy with more than one column", null,
                    null, ct.partitionBy().position(), null);
        }
        int[] keys = new int[ct.partitionBy().keys().size()];
        for (int i = 0; i < keys.length; i++) {
            IndexElem e = ct.partitionBy().keys().get(i);
            String name = e.name();
            if (name == null && e.expr() instanceof Expr.ColumnRef cr && cr.fields().size() == 1) {
                name = cr.fields().get(0);
            }
            if (name == null) {
                keys[i] = 0; // an expression: its text goes to partexprs
                continue;
            }
            DdlExecutor.Col found = null;
            for (DdlExecutor.Col c : cols) {
                if (c.name.equals(name)) {
                    found = c;
                }
            }
            if (found == null) {
                throw new PgException("42703", "column \"" + name + "\" named in partition key does not exist", null,
                        null, e.position(), null);
            }
            keys[i] = found.attnum;
        }
        return keys;
    }

    /**
     * After the new table's own rows: pg_partitioned_table (PARTITION BY), the links to its parents, inherited
     * CHECK constraints, and for a partition its bound.
     */
    void finishCreate(Ddl.CreateTable ct, int oid, int nsp, List<Relation> parents, int[] partKey,
            List<String> localChecks) {
        if (partKey != null) {
            List<String> exprs = new ArrayList<>();
            for (int i = 0; i < partKey.length; i++) {
                if (partKey[i] == 0) {
                    exprs.add(modgres.sql.ast.SqlDeparser.deparse(ct.partitionBy().keys().get(i).expr()));
                }
            }
            d.store.insert(SysTable.PG_PARTITIONED_TABLE, new Object[] {oid,
                    ct.partitionBy().strategy().substring(0, 1), (short) partKey.length, 0,
                    CatalogView.formatInts(partKey), partitionClasses(ct, oid, partKey), "",
                    exprs.isEmpty() ? null : String.join("\n", exprs)},
                    d.tx);
        }
        String bound = null;
        if (ct.partitionOf() != null) {
            bound = checkedBound(parents.get(0), ct.relation().name(), ct.bound(), null);
        }
        link(oid, nsp, parents, bound, localChecks);
    }

    /**
     * pg_partitioned_table.partclass of a new hash-partitioned table: per key column the OID of the user-defined
     * hash operator class it names, or 0; "" when no column names one (built-in class names, e.g. int4_ops, are
     * the types' own hashing and are not stored as classes here).
     */
    private String partitionClasses(Ddl.CreateTable ct, int oid, int[] partKey) {
        if (!ct.partitionBy().strategy().equals("hash")) {
            return "";
        }
        Relation rel = d.reload(oid);
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        for (int i = 0; i < partKey.length; i++) {
            List<String> opclass = ct.partitionBy().keys().get(i).opclass();
            int cls = 0;
            if (partKey[i] != 0 && !opclass.isEmpty()) {
                int type = rel.columns().get(partKey[i] - 1).type();
                cls = OperatorClasses.hashKeyClass(d.cat, d.planner.searchPath, opclass, type, d.ts);
            }
            any |= cls != 0;
            sb.append(i == 0 ? "" : " ").append(cls);
        }
        return any ? sb.toString() : "";
    }

    /** pg_inherits rows, relhassubclass, the parents' CHECK constraints, and a partition's bound. */
    private void link(int oid, int nsp, List<Relation> parents, String bound, List<String> localChecks) {
        for (int i = 0; i < parents.size(); i++) {
            Relation p = parents.get(i);
            d.store.insert(SysTable.PG_INHERITS, new Object[] {oid, p.oid(), i + 1, false}, d.tx);
            updateClass(p.oid(), "relhassubclass", true);
            for (Relation.Constraint k : p.constraints()) {
                if (k.type() != 'c') {
                    continue;
                }
                if (localChecks.contains(k.name())) {
                    continue;
                }
                localChecks.add(k.name());
                d.store.insert(SysTable.PG_CONSTRAINT, new Object[] {d.tx.newOid(), k.name(), nsp, "c", false, false,
                        true, oid, 0, 0, 0, 0, " ", " ", " ", false, 1, false, "", null, k.expr()}, d.tx);
            }
        }
        if (bound != null) {
            updateClass(oid, "relispartition", true);
            updateClass(oid, "relpartbound", bound);
            if (bound.equals("DEFAULT")) {
                setDefaultPartition(parents.get(0).oid(), oid);
            }
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
    }

    private void setDefaultPartition(int parent, int oid) {
        SysTable pt = SysTable.PG_PARTITIONED_TABLE;
        for (CatalogStore.Row r : d.store.scan(pt, d.tx.snapshot())) {
            if ((Integer) r.get(pt, "partrelid") == parent) {
                Object[] v = r.values().clone();
                v[pt.column("partdefid")] = oid;
                d.store.update(pt, r.tid(), v, d.tx);
            }
        }
    }

    private void updateClass(int oid, String column, Object value) {
        SysTable c = SysTable.PG_CLASS;
        for (CatalogStore.Row r : d.store.scan(c, d.tx.snapshot())) {
            if ((Integer) r.get(c, "oid") == oid) {
                Object[] v = java.util.Arrays.copyOf(r.values(), c.columns().size());
                if (java.util.Objects.equals(v[c.column(column)], value)) {
                    return;
                }
                v[c.column(column)] = value;
                d.store.update(c, r.tid(), v, d.tx);
                d.tx.commandCounterIncrement();
                return;
            }
        }
    }

    /**
     * The bound of a new partition of {@code parent} as relpartbound text: its values evaluated and converted
     * to the key's types, checked against the other partitions (42P17) and, with {@code table} (ATTACH), against
     * the rows already in it (23514); the default partition must not hold rows the new bound takes.
     */
    private String checkedBound(Relation parent, String name, PartitionBound b, Relation table) {
        PartitionBounds.Tree t = PartitionBounds.tree(d.planner, parent);
        char s = t.strategy();
        PartitionBound.Strategy want = s == 'r' ? PartitionBound.Strategy.RANGE
                : s == 'l' ? PartitionBound.Strategy.LIST : PartitionBound.Strategy.HASH;
        PartitionBounds.Bound nb;
        if (b.strategy() == PartitionBound.Strategy.DEFAULT) {
            if (s == 'h') {
                throw new PgException("42P16", "a hash-partitioned table may not have a default partition", null,
                        null, b.position(), null);
            }
            nb = new PartitionBounds.Bound(true, List.of(), null, null, 0, 0);
        } else if (b.strategy() != want) {
            String sname = s == 'r' ? "range" : s == 'l' ? "list" : "hash";
            throw new PgException("42P16", "invalid bound specification for a " + sname + " partition", null, null,
                    b.position(), null);
        } else if (s == 'l') {
            List<Object> vals = new ArrayList<>();
            for (Expr e : b.listValues()) {
                Object v = value(e, t, 0);
                boolean dup = false;
                for (Object x : vals) {
                    dup |= x == null ? v == null : v != null && d.ts.compare(t.keyTypes[0], x, v) == 0;
                }
                if (!dup) {
                    vals.add(v);
                }
            }
            nb = new PartitionBounds.Bound(false, vals, null, null, 0, 0);
        } else if (s == 'r') {
            if (b.from().size() != t.keyTypes.length) {
                throw new PgException("42P16", "FROM must specify exactly one value per partitioning column", null,
                        null, b.position(), null);
            }
            if (b.to().size() != t.keyTypes.length) {
                throw new PgException("42P16", "TO must specify exactly one value per partitioning column", null,
                        null, b.position(), null);
            }
            nb = new PartitionBounds.Bound(false, List.of(), rangeValues(b.from(), t), rangeValues(b.to(), t), 0, 0);
        } else {
            if (b.modulus() <= 0) {
                throw new PgException("42P16", "modulus for hash partition must be an integer value greater than zero",
                        null, null, b.position(), null);
            }
            if (b.remainder() >= b.modulus()) {
                throw new PgException("42P16", "remainder for hash partition must be less than modulus", null, null,
                        b.position(), null);
            }
            nb = new PartitionBounds.Bound(false, List.of(), null, null, b.modulus(), b.remainder());
        }
        PartitionBounds.checkNew(t, name, nb, d.ts, b.position());
        if (table != null && !nb.isDefault()) {
            rowsFit(table, t, nb, "partition constraint of relation \"" + table.name() + "\" is violated by some row");
        }
        if (!nb.isDefault() && t.defaultPart != null && t.defaultPart.sub == null) {
            Relation def = t.defaultPart.rel;
            PartitionBounds.Layout l = new PartitionBounds.Layout(def, parent);
            int[] kt = t.keyTypes;
            PartitionBounds.Bound fb = nb;
            if (d.anyRow(def, row -> PartitionBounds.accepts(s, fb, t.keyOf(l.apply(row)), kt, d.ts,
                    t.greatestModulus, t.hashFns))) {
                throw new PgException("23514", "updated partition constraint for default partition \"" + def.name()
                        + "\" would be violated by some row");
            }
        }
        return PartitionBounds.format(s, nb, t.keyTypes, d.ts);
    }

    /** 23514 when a row of {@code table} is outside the bound (ATTACH PARTITION's validation scan). */
    private void rowsFit(Relation table, PartitionBounds.Tree t, PartitionBounds.Bound nb, String message) {
        PartitionBounds.Layout l = new PartitionBounds.Layout(table, t.rel);
        char s = t.strategy();
        if (d.anyRow(table, row -> !PartitionBounds.accepts(s, nb, t.keyOf(l.apply(row)), t.keyTypes, d.ts,
                t.greatestModulus, t.hashFns))) {
            throw new PgException("23514", message);
        }
    }

    private Object[] rangeValues(List<Expr> es, PartitionBounds.Tree t) {
        Object[] out = new Object[es.size()];
        Object fill = null;
        for (int i = 0; i < out.length; i++) {
            Expr e = es.get(i);
            String word = e instanceof Expr.ColumnRef cr && cr.fields().size() == 1 ? cr.fields().get(0) : null;
            Object mm = "minvalue".equals(word) ? PartitionBounds.MINVALUE
                    : "maxvalue".equals(word) ? PartitionBounds.MAXVALUE : null;
            if (fill != null && mm != fill) {
                throw new PgException("42P16", "every bound following " + fill + " must also be " + fill, null, null,
                        e.position(), null);
            }
            if (mm != null) {
                out[i] = mm;
                fill = mm;
            } else {
                out[i] = value(e, t, i);
                if (out[i] == null) {
                    throw new PgException("42P16", "cannot specify NULL in range bound", null, null, e.position(),
                            null);
                }
            }
        }
        return out;
    }

    /** A bound value: the expression evaluated and converted to the key column's type. */
    private Object value(Expr e, PartitionBounds.Tree t, int col) {
        Compiler c = d.planner.compiler(new Scope(null));
        c.forbidAggregates("partition bound");
        Compiler.C v = c.compile(e);
        int type = t.keyTypes[col];
        Compiler.C k;
        try {
            k = c.coerce(v, type, -1, TypeSystem.CastContext.ASSIGNMENT, null);
        } catch (PgException ex) {
            throw new PgException("42804", "specified value cannot be cast to type " + d.ts.format(type, -1)
                    + " for column \"" + t.keyNames[col] + "\"", null, null, e.position(), null);
        }
        return k.ev().eval(null, d.ex);
    }

    // ------------------------------------------------------------------ ALTER TABLE

    /** ALTER TABLE parent ATTACH PARTITION table bound. */
    void attach(Relation parent, modgres.sql.ast.AlterTableCmd.AttachPartition ap) {
        if (parent.kind() != 'p') {
            throw new PgException("42809", "table \"" + parent.name() + "\" is not partitioned");
        }
        Relation t = d.planner.relation(ap.partition());
        d.tx.lockRelation(t.oid(), LockMode.ACCESS_EXCLUSIVE);
        if (cat().inheritance().partitionParent(t.oid()) != 0) {
            throw new PgException("42P17", "\"" + t.name() + "\" is already a partition");
        }
        if (!cat().inheritance().parents(t.oid()).isEmpty()) {
            throw new PgException("42809", "cannot attach inheritance child as partition");
        }
        if (t.oid() == parent.oid() || cat().inheritance().descendants(t.oid()).contains(parent.oid())) {
            throw new PgException("42P17", "circular inheritance not allowed",
                    "\"" + parent.name() + "\" is already a child of \"" + t.name() + "\".", null);
        }
        matchColumns(t, parent, "table \"" + t.name() + "\" contains column \"%s\" not found in parent \""
                + parent.name() + "\"", "table \"" + t.name() + "\" contains column \"%s\" not found in parent \""
                + parent.name() + "\"");
        String bound = checkedBound(parent, t.name(), ap.bound(), t.kind() == 'r' ? t : null);
        markInherited(t, parent, true);
        link(t.oid(), t.namespace(), List.of(parent), bound, localCheckNames(t));
        new PartitionedIndexes(d).cloneInto(parent, d.reload(t.oid()));
        PartitionedForeignKeys.cloneIntoPartition(d, parent, d.reload(t.oid()));
    }

    /** ALTER TABLE parent DETACH PARTITION table. */
    void detach(Relation parent, modgres.sql.ast.AlterTableCmd.DetachPartition dp) {
        Relation t = d.planner.relation(dp.partition());
        if (cat().inheritance().partitionParent(t.oid()) != parent.oid()) {
            throw new PgException("42P01", "relation \"" + t.name() + "\" is not a partition of relation \""
                    + parent.name() + "\"");
        }
        d.tx.lockRelation(t.oid(), LockMode.ACCESS_EXCLUSIVE);
        new PartitionedIndexes(d).detach(parent, t);
        unlink(t, parent);
        updateClass(t.oid(), "relispartition", false);
        updateClass(t.oid(), "relpartbound", null);
        Inheritance.PartitionKey k = cat().inheritance().partitionKey(parent.oid());
        if (k != null && k.defaultPartition() == t.oid()) {
            setDefaultPartition(parent.oid(), 0);
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
    }

    /** ALTER TABLE child INHERIT parent. */
    void inherit(Relation child, List<String> name) {
        Relation parent = d.planner.relation(rangeVar(name));
        if (parent.kind() == 'p') {
            throw new PgException("42809", "cannot inherit from partitioned table \"" + parent.name() + "\"");
        }
        if (cat().inheritance().partitionParent(child.oid()) != 0) {
            throw new PgException("42809", "cannot change inheritance of a partition");
        }
        if (child.kind() == 'p') {
            throw new PgException("42809", "cannot change inheritance of partitioned table");
        }
        if (parent.oid() == child.oid() || cat().inheritance().descendants(child.oid()).contains(parent.oid())) {
            throw new PgException("42P07", "circular inheritance not allowed",
                    "\"" + child.name() + "\" is already a child of \"" + parent.name() + "\".", null);
        }
        if (cat().inheritance().parents(child.oid()).contains(parent.oid())) {
            throw new PgException("42P07", "relation \"" + parent.name() + "\" would be inherited from more than once");
        }
        matchColumns(child, parent, null, null);
        for (Relation.Constraint k : parent.constraints()) {
            if (k.type() == 'c' && child.constraints().stream().noneMatch(x -> x.type() == 'c'
                    && x.name().equals(k.name()))) {
                throw new PgException("42804", "child table is missing constraint \"" + k.name() + "\"");
            }
        }
        markInherited(child, parent, true);
        int seq = cat().inheritance().parents(child.oid()).size() + 1;
        d.store.insert(SysTable.PG_INHERITS, new Object[] {child.oid(), parent.oid(), seq, false}, d.tx);
        updateClass(parent.oid(), "relhassubclass", true);
        adjustConstraintCounts(child, parent, 1);
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
    }

    /** ALTER TABLE child NO INHERIT parent. */
    void noInherit(Relation child, List<String> name) {
        Relation parent = d.planner.relation(rangeVar(name));
        if (cat().inheritance().partitionParent(child.oid()) != 0) {
            throw new PgException("42809", "cannot change inheritance of a partition");
        }
        if (!cat().inheritance().parents(child.oid()).contains(parent.oid())) {
            throw new PgException("42P01", "relation \"" + parent.name() + "\" is not a parent of relation \""
                    + child.name() + "\"");
        }
        unlink(child, parent);
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
    }

    private static RangeVar rangeVar(List<String> name) {
        return new RangeVar(0, null, name.size() > 1 ? name.get(name.size() - 2) : null, name.get(name.size() - 1),
                true, null);
    }

    /** Removes the pg_inherits row and turns inherited columns and constraints local where nothing else gives them. */
    private void unlink(Relation child, Relation parent) {
        SysTable i = SysTable.PG_INHERITS;
        for (CatalogStore.Row r : d.store.scan(i, d.tx.snapshot())) {
            if ((Integer) r.get(i, "inhrelid") == child.oid() && (Integer) r.get(i, "inhparent") == parent.oid()) {
                d.store.delete(i, r.tid(), d.tx);
            }
        }
        markInherited(child, parent, false);
        adjustConstraintCounts(child, parent, -1);
    }

    /** coninhcount of the child's CHECK constraints the parent has too: +1 or -1 (at 0 they become local). */
    private void adjustConstraintCounts(Relation child, Relation parent, int delta) {
        SysTable k = SysTable.PG_CONSTRAINT;
        for (CatalogStore.Row r : d.store.scan(k, d.tx.snapshot())) {
            if ((Integer) r.get(k, "conrelid") != child.oid() || !"c".equals(r.get(k, "contype"))) {
                continue;
            }
            String name = (String) r.get(k, "conname");
            if (parent.constraints().stream().noneMatch(x -> x.type() == 'c' && x.name().equals(name))) {
                continue;
            }
            Object[] v = r.values().clone();
            int n = Math.max(0, (Integer) v[k.column("coninhcount")] + delta);
            v[k.column("coninhcount")] = n;
            if (n == 0) {
                v[k.column("conislocal")] = true;
            }
            d.store.update(k, r.tid(), v, d.tx);
        }
    }

    /** attinhcount/attislocal of the child's columns the parent has: counted up (link) or down (unlink). */
    private void markInherited(Relation child, Relation parent, boolean link) {
        SysTable a = SysTable.PG_ATTRIBUTE;
        for (CatalogStore.Row r : d.store.scan(a, d.tx.snapshot())) {
            if ((Integer) r.get(a, "attrelid") != child.oid() || (Short) r.get(a, "attnum") <= 0
                    || (Boolean) r.get(a, "attisdropped")) {
                continue;
            }
            if (parent.column((String) r.get(a, "attname")) == null) {
                continue;
            }
            Object[] v = r.values().clone();
            int n = (Integer) v[a.column("attinhcount")] + (link ? 1 : -1);
            v[a.column("attinhcount")] = Math.max(0, n);
            if (n <= 0) {
                v[a.column("attislocal")] = true;
            }
            d.store.update(a, r.tid(), v, d.tx);
        }
    }

    /** The child must have every column of the parent, with the same type; extra ones only outside partitions. */
    private void matchColumns(Relation child, Relation parent, String extraColumn, String unused) {
        for (Relation.Column pc : parent.liveColumns()) {
            Relation.Column cc = child.column(pc.name());
            if (cc == null) {
                throw new PgException("42804", "child table is missing column \"" + pc.name() + "\"");
            }
            if (cc.type() != pc.type() || cc.typmod() != pc.typmod()) {
                throw new PgException("42804", "child table \"" + child.name() + "\" has different type for column \""
                        + pc.name() + "\"");
            }
        }
        if (extraColumn != null) {
            for (Relation.Column cc : child.liveColumns()) {
                if (parent.column(cc.name()) == null) {
                    throw new PgException("42804", String.format(extraColumn, cc.name()),
                            "The new partition may contain only the columns present in parent.", null);
                }
            }
        }
    }

    private static List<String> localCheckNames(Relation r) {
        List<String> out = new ArrayList<>();
        for (Relation.Constraint k : r.constraints()) {
            if (k.type() == 'c') {
                out.add(k.name());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ DROP, columns

    /**
     * DROP TABLE of a table with children: partitions go with their partitioned table; inheritance children
     * need CASCADE (2BP01 otherwise). Returns the descendants to drop first (deepest first).
     */
    List<Relation> dependentChildren(Relation rel, boolean cascade, java.util.Set<Integer> alsoDropped) {
        Inheritance inh = cat().inheritance();
        List<Relation> out = new ArrayList<>();
        List<Relation> blocking = new ArrayList<>();
        for (int c : inh.descendants(rel.oid())) {
            Relation r = cat().relation(c);
            if (r == null) {
                continue;
            }
            out.add(r);
            boolean viaPartition = inh.partitionParent(c) != 0;
            // a child that inherits from another surviving parent too is not dropped by a drop of this one
            if (!viaPartition && !alsoDropped.contains(c)) {
                blocking.add(r);
            }
        }
        if (!blocking.isEmpty() && !cascade) {
            StringBuilder detail = new StringBuilder();
            for (Relation r : blocking) {
                int direct = inh.parents(r.oid()).get(0);
                Relation dp = cat().relation(direct);
                detail.append(detail.isEmpty() ? "" : "\n").append("table ").append(r.name())
                        .append(" depends on table ").append(dp == null ? rel.name() : dp.name());
            }
            throw new PgException("2BP01", "cannot drop table " + rel.name() + " because other objects depend on it",
                    detail.toString(), "Use DROP ... CASCADE to drop the dependent objects too.");
        }
        if (!blocking.isEmpty()) {
            // PostgreSQL's report order: depth first, children in OID order (findDependentObjects)
            List<Relation> reported = new ArrayList<>();
            reportOrder(rel.oid(), blocking, reported, new java.util.HashSet<>());
            StringBuilder detail = new StringBuilder();
            for (Relation r : reported) {
                detail.append(detail.isEmpty() ? "" : "\n").append("drop cascades to table ").append(r.name());
            }
            d.notice.accept(blocking.size() == 1 ? "drop cascades to table " + blocking.get(0).name()
                    : "drop cascades to " + blocking.size() + " other objects" + DdlExecutor.DETAIL + detail);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** Appends the members of {@code among} below {@code oid}: each child (OID order), then its own children. */
    private void reportOrder(int oid, List<Relation> among, List<Relation> out, java.util.Set<Integer> seen) {
        List<Integer> kids = new ArrayList<>(cat().inheritance().children(oid));
        kids.sort(Integer::compareUnsigned);
        for (int c : kids) {
            if (!seen.add(c)) {
                continue;
            }
            for (Relation r : among) {
                if (r.oid() == c) {
                    out.add(r);
                }
            }
            reportOrder(c, among, out, seen);
        }
    }

    /** DROP TABLE of a child: its pg_inherits rows (and its parent's partdefid when it was the default). */
    void forgetChild(Relation rel) {
        Inheritance inh = cat().inheritance();
        if (inh.parents(rel.oid()).isEmpty() && inh.children(rel.oid()).isEmpty()
                && inh.partitionKey(rel.oid()) == null) {
            return;
        }
        SysTable i = SysTable.PG_INHERITS;
        for (CatalogStore.Row r : d.store.scan(i, d.tx.snapshot())) {
            if ((Integer) r.get(i, "inhrelid") == rel.oid() || (Integer) r.get(i, "inhparent") == rel.oid()) {
                d.store.delete(i, r.tid(), d.tx);
            }
        }
        SysTable pt = SysTable.PG_PARTITIONED_TABLE;
        for (CatalogStore.Row r : d.store.scan(pt, d.tx.snapshot())) {
            if ((Integer) r.get(pt, "partrelid") == rel.oid()) {
                d.store.delete(pt, r.tid(), d.tx);
            } else if ((Integer) r.get(pt, "partdefid") == rel.oid()) {
                Object[] v = r.values().clone();
                v[pt.column("partdefid")] = 0;
                d.store.update(pt, r.tid(), v, d.tx);
            }
        }
    }

    /** The children an ALTER TABLE on {@code rel} recurses to (none with ONLY). */
    List<Relation> children(Relation rel) {
        List<Relation> out = new ArrayList<>();
        for (int c : cat().inheritance().children(rel.oid())) {
            Relation r = d.reload(c);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** attislocal and attinhcount of a column ({@code null} when unknown). */
    Object[] columnInheritance(int rel, int attnum) {
        SysTable a = SysTable.PG_ATTRIBUTE;
        for (CatalogStore.Row r : cat().rowsWhere(a, "attrelid", rel)) {
            if ((Short) r.get(a, "attnum") == attnum) {
                return new Object[] {r.get(a, "attislocal"), r.get(a, "attinhcount")};
            }
        }
        return null;
    }

    /** A CHECK constraint a parent's ALTER TABLE ADD CONSTRAINT gave a child: conislocal false, coninhcount 1. */
    void markConstraintInherited(int rel, String name) {
        SysTable k = SysTable.PG_CONSTRAINT;
        for (CatalogStore.Row r : d.store.scan(k, d.tx.snapshot())) {
            if ((Integer) r.get(k, "conrelid") == rel && name.equals(r.get(k, "conname"))) {
                Object[] v = r.values().clone();
                v[k.column("conislocal")] = false;
                v[k.column("coninhcount")] = 1;
                d.store.update(k, r.tid(), v, d.tx);
            }
        }
    }

    /** Sets attislocal / attinhcount of a column. */
    void setColumnInheritance(int rel, String column, boolean local, int count) {
        SysTable a = SysTable.PG_ATTRIBUTE;
        for (CatalogStore.Row r : d.store.scan(a, d.tx.snapshot())) {
            if ((Integer) r.get(a, "attrelid") == rel && column.equals(r.get(a, "attname"))) {
                Object[] v = r.values().clone();
                v[a.column("attislocal")] = local;
                v[a.column("attinhcount")] = count;
                d.store.update(a, r.tid(), v, d.tx);
            }
        }
    }
}
