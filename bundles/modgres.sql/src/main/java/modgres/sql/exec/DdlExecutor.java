package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.txn.LockMode;
import modgres.sql.ast.ColumnDef;
import modgres.sql.ast.Constraint;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.Expr;
import modgres.sql.ast.IndexElem;
import modgres.sql.ast.ObjectRef;
import modgres.sql.ast.ObjectType;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.ast.TableElement;
import modgres.sql.ast.TypeName;
import modgres.sql.catalog.Bootstrap;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.catalog.TxnContext;

/*
 * Design notes: DDL as catalog changes (PostgreSQL's heap.c, index.c,
 * tablecmds.c in miniature).
 *
 * Every DDL command writes catalog rows through CatalogStore under the
 * session's transaction, so it is atomic and invisible to others until
 * commit, and rolled back by abort. Files follow the transaction: a relation
 * created in the transaction has its storage removed if the transaction
 * aborts; a dropped (or truncated-away) relation's storage is removed after
 * commit. The command takes AccessExclusiveLock on what it changes (a
 * table's DML takes RowExclusiveLock and SELECT AccessShareLock, so DDL
 * waits for them and they wait for DDL).
 *
 * Names follow PostgreSQL: primary keys <table>_pkey, unique constraints
 * <table>_<columns>_key, checks <table>_<column>_check, indexes
 * <table>_<columns>_idx, with a number appended on collision.
 */
/** Executes DDL statements; see the design notes. */
public final class DdlExecutor {
    final Planner planner;
    final CatalogView cat;
    final CatalogStore store;
    final TxnContext tx;
    final TypeSystem ts;
    final ExecState ex;
    final Consumer<String> notice;

    public DdlExecutor(Planner planner, CatalogView cat, CatalogStore store, TxnContext tx, ExecState ex,
            Consumer<String> notice) {
        this.planner = planner;
        this.cat = cat;
        this.store = store;
        this.tx = tx;
        this.ts = planner.ts;
        this.ex = ex;
        this.notice = notice;
    }

    int creationNamespace(String schema, int pos) {
        if (schema != null) {
            Namespace ns = cat.namespace(schema);
            if (ns == null) {
                throw new PgException("3F000", "schema \"" + schema + "\" does not exist", null, null, pos, null);
            }
            if (ns.name().equals(tempSchemaName(tx.pid()))) {
                tx.accessedTempNamespace();
            }
            return ns.oid();
        }
        for (String s : planner.searchPath) {
            Namespace ns = cat.namespace(s);
            if (ns != null && !s.equals("pg_catalog")) {
                return ns.oid();
            }
        }
        throw new PgException("3F000", "no schema has been selected to create in", null, null, pos, null);
    }

    /** The session's schema for temporary tables, pg_temp_<pid>, created on first use. */
    public static String tempSchemaName(int pid) {
        return "pg_temp_" + pid;
    }

    /**
     * Temporary relations: the session registers ON COMMIT DELETE ROWS / DROP
     * of a table it creates here (relation OID, action); the default ignores them.
     */
    public java.util.function.ObjIntConsumer<modgres.sql.ast.IntoClause.OnCommit> onCommitAction = (a, oid) -> {
    };

    /** The session's temporary schema once this executor has created or found it, else 0. */
    private int tempNsp;

    /**
     * The backend that owns the relations of schema {@code nsp} when it is a
     * temporary schema (their files and buffers are that backend's), else
     * {@link RelFileNode#INVALID_BACKEND}.
     */
    private int tempBackendOf(int nsp) {
        if (nsp != 0 && nsp == tempNsp) {
            return tx.pid();
        }
        Namespace ns = cat.namespace(nsp);
        return ns == null ? RelFileNode.INVALID_BACKEND : CatalogView.tempBackend(ns.name());
    }

    /** A pg_class row with relpersistence 't' when the relation is temporary. */
    private static Object[] withPersistence(Object[] classRow, RelFileNode node) {
        if (node.isTemp()) {
            classRow[SysTable.PG_CLASS.column("relpersistence")] = "t";
        }
        return classRow;
    }

    int tempNamespace() {
        tx.accessedTempNamespace();
        String name = tempSchemaName(tx.pid());
        Namespace ns = cat.namespace(name);
        if (ns != null) {
            tempNsp = ns.oid();
            return ns.oid();
        }
        int oid = tx.newOid();
        tempNsp = oid;
        store.insert(SysTable.PG_NAMESPACE, new Object[] {oid, name, ownerOid(), null}, tx);
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return oid;
    }

    /** Drops the session's temporary tables and schema (session end). */
    public void dropTempSchema() {
        dropTempSchema(tempSchemaName(tx.pid()));
    }

    /**
     * Drops a temporary schema with its tables: the session's own at its end,
     * or one a crashed server left (its backend is gone; PostgreSQL removes
     * those when a backend reuses the number, or autovacuum does).
     */
    public void dropTempSchema(String name) {
        Namespace ns = cat.namespace(name);
        if (ns == null) {
            return;
        }
        for (Relation r : new ArrayList<>(cat.relations())) {
            if (r.namespace() == ns.oid() && (r.kind() == 'r' || r.kind() == 'v' || r.kind() == 'S')) {
                dropRelation(ObjectRef.of(List.of(ns.name(), r.name())), r.kind() == 'v' ? ObjectType.VIEW
                        : r.kind() == 'S' ? ObjectType.SEQUENCE : ObjectType.TABLE, true, true);
            }
        }
        new TypeCommands(this).dropAllIn(ns.oid()); // its composite and enum types (and domains)
        deleteRows(SysTable.PG_NAMESPACE, "oid", ns.oid());
        tx.catalogChanged();
    }

    /** ON COMMIT DROP: drops the temporary table, and what depends on it, in the committing transaction. */
    public void dropOnCommit(Relation table) {
        if (dropped.contains(table.oid())) {
            return; // a partition dropped with its partitioned table just before
        }
        dropRelation(table, ObjectType.TABLE, true);
        tx.catalogChanged();
    }

    private boolean nameTaken(int nsp, String name, List<String> pending) {
        return cat.relation(nsp, name) != null || pending.contains(name);
    }

    String uniqueName(int nsp, String base, List<String> pending) {
        String n = truncate(base);
        int i = 1;
        while (nameTaken(nsp, n, pending)) {
            n = truncate(base) + i++;
        }
        pending.add(n);
        return n;
    }

    private static String truncate(String s) {
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    /** A column being defined: its name, type and the constraints attached to it. */
    static final class Col {
        String name;
        /** Inheritance: whether the table defines the column itself, and how many parents give it. */
        boolean local = true;
        int inhCount;
        int type;
        int typmod;
        boolean notNull;
        String defaultSql;
        int attnum;
        /** For serial and identity columns: the sequence to create, owned by the column. */
        String serialSequence;
        /** pg_attribute.attidentity: 'a' GENERATED ALWAYS, 'd' BY DEFAULT, else none. */
        char identity;
        /** An identity column's sequence options. */
        List<DefElem> identityOptions = List.of();
    }

    record Uniq(String name, List<String> cols, boolean primary, boolean nullsNotDistinct, int pos) {
    }

    record Chk(String name, String sql) {
    }

    public String createTable(Ddl.CreateTable ct) {
        InheritanceCommands inh = InheritanceCommands.involved(ct) ? new InheritanceCommands(this) : null;
        boolean temp = ct.persistence() == modgres.sql.ast.IntoClause.Persistence.TEMPORARY
                || "pg_temp".equals(ct.relation().schema());
        if (!temp && ct.onCommit() != null) {
            throw new PgException("42P16", "ON COMMIT can only be used on temporary tables"); // no position
        }
        RangeVar rv = ct.relation();
        if (temp && rv.schema() != null && !rv.schema().equals("pg_temp")) {
            throw new PgException("42P16", "cannot create temporary relation in non-temporary schema", null, null,
                    rv.position(), null);
        }
        int nsp = temp ? tempNamespace() : creationNamespace(rv.schema(), rv.position());
        if (cat.relation(nsp, rv.name()) != null) {
            if (ct.ifNotExists()) {
                notice.accept("relation \"" + rv.name() + "\" already exists, skipping");
                return "CREATE TABLE";
            }
            throw new PgException("42P07", "relation \"" + rv.name() + "\" already exists", null, null,
                    rv.position(), null);
        }
        List<Col> cols = new ArrayList<>();
        List<Uniq> uniques = new ArrayList<>();
        List<Chk> checks = new ArrayList<>();
        List<CreateTableLike.PlainIndex> likeIndexes = new ArrayList<>();
        List<String> pendingNames = new ArrayList<>();
        pendingNames.add(rv.name());
        List<Relation> parents = inh == null ? List.of() : inh.parents(ct, temp);
        if (inh != null) {
            cols.addAll(inh.inheritedColumns(parents, ct.partitionOf() != null));
        }
        int inheritedCount = cols.size();
        int ownIndex = -1;
        for (TableElement el : ct.elements()) {
            if (el instanceof ColumnDef cd) {
                ownIndex++;
                Col inherited = null;
                for (int i = 0; i < inheritedCount; i++) {
                    if (cols.get(i).name.equals(cd.name()) && !cols.get(i).local) {
                        inherited = cols.get(i);
                    }
                }
                if (inherited != null) {
                    inh.merge(inherited, cd, ownIndex, ct.partitionOf() != null);
                    for (Constraint k : cd.constraints()) {
                        columnConstraint(rv.name(), nsp, inherited, k, uniques, checks, pendingNames);
                    }
                    continue;
                }
                if (cd.type() == null) {
                    throw new PgException("42703", "column \"" + cd.name() + "\" does not exist", null, null,
                            cd.position(), null);
                }
                for (Col c : cols) {
                    if (c.name.equals(cd.name())) {
                        throw new PgException("42701", "column \"" + cd.name() + "\" specified more than once", null,
                                null, cd.position(), null);
                    }
                }
                Col c = new Col();
                c.name = cd.name();
                TypeName tn = cd.type();
                String last = tn.names().get(tn.names().size() - 1);
                boolean serial = tn.names().size() == 1 && (last.equals("serial") || last.equals("bigserial")
                        || last.equals("smallserial") || last.equals("serial4") || last.equals("serial8"));
                if (serial) {
                    c.type = last.equals("bigserial") || last.equals("serial8") ? 20
                            : last.equals("smallserial") ? 21 : 23;
                    c.typmod = -1;
                    c.notNull = true;
                    String seq = uniqueName(nsp, rv.name() + "_" + cd.name() + "_seq", pendingNames);
                    c.serialSequence = seq;
                    c.defaultSql = "nextval('" + seq.replace("'", "''") + "')";
                    c.attnum = cols.size() + 1;
                    for (Constraint k : cd.constraints()) {
                        columnConstraint(rv.name(), nsp, c, k, uniques, checks, pendingNames);
                    }
                    cols.add(c);
                    continue;
                }
                c.type = ts.typeOid(tn.names(), !tn.arrayBounds().isEmpty());
                c.typmod = ts.typmod(c.type, mods(tn));
                c.attnum = cols.size() + 1;
                for (Constraint k : cd.constraints()) {
                    columnConstraint(rv.name(), nsp, c, k, uniques, checks, pendingNames);
                }
                cols.add(c);
            } else if (el instanceof Constraint k) {
                tableConstraint(rv.name(), nsp, k, uniques, checks, pendingNames, cols);
            } else if (el instanceof modgres.sql.ast.TableElement.Like lk) {
                likeIndexes.addAll(CreateTableLike.copy(this, rv.name(), nsp, lk, cols, uniques, checks,
                        pendingNames));
            }
        }
        if (cols.size() > 1600) {
            throw new PgException("54011", "tables can have at most 1600 columns");
        }
        String options = options(ct.options());
        int oid = tx.newOid();
        RelFileNode node = new RelFileNode(CatalogStore.DEFAULT_TABLESPACE, tx.database(), oid, tempBackendOf(nsp));
        modgres.api.access.Heap storage = node.isTemp() ? ex.heap : store.heap(); // temp: local buffers
        storage.create(node);
        tx.onAbort(new TxnContext.DropNewStorage(node, () -> storage.dropStorage(node)));
        if (temp && ct.onCommit() != null) {
            onCommitAction.accept(ct.onCommit(), oid);
        }
        int[] partKey = ct.partitionBy() != null ? InheritanceCommands.partitionKey(ct, cols) : null;
        store.insert(SysTable.PG_CLASS, withFrozenXid(withPersistence(Bootstrap.classRow(oid, rv.name(), nsp, oid, 0,
                false, partKey != null ? "p" : "r", cols.size(), ownerOid(), options), node)), tx);
        for (Col c : cols) {
            if (c.serialSequence != null) {
                SequenceSpec spec = sequenceSpec(c.identityOptions, c.type);
                createSequence(nsp, c.serialSequence, spec.def(), spec.type(),
                        "owned_by=" + Integer.toUnsignedString(oid) + "." + c.attnum);
            }
        }
        for (Col c : cols) {
            insertAttribute(oid, c);
        }
        tx.commandCounterIncrement();
        ToastTables.createIfNeeded(store, tx, ex, reload(oid));
        // primary keys imply NOT NULL on their columns
        for (Uniq u : uniques) {
            if (u.primary()) {
                for (String n : u.cols()) {
                    Col c = find(cols, n, u.pos());
                    c.notNull = true;
                }
            } else {
                for (String n : u.cols()) {
                    find(cols, n, u.pos());
                }
            }
        }
        tx.commandCounterIncrement();
        // rewrite attributes whose NOT NULL was implied (simplest: update rows)
        for (Chk k : checks) {
            insertConstraint(tx.newOid(), k.name(), nsp, 'c', oid, new int[0], 0, k.sql());
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
        fixNotNull(oid, cols);
        for (Uniq u : uniques) {
            int[] keys = u.cols().stream().mapToInt(n -> find(cols, n, u.pos()).attnum).toArray();
            if (partKey != null) {
                PartitionedIndexes.requirePartitionKey(rv.name(), cols, partKey, keys, u.primary());
            }
            int idxOid = createIndexStorage(oid, nsp, u.name(), keys, true, u.primary(), u.nullsNotDistinct(),
                    partKey != null ? "I" : "i");
            insertConstraint(tx.newOid(), u.name(), nsp, u.primary() ? 'p' : 'u', oid, keys, idxOid, null);
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
        for (CreateTableLike.PlainIndex pi : likeIndexes) {
            int[] keys = pi.columns().stream().mapToInt(n -> find(cols, n, ct.position()).attnum).toArray();
            createIndexStorage(oid, nsp, uniqueName(nsp, rv.name() + "_" + String.join("_", pi.columns()) + "_idx",
                    pendingNames), keys, pi.unique(), false, pi.nullsNotDistinct(), partKey != null ? "I" : "i");
        }
        if (inh != null) {
            inh.finishCreate(ct, oid, nsp, parents, partKey,
                    new ArrayList<>(checks.stream().map(Chk::name).toList()));
            if (ct.partitionOf() != null) {
                new PartitionedIndexes(this).cloneInto(parents.get(0), reload(oid));
                PartitionedForeignKeys.cloneIntoPartition(this, parents.get(0), reload(oid));
            }
        }
        createForeignKeys(oid, false);
        syncConstraintFlags(oid);
        return "CREATE TABLE";
    }

    private void fixNotNull(int relOid, List<Col> cols) {
        for (CatalogStore.Row r : store.scan(SysTable.PG_ATTRIBUTE, tx.snapshot())) {
            SysTable a = SysTable.PG_ATTRIBUTE;
            if (((Integer) r.get(a, "attrelid")) != relOid) {
                continue;
            }
            short num = (Short) r.get(a, "attnum");
            Col c = cols.get(num - 1);
            if (c.notNull && !((Boolean) r.get(a, "attnotnull"))) {
                Object[] v = r.values().clone();
                v[a.column("attnotnull")] = true;
                store.update(a, r.tid(), v, tx);
            }
        }
    }

    private static Col find(List<Col> cols, String name, int pos) {
        for (Col c : cols) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        throw new PgException("42703", "column \"" + name + "\" named in key does not exist", null, null, pos, null);
    }

    private static List<Integer> mods(TypeName tn) {
        List<Integer> mods = new ArrayList<>();
        for (Expr m : tn.typmods()) {
            if (m instanceof Expr.Constant k && k.kind() == Expr.ConstKind.INTEGER) {
                mods.add(Integer.valueOf(k.value()));
            } else {
                throw new PgException("42601", "type modifiers must be simple constants or identifiers", null, null,
                        m.position(), null);
            }
        }
        return mods;
    }

    /** The role creating relations (pg_class.relowner of what this executor creates): the session's. */
    public java.util.function.IntSupplier owner = () -> Bootstrap.BOOTSTRAP_SUPERUSER;

    int ownerOid() {
        return owner.getAsInt();
    }

    /** Integer storage parameters and their bounds (PostgreSQL 15's reloptions.c). */
    private static final Map<String, long[]> INT_OPTIONS = Map.of(
            "fillfactor", new long[] {10, 100},
            "autovacuum_vacuum_threshold", new long[] {0, Integer.MAX_VALUE},
            "autovacuum_vacuum_insert_threshold", new long[] {-1, Integer.MAX_VALUE},
            "autovacuum_analyze_threshold", new long[] {0, Integer.MAX_VALUE},
            "autovacuum_vacuum_cost_limit", new long[] {1, 10000},
            "autovacuum_freeze_min_age", new long[] {0, 1000000000},
            "autovacuum_freeze_max_age", new long[] {100000, 2000000000},
            "autovacuum_freeze_table_age", new long[] {0, 2000000000},
            "log_autovacuum_min_duration", new long[] {-1, Integer.MAX_VALUE});
    /** Real storage parameters and their bounds. */
    private static final Map<String, double[]> REAL_OPTIONS = Map.of(
            "autovacuum_vacuum_scale_factor", new double[] {0, 100},
            "autovacuum_vacuum_insert_scale_factor", new double[] {0, 100},
            "autovacuum_analyze_scale_factor", new double[] {0, 100},
            "autovacuum_vacuum_cost_delay", new double[] {0, 100});

    /** Checks one storage parameter as PostgreSQL's parse_one_reloption does; returns its stored form. */
    static String checkOption(String name, String v) {
        if (name.equals("autovacuum_enabled")) {
            String b = v.toLowerCase(java.util.Locale.ROOT);
            return switch (b) {
                case "true", "on", "yes", "1", "t", "y" -> "true";
                case "false", "off", "no", "0", "f", "n" -> "false";
                default -> throw new PgException("22023", "invalid value for boolean option \"" + name + "\": " + v);
            };
        }
        long[] ib = INT_OPTIONS.get(name);
        if (ib != null) {
            long f;
            try {
                f = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new PgException("22023", "invalid value for integer option \"" + name + "\": " + v);
            }
            if (f < ib[0] || f > ib[1]) {
                throw new PgException("22023", "value " + v + " out of bounds for option \"" + name + "\"",
                        "Valid values are between \"" + ib[0] + "\" and \"" + ib[1] + "\".", null);
            }
            return Long.toString(f);
        }
        double[] rb = REAL_OPTIONS.get(name);
        if (rb != null) {
            double f;
            try {
                f = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new PgException("22023", "invalid value for floating point option \"" + name + "\": " + v);
            }
            if (f < rb[0] || f > rb[1]) {
                throw new PgException("22023", "value " + v + " out of bounds for option \"" + name + "\"",
                        String.format(java.util.Locale.ROOT, "Valid values are between \"%f\" and \"%f\".", rb[0],
                                rb[1]), null);
            }
            return v.trim();
        }
        throw new PgException("22023", "unrecognized parameter \"" + name + "\"");
    }

    private static String options(List<DefElem> opts) {
        if (opts.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (DefElem d : opts) {
            String v = d.value() == null ? "true" : d.value() instanceof DefElem.Num n ? n.value()
                    : d.value() instanceof DefElem.Str s ? s.value()
                    : d.value() instanceof DefElem.Name nm ? String.join(".", nm.parts()) : String.valueOf(d.value());
            v = checkOption(d.name(), v);
            b.append(b.isEmpty() ? "" : ",").append(d.name()).append('=').append(v);
        }
        return b.toString();
    }

    private void columnConstraint(String table, int nsp, Col c, Constraint k, List<Uniq> uniques, List<Chk> checks,
            List<String> pending) {
        Constraint.Spec sp = k.spec();
        if (sp instanceof Constraint.NotNull) {
            c.notNull = true;
        } else if (sp instanceof Constraint.Null) {
            c.notNull = false;
        } else if (sp instanceof Constraint.Default d) {
            if (c.identity != 0) {
                throw new PgException("42601", "both default and identity specified for column \"" + c.name
                        + "\" of table \"" + table + "\"", null, null, k.position(), null);
            }
            validateDefault(c, d.expr());
            c.defaultSql = SqlDeparser.deparse(d.expr());
        } else if (sp instanceof Constraint.Identity id) {
            identity(table, nsp, c, id, k.position(), pending);
        } else if (sp instanceof Constraint.Check ch) {
            checks.add(new Chk(k.name() != null ? k.name() : uniqueName(nsp, table + "_" + c.name + "_check", pending),
                    SqlDeparser.deparse(ch.expr())));
        } else if (sp instanceof Constraint.PrimaryKey) {
            uniques.add(new Uniq(k.name() != null ? k.name() : uniqueName(nsp, table + "_pkey", pending),
                    List.of(c.name), true, false, k.position()));
        } else if (sp instanceof Constraint.Unique u) {
            uniques.add(new Uniq(k.name() != null ? k.name() : uniqueName(nsp, table + "_" + c.name + "_key", pending),
                    List.of(c.name), false, u.nullsNotDistinct(), k.position()));
        } else if (sp instanceof Constraint.ForeignKey fk) {
            pendingFks.add(new FkDef(k.name() != null ? k.name() : uniqueName(nsp, table + "_" + c.name + "_fkey",
                    pending), List.of(c.name), fk, k.attrs(), k.position()));
        } else {
            throw new PgException("0A000", constraintKind(k) + " constraints are not supported yet", null, null,
                    k.position(), null);
        }
    }

    /**
     * GENERATED ALWAYS | BY DEFAULT AS IDENTITY [(sequence options)]: NOT NULL, attidentity, and a sequence
     * owned by the column (named like a serial's) whose nextval is the column's default. PostgreSQL keeps
     * no pg_attrdef row for it; this one is never shown (psql and information_schema read attidentity).
     */
    private void identity(String table, int nsp, Col c, Constraint.Identity id, int pos, List<String> pending) {
        if (c.type != 20 && c.type != 21 && c.type != 23) {
            throw new PgException("22023", "identity column type must be smallint, integer, or bigint");
        }
        if (c.identity != 0) {
            throw new PgException("42601", "multiple identity specifications for column \"" + c.name
                    + "\" of table \"" + table + "\"", null, null, pos, null);
        }
        if (c.defaultSql != null) {
            throw new PgException("42601", "both default and identity specified for column \"" + c.name
                    + "\" of table \"" + table + "\"", null, null, pos, null);
        }
        c.identity = id.always() ? 'a' : 'd';
        c.notNull = true;
        c.serialSequence = uniqueName(nsp, table + "_" + c.name + "_seq", pending);
        c.defaultSql = "nextval('" + c.serialSequence.replace("'", "''") + "')";
        c.identityOptions = id.options();
    }

    private static String constraintKind(Constraint k) {
        Constraint.Spec sp = k.spec();
        return sp instanceof Constraint.ForeignKey ? "FOREIGN KEY" : sp instanceof Constraint.Identity ? "identity"
                : sp instanceof Constraint.Generated ? "generated column" : "these";
    }

    private void tableConstraint(String table, int nsp, Constraint k, List<Uniq> uniques, List<Chk> checks,
            List<String> pending, List<Col> cols) {
        Constraint.Spec sp = k.spec();
        if (sp instanceof Constraint.Check ch) {
            String first = firstColumn(ch.expr(), cols);
            checks.add(new Chk(k.name() != null ? k.name()
                    : uniqueName(nsp, table + (first == null ? "" : "_" + first) + "_check", pending),
                    SqlDeparser.deparse(ch.expr())));
        } else if (sp instanceof Constraint.PrimaryKey pk) {
            uniques.add(new Uniq(k.name() != null ? k.name() : uniqueName(nsp, table + "_pkey", pending),
                    pk.columns(), true, false, k.position()));
        } else if (sp instanceof Constraint.Unique u) {
            uniques.add(new Uniq(k.name() != null ? k.name()
                    : uniqueName(nsp, table + "_" + String.join("_", u.columns()) + "_key", pending), u.columns(),
                    false, u.nullsNotDistinct(), k.position()));
        } else if (sp instanceof Constraint.ForeignKey fk) {
            pendingFks.add(new FkDef(k.name() != null ? k.name()
                    : uniqueName(nsp, table + "_" + String.join("_", fk.columns()) + "_fkey", pending), fk.columns(),
                    fk, k.attrs(), k.position()));
        } else {
            throw new PgException("0A000", constraintKind(k) + " constraints are not supported yet", null, null,
                    k.position(), null);
        }
    }

    /**
     * The column a table check constraint is named after: PostgreSQL uses the table's column when the expression
     * references exactly one (however often), else none ({@code t_a_check}, {@code t_check}).
     */
    private static String firstColumn(Expr e, List<Col> cols) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Col c : cols) {
            names.add(c.name);
        }
        java.util.Set<String> used = new java.util.LinkedHashSet<>();
        for (modgres.sql.parser.Token t : modgres.sql.parser.Lexer.tokenize(SqlDeparser.deparse(e))) {
            if ((t.kind() == modgres.sql.parser.TokenKind.IDENT || t.kind() == modgres.sql.parser.TokenKind.KEYWORD)
                    && names.contains(t.value())) {
                used.add(t.value());
            }
        }
        return used.size() == 1 ? used.iterator().next() : null;
    }

    private void validateDefault(Col c, Expr e) {
        Compiler comp = planner.compiler(new Scope(null));
        comp.forbidAggregates("DEFAULT expressions");
        Compiler.C v = comp.compile(e);
        if (v.type() != Compiler.UNKNOWN && v.type() != c.type
                && ts.cast(v.type(), c.type, c.typmod, TypeSystem.CastContext.ASSIGNMENT) == null) {
            throw new PgException("42804", "column \"" + c.name + "\" is of type " + ts.format(c.type, c.typmod)
                    + " but default expression is of type " + ts.format(v.type(), -1), null,
                    "You will need to rewrite or cast the expression.", e.position(), null);
        }
        comp.coerce(v, c.type, c.typmod, TypeSystem.CastContext.ASSIGNMENT, null);
    }

    private void insertAttribute(int relOid, Col c) {
        int len = typlen(c.type);
        Object[] att = Bootstrap.attributeRow(relOid, c.name, c.type, c.attnum, c.typmod, len,
                typalign(c.type), len > 0 && len <= 8, c.notNull, c.defaultSql != null,
                c.identity == 0 ? "" : String.valueOf(c.identity), "");
        att[SysTable.PG_ATTRIBUTE.column("attislocal")] = c.local;
        att[SysTable.PG_ATTRIBUTE.column("attinhcount")] = c.inhCount;
        store.insert(SysTable.PG_ATTRIBUTE, att, tx);
        if (c.defaultSql != null) {
            store.insert(SysTable.PG_ATTRDEF, new Object[] {tx.newOid(), relOid, (short) c.attnum, c.defaultSql},
                    tx);
        }
    }

    static int typlen(int type) {
        return switch (type) {
            case 16, 18 -> 1;
            case 21 -> 2;
            case 23, 26, 700, 1082, 28 -> 4;
            case 20, 701, 1083, 1114, 1184 -> 8;
            case 19 -> 64;
            case 1186 -> 16;
            case 2950 -> 16;
            default -> -1;
        };
    }

    static String typalign(int type) {
        return switch (type) {
            case 16, 18, 19, 2950 -> "c";
            case 21 -> "s";
            case 20, 701, 1083, 1114, 1184, 1186 -> "d";
            default -> "i";
        };
    }

    private void insertConstraint(int oid, String name, int nsp, char type, int rel, int[] keys, int index,
            String expr) {
        store.insert(SysTable.PG_CONSTRAINT, new Object[] {oid, name, nsp, String.valueOf(type), false, false, true,
                rel, 0, index, 0, 0, " ", " ", " ", true, 0, false, CatalogView.formatInts(keys), null, expr}, tx);
    }

    /** Creates an index's catalog rows and storage, and builds it from the table's rows. */
    private int createIndexStorage(int tableOid, int nsp, String name, int[] keys, boolean unique, boolean primary,
            boolean nullsNotDistinct) {
        return createIndexStorage(tableOid, nsp, name, keys, unique, primary, nullsNotDistinct, "i");
    }

    /** The catalog as this transaction now sees it. */
    CatalogView reloadView() {
        return CatalogView.load(store, tx.snapshot());
    }

    /** As above; {@code relkind} "I" for the index of a partitioned table (see PartitionedIndexes). */
    int createIndexStorage(int tableOid, int nsp, String name, int[] keys, boolean unique, boolean primary,
            boolean nullsNotDistinct, String relkind) {
        return createIndexStorage(tableOid, nsp, name, keys, unique, primary, nullsNotDistinct, relkind, List.of(),
                null, null, null, new int[0]);
    }

    /**
     * As above, for an expression or partial index too: {@code exprs} the SQL text of the keys of attnum 0 in
     * order (pg_index.indexprs, one per line), {@code predicate} the WHERE (indpred); {@code keyTypes} and
     * {@code keyNames} name and type the index's pg_attribute rows of expression keys.
     */
    int createIndexStorage(int tableOid, int nsp, String name, int[] keys, boolean unique, boolean primary,
            boolean nullsNotDistinct, String relkind, List<String> exprs, String predicate, int[] keyTypes,
            List<String> keyNames, int[] keyOptions) {
        int idxOid = tx.newOid();
        // an index of a temporary table is temporary too (its schema is the table's)
        RelFileNode node = new RelFileNode(CatalogStore.DEFAULT_TABLESPACE, tx.database(), idxOid, tempBackendOf(nsp));
        ex.btree.create(node);
        tx.onAbort(() -> ex.btree.dropStorage(node));
        Object[] classRow = Bootstrap.classRow(idxOid, name, nsp, idxOid, 0, false, "i", keys.length, ownerOid(),
                null);
        classRow[SysTable.PG_CLASS.column("relkind")] = relkind;
        store.insert(SysTable.PG_CLASS, withPersistence(classRow, node), tx);
        store.insert(SysTable.PG_INDEX, new Object[] {idxOid, tableOid, (short) keys.length, (short) keys.length,
                unique, nullsNotDistinct, primary, false, true, false, true, false, true, true, false,
                CatalogView.formatInts(keys), keyOptions.length == 0 ? null : CatalogView.formatInts(keyOptions),
                exprs.isEmpty() ? null : String.join("\n", exprs), predicate}, tx);
        // mark the table as having indexes
        CatalogStore.Row tr = null;
        for (CatalogStore.Row r : store.scan(SysTable.PG_CLASS, tx.snapshot())) {
            if (((Integer) r.get(SysTable.PG_CLASS, "oid")) == tableOid) {
                tr = r;
            }
        }
        if (tr != null && !((Boolean) tr.get(SysTable.PG_CLASS, "relhasindex"))) {
            Object[] v = tr.values().clone();
            v[SysTable.PG_CLASS.column("relhasindex")] = true;
            store.update(SysTable.PG_CLASS, tr.tid(), v, tx);
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
        Relation table = reload(tableOid);
        // the index's own columns (PostgreSQL's pg_attribute rows of an index: the key columns' names and types)
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == 0 && keyTypes != null) {
                int t = keyTypes[i];
                int len = typlen(t);
                store.insert(SysTable.PG_ATTRIBUTE, Bootstrap.attributeRow(idxOid, keyNames.get(i), t, i + 1, -1, len,
                        typalign(t), len > 0 && len <= 8, false, false, "", ""), tx);
                continue;
            }
            for (Relation.Column c : table.columns()) {
                if (c.attnum() == keys[i]) {
                    int len = typlen(c.type());
                    store.insert(SysTable.PG_ATTRIBUTE, Bootstrap.attributeRow(idxOid, c.name(), c.type(), i + 1,
                            c.typmod(), len, typalign(c.type()), len > 0 && len <= 8, false, false, "", ""), tx);
                }
            }
        }
        Relation.Index idx = table.indexes().stream().filter(i -> i.oid() == idxOid).findFirst().orElseThrow();
        build(table, idx);
        return idxOid;
    }

    /** The relation as the catalog now says (after this transaction's changes). */
    Relation reload(int oid) {
        CatalogView v = CatalogView.load(store, tx.snapshot());
        return v.relation(oid);
    }

    /*
     * Design notes: CREATE INDEX within maintenance_work_mem (PostgreSQL's
     * tuplesort_begin_index_btree feeding nbtsort.c's load phase).
     *
     * Where the sort lives: the storage bundle's bottom-up build (BTree.build,
     * BtSort) only loads entries that arrive sorted, one open page per level,
     * so it holds no entries itself; the sorting is done here, on the SQL side,
     * by the executor's external sort (modgres.sql.exec.spill.ExternalSort),
     * which keeps at most maintenance_work_mem of entries in memory and spills
     * sorted runs to base/pgsql_tmp beyond. This keeps the dependency
     * direction (storage never sees modgres.sql) and gives CREATE INDEX the
     * same temporary files, temp_file_limit and log_temp_files as queries,
     * with no second sorter to maintain. The runs are deleted when the sort
     * is closed (and, after an error, by the statement's temporary file space
     * at transaction end at the latest).
     *
     * Entries: {key bytes, heap tid, key has a NULL} rows, ordered by the key
     * (unsigned bytewise, the order-preserving key encoding: the index's
     * order) then the tid (unsigned), exactly the order BtSort requires.
     *
     * Unique indexes are checked as the sorted entries are fed: two adjacent
     * equal keys are two live rows of this snapshot with the same key,
     * 23505 "could not create unique index", unless the key has a NULL and the
     * index is NULLS DISTINCT.
     */
    /** Fills a new index with the table's current rows (under the table's lock); see the design notes above. */
    private void build(Relation table, Relation.Index idx) {
        int[] types = table.columns().stream().mapToInt(Relation.Column::type).toArray();
        Relation only = new Relation(table.oid(), table.name(), table.namespace(), table.kind(), table.node(),
                table.owner(), table.columns(), List.of(idx), table.constraints(), table.options(), table.shared(),
                table.toast());
        ModifyTable mt = new ModifyTable(ModifyTable.Op.INSERT, only, new Scans.ValuesNode(List.of(), List.of(), false),
                null, List.of(), null, null);
        boolean nullsConflict = idx.nullsNotDistinct();
        java.util.Comparator<Object[]> order = (a, b) -> {
            int c = java.util.Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]);
            return c != 0 ? c : Long.compareUnsigned((Long) a[1], (Long) b[1]);
        };
        long memory = ex.maintenanceWorkMem > 0 ? ex.maintenanceWorkMem : 64L * 1024 * 1024;
        // the entries' columns: bytea key, tid, bool (only the codec's fallback form would need the types)
        modgres.sql.exec.spill.RowCodec codec = Nodes.codec(new int[] {17, 27, 16}, ex);
        modgres.sql.exec.spill.ExternalSort sort = new modgres.sql.exec.spill.ExternalSort(order, memory,
                ex::tempFiles, codec, ex::tick)
                .account(ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.SORT));
        try {
            try (HeapScan s = ex.heap.scan(table.ref(), tx.snapshot(), true)) {
                for (HeapTuple t = s.next(); t != null; t = s.next()) {
                    ex.tick();
                    Object[] row = Scans.toRow(ex, table, types, t);
                    if (!mt.covers(ex, idx, row)) {
                        continue; // a partial index without this row
                    }
                    boolean hasNull = false;
                    if (idx.unique() && !nullsConflict) {
                        for (Object v : mt.keyValues(ex, idx, row)) {
                            hasNull |= v == null;
                        }
                    }
                    sort.put(new Object[] {mt.indexKey(ex, idx, row), t.tid(), hasNull});
                }
            }
            sort.finish();
            buildFromSorted(table, idx, types, mt, sort);
        } finally {
            sort.close();
        }
    }

    /** Hands the sorted entries to the B-tree's bottom-up build, checking uniqueness on the way. */
    private void buildFromSorted(Relation table, Relation.Index idx, int[] types, ModifyTable mt,
            modgres.sql.exec.spill.ExternalSort sort) {
        modgres.api.access.IndexScan sorted = new modgres.api.access.IndexScan() {
            Object[] cur;
            byte[] prevKey;

            @Override
            public boolean next() {
                ex.tick();
                if (cur != null) {
                    prevKey = (byte[]) cur[0];
                }
                cur = sort.next();
                if (cur == null) {
                    return false;
                }
                if (idx.unique() && prevKey != null && java.util.Arrays.equals((byte[]) cur[0], prevKey)
                        && !Boolean.TRUE.equals(cur[2])) {
                    HeapTuple t = ex.heap.fetch(table.ref(), (Long) cur[1], tx.snapshot());
                    String key = t == null ? "" : " " + mt.keyDetail(ex, idx, Scans.toRow(ex, table, types, t));
                    throw new PgException("23505", "could not create unique index \"" + idx.name() + "\"",
                            "Key" + key + " is duplicated.", null);
                }
                return true;
            }

            @Override
            public long heapTid() {
                return (Long) cur[1];
            }

            @Override
            public byte[] key() {
                return (byte[]) cur[0];
            }

            @Override
            public void close() {
            }
        };
        int fillfactor = 0; // the B-tree's default, 90
        if (idx.options() != null) {
            for (String o : idx.options().split(",")) {
                String[] kv = o.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals("fillfactor")) {
                    int ff = Integer.parseInt(kv[1].trim());
                    fillfactor = ff >= 10 && ff <= 100 ? ff : 0;
                }
            }
        }
        try {
            ex.btree.build(idx.ref(), modgres.api.access.KeyComparator.BYTEWISE, sorted, fillfactor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        }
    }

    // ------------------------------------------------------------------ sequences

    private int createSequence(int nsp, String name, Sequences.Def d, int type, String options) {
        int oid = tx.newOid();
        RelFileNode node = new RelFileNode(CatalogStore.DEFAULT_TABLESPACE, tx.database(), oid);
        ex.heap.create(node);
        tx.onAbort(() -> ex.heap.dropStorage(node));
        store.insert(SysTable.PG_CLASS, Bootstrap.classRow(oid, name, nsp, oid, 0, false, "S", 3, ownerOid(), options),
                tx);
        store.insert(SysTable.PG_SEQUENCE, new Object[] {oid, type, d.start(), d.increment(), d.max(), d.min(),
                d.cache(), d.cycle()}, tx);
        // the row is not transactional (nextval never is): visible to everyone at once
        ex.heap.insert(new modgres.api.access.RelationRef(oid, node, name), Sequences.initialRow(d),
                modgres.api.txn.Xid.BOOTSTRAP, 0, modgres.api.access.Heap.INSERT_FROZEN, 100);
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return oid;
    }

    public String createSequence(Ddl.CreateSequence cs) {
        RangeVar rv = cs.relation();
        // a temporary sequence lives in the session's temporary schema (dropped with it at session end); its
        // row stays in shared buffers, where Sequences writes every sequence's row (relpersistence 'p')
        boolean temp = cs.persistence() == modgres.sql.ast.IntoClause.Persistence.TEMPORARY
                || "pg_temp".equals(rv.schema());
        if (temp && rv.schema() != null && !rv.schema().equals("pg_temp")) {
            throw new PgException("42P16", "cannot create temporary relation in non-temporary schema", null, null,
                    rv.position(), null);
        }
        int nsp = temp ? tempNamespace() : creationNamespace(rv.schema(), rv.position());
        if (cat.relation(nsp, rv.name()) != null) {
            if (cs.ifNotExists()) {
                notice.accept("relation \"" + rv.name() + "\" already exists, skipping");
                return "CREATE SEQUENCE";
            }
            throw new PgException("42P07", "relation \"" + rv.name() + "\" already exists", null, null,
                    rv.position(), null);
        }
        SequenceSpec spec = sequenceSpec(cs.options(), 20);
        createSequence(nsp, rv.name(), spec.def(), spec.type(), null);
        return "CREATE SEQUENCE";
    }

    /** A sequence's type and parameters from CREATE SEQUENCE's (or an identity column's) options. */
    record SequenceSpec(Sequences.Def def, int type) {
    }

    SequenceSpec sequenceSpec(List<DefElem> options, int defaultType) {
        SequenceOptions.Result r = SequenceOptions.apply(options, true, null, defaultType, 0, defaultType,
                t -> ts.typeOid(t.names(), false));
        return new SequenceSpec(r.def(), r.type());
    }

    public String createIndex(Ddl.CreateIndex ci) {
        if (ci.accessMethod() != null && !ci.accessMethod().equals("btree")) {
            throw new PgException("0A000", "access method \"" + ci.accessMethod() + "\" is not supported yet", null,
                    null, ci.position(), null);
        }
        if (!ci.include().isEmpty()) {
            throw new PgException("0A000", "INCLUDE is not supported yet", null, null, ci.position(), null);
        }
        Relation rel = planner.relation(ci.relation());
        if (rel.kind() != 'r' && rel.kind() != 'p') {
            throw new PgException("42809", "\"" + rel.name() + "\" is not a table", null, null,
                    ci.relation().position(), null);
        }
        tx.lockRelation(rel.oid(), LockMode.SHARE);
        List<Integer> keys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        List<Integer> options = new ArrayList<>();
        for (IndexElem e : ci.elements()) {
            if (e.name() == null) {
                if (rel.kind() == 'p') {
                    throw new PgException("0A000", "indexes on expressions of partitioned tables are not supported yet",
                            null, null, e.position(), null);
                }
                options.add(keyOption(e));
                keys.add(0);
                names.add(indexColumnName(e.expr()));
                exprs.add(SqlDeparser.deparse(e.expr()));
                continue;
            }
            if (e.direction() == modgres.sql.ast.SortBy.Direction.USING) {
                throw new PgException("0A000", "USING in index columns is not supported yet", null, null,
                        e.position(), null);
            }
            options.add(keyOption(e));
            Relation.Column c = rel.column(e.name());
            if (c == null) {
                throw new PgException("42703", "column \"" + e.name() + "\" does not exist", null, null,
                        e.position(), null);
            }
            keys.add(c.attnum());
            names.add(c.name());
        }
        String name = ci.name();
        if (name == null) {
            name = uniqueName(rel.namespace(), rel.name() + "_" + String.join("_", names) + "_idx",
                    new ArrayList<>());
        } else if (cat.relation(rel.namespace(), name) != null) {
            if (ci.ifNotExists()) {
                notice.accept("relation \"" + name + "\" already exists, skipping");
                return "CREATE INDEX";
            }
            throw new PgException("42P07", "relation \"" + name + "\" already exists");
        }
        String predicate = ci.where() == null ? null : SqlDeparser.deparse(ci.where());
        int[] keyOptions = options.stream().anyMatch(o -> o != 0)
                ? options.stream().mapToInt(Integer::intValue).toArray() : new int[0];
        if (rel.kind() == 'p') {
            if (predicate != null || keyOptions.length > 0) {
                throw new PgException("0A000", "partial and DESC/NULLS FIRST indexes of partitioned tables are not "
                        + "supported yet", null, null, ci.position(), null);
            }
            new PartitionedIndexes(this).create(rel, name, keys.stream().mapToInt(Integer::intValue).toArray(),
                    ci.unique(), false, ci.nullsNotDistinct(), (char) 0, 0, 0);
            return "CREATE INDEX";
        }
        int[] keyArray = keys.stream().mapToInt(Integer::intValue).toArray();
        // the expressions and the predicate must compile over the table's columns (errors at CREATE INDEX)
        int[] keyTypes = IndexExpressions.keyTypes(planner, rel, keyArray, exprs);
        if (predicate != null) {
            planner.compiler(planner.tableScope(rel, rel.name())).condition(ci.where(), "WHERE");
        }
        createIndexStorage(rel.oid(), rel.namespace(), name, keyArray, ci.unique(), false, ci.nullsNotDistinct(),
                "i", exprs, predicate, keyTypes, names, keyOptions);
        return "CREATE INDEX";
    }

    /** PostgreSQL's indoption bits of an index column: 1 DESC, 2 NULLS FIRST (DESC's default). */
    private static int keyOption(IndexElem e) {
        boolean desc = e.direction() == modgres.sql.ast.SortBy.Direction.DESC;
        boolean nullsFirst = e.nulls() == modgres.sql.ast.SortBy.Nulls.FIRST
                || e.nulls() == modgres.sql.ast.SortBy.Nulls.DEFAULT && desc;
        return (desc ? 1 : 0) | (nullsFirst ? 2 : 0);
    }

    /** PostgreSQL's name for an index expression's column (FigureColname): a function's name, else "expr". */
    private static String indexColumnName(modgres.sql.ast.Expr e) {
        if (e instanceof modgres.sql.ast.Expr.FuncCall fc) {
            return fc.name().get(fc.name().size() - 1);
        }
        if (e instanceof modgres.sql.ast.Expr.TypeCast tc) {
            String inner = indexColumnName(tc.arg());
            return inner.equals("expr") ? tc.type().names().get(tc.type().names().size() - 1) : inner;
        }
        return "expr";
    }

    public String drop(Ddl.Drop d) {
        switch (d.objectType()) {
            case TABLE, INDEX, SEQUENCE, VIEW -> {
                // as PostgreSQL's RemoveRelations: every name is checked first, then all are dropped together
                // (a view that depends on another object of the list needs no CASCADE)
                List<Relation> rels = new ArrayList<>();
                for (ObjectRef o : d.objects()) {
                    Relation r = resolveForDrop(o, d.objectType(), d.ifExists());
                    if (r != null && !dropping.contains(r.oid())) {
                        rels.add(r);
                        dropping.add(r.oid());
                    }
                }
                for (Relation r : rels) {
                    if (!dropped.contains(r.oid())) {
                        dropRelation(r, d.objectType(), d.behavior() == modgres.sql.ast.DropBehavior.CASCADE);
                    }
                }
                return "DROP " + d.objectType().sql;
            }
            case SCHEMA -> {
                for (ObjectRef o : d.objects()) {
                    dropSchema(o.name().get(0), d.ifExists(),
                            d.behavior() == modgres.sql.ast.DropBehavior.CASCADE);
                }
                return "DROP SCHEMA";
            }
            default -> throw new PgException("0A000", "DROP " + d.objectType().sql + " is not supported yet", null,
                    null, d.position(), null);
        }
    }

    /** The relations this statement has dropped (the catalog view it works on still shows them). */
    private final java.util.Set<Integer> dropped = new java.util.HashSet<>();

    private static String kindName(char relkind) {
        return switch (relkind) {
            case 'r', 'p' -> "table";
            case 'v' -> "view";
            case 'i', 'I' -> "index";
            case 'S' -> "sequence";
            default -> "relation";
        };
    }

    /** The objects a DROP statement names (a dependent among them is dropped without CASCADE). */
    private final java.util.Set<Integer> dropping = new java.util.HashSet<>();

    private void dropRelation(ObjectRef o, ObjectType type, boolean ifExists, boolean cascade) {
        Relation rel = resolveForDrop(o, type, ifExists);
        if (rel != null && !dropped.contains(rel.oid())) {
            dropRelation(rel, type, cascade);
        }
    }

    /** The relation a DROP names, checked to be of the kind the statement drops; null (noticed) IF EXISTS. */
    private Relation resolveForDrop(ObjectRef o, ObjectType type, boolean ifExists) {
        List<String> n = o.name();
        String schema = n.size() > 1 ? n.get(n.size() - 2) : null;
        String name = n.get(n.size() - 1);
        Relation rel = schema != null && cat.namespace(schema) == null ? null : planner.lookup(schema, name);
        if (rel != null && dropped.contains(rel.oid())) {
            return rel; // dropped already by this statement (a CASCADE of an earlier object)
        }
        char want = switch (type) {
            case TABLE -> 'r';
            case SEQUENCE -> 'S';
            case VIEW -> 'v';
            default -> 'i';
        };
        String kind = kindName(want);
        if (rel == null || rel.kind() != want && !(want == 'r' && rel.kind() == 'p')
                && !(want == 'i' && rel.kind() == 'I')) {
            if (rel != null) {
                String actual = kindName(rel.kind());
                throw new PgException("42809", "\"" + name + "\" is not a" + (want == 'i' ? "n " : " ") + kind, null,
                        "Use DROP " + actual.toUpperCase(java.util.Locale.ROOT) + " to remove a"
                                + (rel.kind() == 'i' ? "n " : " ") + actual + ".");
            }
            if (ifExists) {
                notice.accept(kind + " \"" + name + "\" does not exist, skipping");
                return null;
            }
            throw new PgException("42P01", kind + " \"" + name + "\" does not exist");
        }
        if (rel.namespace() == Namespace.PG_CATALOG) {
            throw new PgException("42501", "permission denied: \"" + rel.name() + "\" is a system catalog");
        }
        return rel;
    }

    private void dropRelation(Relation rel, ObjectType type, boolean cascade) {
        if (rel.namespace() == Namespace.PG_CATALOG) {
            throw new PgException("42501", "permission denied: \"" + rel.name() + "\" is a system catalog");
        }
        if (type == ObjectType.INDEX) {
            for (Relation t : cat.relations()) {
                for (Relation.Constraint k : t.constraints()) {
                    if (k.index() == rel.oid() && k.type() != 'f') {
                        throw new PgException("2BP01", "cannot drop index " + rel.name()
                                + " because constraint " + k.name() + " on table " + t.name() + " requires it", null,
                                "You can drop constraint " + k.name() + " on table " + t.name() + " instead.");
                    }
                }
            }
            int table = ((Integer) cat.row(SysTable.PG_INDEX, "indexrelid", rel.oid())
                    .get(SysTable.PG_INDEX, "indrelid"));
            int parentIndex = PartitionedIndexes.parentIndexOf(cat, rel.oid());
            if (parentIndex != 0 && !dropping.contains(parentIndex)) {
                String parentName = cat.relation(parentIndex).name();
                throw new PgException("2BP01", "cannot drop index " + rel.name() + " because index " + parentName
                        + " requires it", null, "You can drop index " + parentName + " instead.");
            }
            tx.lockRelation(table, LockMode.ACCESS_EXCLUSIVE);
            for (int c : PartitionedIndexes.descendantIndexes(cat, rel.oid())) {
                Relation ci = cat.relation(c);
                if (ci != null && !dropped.contains(c)) {
                    deleteIndex(c, ci.node());
                    dropped.add(c);
                }
            }
            deleteIndex(rel.oid(), rel.node());
        } else if (type == ObjectType.SEQUENCE) {
            tx.lockRelation(rel.oid(), LockMode.ACCESS_EXCLUSIVE);
            dropDependentViews(rel, cascade);
            dropSequence(rel);
        } else if (type == ObjectType.VIEW) {
            tx.lockRelation(rel.oid(), LockMode.ACCESS_EXCLUSIVE);
            dropDependentViews(rel, cascade);
            dropView(rel);
        } else {
            tx.lockRelation(rel.oid(), LockMode.ACCESS_EXCLUSIVE);
            java.util.Set<Integer> alsoDropped = new java.util.HashSet<>(dropping);
            alsoDropped.addAll(dropped);
            alsoDropped.add(rel.oid());
            InheritanceCommands inh = new InheritanceCommands(this);
            for (Relation child : inh.dependentChildren(rel, cascade, alsoDropped)) {
                if (!dropped.contains(child.oid())) {
                    dropping.add(child.oid());
                    dropRelation(child, ObjectType.TABLE, cascade);
                }
            }
            inh.forgetChild(rel);
            for (CatalogStore.Row r : cat.rowsWhere(SysTable.PG_CONSTRAINT, "confrelid", rel.oid())) {
                // partition clones of keys referencing it, unless their own table goes in this statement too
                int owner = (Integer) r.get(SysTable.PG_CONSTRAINT, "conrelid");
                if ((Integer) r.get(SysTable.PG_CONSTRAINT, "conparentid") != 0 && PartitionedForeignKeys
                        .selfAndAncestors(cat, owner).stream().noneMatch(alsoDropped::contains)) {
                    store.delete(SysTable.PG_CONSTRAINT, r.tid(), tx);
                }
            }
            dropReferencingFks("table " + rel.name(), "table " + rel.name(), rel.oid(), 0, cascade, alsoDropped);
            dropDependentViews(rel, cascade);
            if (ex.stats != null) {
                TableActivity stats = ex.stats;
                int dropped = rel.oid();
                tx.onCommit(() -> stats.dropped(dropped));
            }
            for (Relation.Index i : rel.indexes()) {
                deleteIndex(i.oid(), i.node());
            }
            String owned = "owned_by=" + Integer.toUnsignedString(rel.oid()) + ".";
            for (Relation r : new ArrayList<>(cat.relations())) {
                if (r.kind() == 'S' && r.options() != null && r.options().startsWith(owned)) {
                    dropSequence(r);
                }
            }
            ToastTables.drop(store, tx, ex, cat, rel);
            deleteRows(SysTable.PG_CONSTRAINT, "conrelid", rel.oid());
            deleteRows(SysTable.PG_ATTRDEF, "adrelid", rel.oid());
            deleteRows(SysTable.PG_ATTRIBUTE, "attrelid", rel.oid());
            deleteRows(SysTable.PG_POLICY, "polrelid", rel.oid()); // its row-level security policies
            deleteRows(SysTable.PG_CLASS, "oid", rel.oid());
            dropped.add(rel.oid());
            RelFileNode node = rel.node();
            tx.onCommit(() -> ex.heap.dropStorage(node));
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
    }

    // ------------------------------------------------------------------ views

    /**
     * CREATE [OR REPLACE] VIEW: the view is a pg_class row of relkind 'v' with its columns in pg_attribute, its
     * query in its _RETURN rule (pg_rewrite.ev_action, as SQL text with the relations it reads
     * schema-qualified) and its dependencies on those relations in pg_depend.
     */
    public String createView(Ddl.CreateView cv) {
        if (cv.recursive()) {
            throw new PgException("0A000", "CREATE RECURSIVE VIEW is not supported yet", null, null, cv.position(),
                    null);
        }
        String viewOptions = viewOptions(cv);
        if (viewOptions != null && viewOptions.contains("check_option=")) {
            String reason = UpdatableViews.notUpdatableReason(cv.query(), planner);
            if (reason != null) {
                throw new PgException("0A000", "WITH CHECK OPTION is supported only on automatically updatable views",
                        null, reason);
            }
        }
        RangeVar rv = cv.relation();
        Planner.Planned q = planner.planSelect(cv.query(), null);
        List<OutCol> qc = q.columns();
        if (cv.columns().size() > qc.size()) {
            throw new PgException("42601", "CREATE VIEW specifies more column names than columns");
        }
        List<Col> cols = new ArrayList<>();
        for (int i = 0; i < qc.size(); i++) {
            Col c = new Col();
            c.name = i < cv.columns().size() ? cv.columns().get(i) : qc.get(i).name();
            c.type = qc.get(i).type() == Compiler.UNKNOWN ? Compiler.TEXT : qc.get(i).type();
            c.typmod = qc.get(i).typmod();
            c.attnum = i + 1;
            for (Col other : cols) {
                if (other.name.equals(c.name)) {
                    throw new PgException("42701", "column \"" + c.name + "\" specified more than once");
                }
            }
            cols.add(c);
        }
        boolean temp = cv.persistence() == modgres.sql.ast.IntoClause.Persistence.TEMPORARY
                || "pg_temp".equals(rv.schema());
        if (!temp) {
            for (int ref : planner.referenced) {
                Relation r = cat.relation(ref);
                Namespace ns = r == null ? null : cat.namespace(r.namespace());
                if (ns != null && ns.name().startsWith("pg_temp_")) {
                    temp = true;
                    notice.accept("view \"" + rv.name() + "\" will be a temporary view");
                    break;
                }
            }
        }
        if (temp && rv.schema() != null && !rv.schema().equals("pg_temp")) {
            throw new PgException("42P16", "cannot create temporary relation in non-temporary schema", null, null,
                    rv.position(), null);
        }
        int nsp = temp ? tempNamespace() : creationNamespace(rv.schema(), rv.position());
        String sql = SqlDeparser.deparse(cv.query(), r -> planner.resolvedSchemas.get(r.position()));
        Relation existing = cat.relation(nsp, rv.name());
        if (existing != null) {
            if (!cv.orReplace()) {
                throw new PgException("42P07", "relation \"" + rv.name() + "\" already exists");
            }
            if (existing.kind() != 'v') {
                throw new PgException("42809", "\"" + rv.name() + "\" is not a view");
            }
            replaceView(existing, cols, sql);
            if (!java.util.Objects.equals(existing.options(), viewOptions)) {
                CatalogStore.Row cr = cat.row(SysTable.PG_CLASS, "oid", existing.oid());
                Object[] v = cr.values().clone();
                v[SysTable.PG_CLASS.column("reloptions")] = viewOptions;
                store.update(SysTable.PG_CLASS, cr.tid(), v, tx);
                tx.catalogChanged();
            }
            return "CREATE VIEW";
        }
        int oid = tx.newOid();
        Object[] row = Bootstrap.classRow(oid, rv.name(), nsp, 0, 0, false, "v", cols.size(), ownerOid(),
                viewOptions);
        row[SysTable.PG_CLASS.column("relhasrules")] = true;
        store.insert(SysTable.PG_CLASS, row, tx);
        for (Col c : cols) {
            insertAttribute(oid, c);
        }
        int rule = tx.newOid();
        store.insert(SysTable.PG_REWRITE, new Object[] {rule, "_RETURN", oid, "1", "O", true, null, sql}, tx);
        store.insert(SysTable.PG_DEPEND, new Object[] {SysTable.PG_REWRITE.oid(), rule, 0, SysTable.PG_CLASS.oid(),
                oid, 0, "i"}, tx);
        recordDependencies(rule, oid);
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return "CREATE VIEW";
    }

    /**
     * The rule's normal dependencies: on each column its query reads (refobjsubid = attnum), or on the whole
     * relation when it reads none of its columns (count(*)), as PostgreSQL records them.
     */
    private void recordDependencies(int rule, int view) {
        for (int ref : planner.referenced) {
            if (ref == view) {
                continue;
            }
            List<Integer> atts = new ArrayList<>();
            for (long rc : planner.referencedColumns) {
                if ((int) (rc >>> 16) == ref) {
                    atts.add((int) (rc & 0xffff));
                }
            }
            if (atts.isEmpty()) {
                atts.add(0);
            }
            for (int att : atts) {
                store.insert(SysTable.PG_DEPEND, new Object[] {SysTable.PG_REWRITE.oid(), rule, 0,
                        SysTable.PG_CLASS.oid(), ref, att, "n"}, tx);
            }
        }
    }

    /** CREATE OR REPLACE VIEW on a view: same leading columns (names and types), maybe new ones after them. */
    /**
     * A view's reloptions: {@code check_option} (local, cascaded; WITH [LOCAL|CASCADED] CHECK OPTION sets it too)
     * and {@code security_barrier}, as PostgreSQL's view_reloptions; null when none.
     */
    private static String viewOptions(Ddl.CreateView cv) {
        java.util.Map<String, String> opts = new java.util.LinkedHashMap<>();
        for (DefElem d : cv.options()) {
            String name = d.name().toLowerCase(java.util.Locale.ROOT);
            String v = d.value() == null ? "true" : d.value() instanceof DefElem.Num n ? n.value()
                    : d.value() instanceof DefElem.Str s ? s.value()
                    : d.value() instanceof DefElem.Name nm ? String.join(".", nm.parts()) : String.valueOf(d.value());
            switch (name) {
                case "check_option" -> {
                    String lv = v.toLowerCase(java.util.Locale.ROOT);
                    if (!lv.equals("local") && !lv.equals("cascaded")) {
                        throw new PgException("22023", "invalid value for enum option \"check_option\": " + v,
                                "Valid values are \"local\" and \"cascaded\".", null);
                    }
                    opts.put(name, lv);
                }
                case "security_barrier", "security_invoker" -> {
                    String b = switch (v.toLowerCase(java.util.Locale.ROOT)) {
                        case "true", "on", "yes", "1", "t", "y" -> "true";
                        case "false", "off", "no", "0", "f", "n" -> "false";
                        default -> throw new PgException("22023", "invalid value for boolean option \"" + name
                                + "\": " + v);
                    };
                    opts.put(name, b);
                }
                default -> throw new PgException("22023", "unrecognized parameter \"" + name + "\"");
            }
        }
        if (cv.checkOption() != Ddl.CheckOption.NONE) {
            opts.put("check_option", cv.checkOption() == Ddl.CheckOption.LOCAL ? "local" : "cascaded");
        }
        if (opts.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (var e : opts.entrySet()) {
            b.append(b.isEmpty() ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    private void replaceView(Relation view, List<Col> cols, String sql) {
        tx.lockRelation(view.oid(), LockMode.ACCESS_EXCLUSIVE);
        // a definition that reads the view itself is accepted (as PostgreSQL does); reading it is the error
        List<Relation.Column> old = view.liveColumns();
        if (cols.size() < old.size()) {
            throw new PgException("42P16", "cannot drop columns from view");
        }
        for (int i = 0; i < old.size(); i++) {
            Relation.Column o = old.get(i);
            Col c = cols.get(i);
            if (!o.name().equals(c.name)) {
                throw new PgException("42P16", "cannot change name of view column \"" + o.name() + "\" to \""
                        + c.name + "\"", null,
                        "Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.");
            }
            if (o.type() != c.type || o.typmod() != c.typmod) {
                throw new PgException("42P16", "cannot change data type of view column \"" + o.name() + "\" from "
                        + ts.format(o.type(), o.typmod()) + " to " + ts.format(c.type, c.typmod));
            }
        }
        for (int i = old.size(); i < cols.size(); i++) {
            insertAttribute(view.oid(), cols.get(i));
        }
        if (cols.size() > old.size()) {
            CatalogStore.Row cr = cat.row(SysTable.PG_CLASS, "oid", view.oid());
            Object[] v = cr.values().clone();
            v[SysTable.PG_CLASS.column("relnatts")] = (short) cols.size();
            store.update(SysTable.PG_CLASS, cr.tid(), v, tx);
        }
        for (CatalogStore.Row r : cat.rowsWhere(SysTable.PG_REWRITE, "ev_class", view.oid())) {
            int rule = (Integer) r.get(SysTable.PG_REWRITE, "oid");
            Object[] v = r.values().clone();
            v[SysTable.PG_REWRITE.column("ev_action")] = sql;
            store.update(SysTable.PG_REWRITE, r.tid(), v, tx);
            for (CatalogStore.Row d : cat.rowsWhere(SysTable.PG_DEPEND, "objid", rule)) {
                if ("n".equals(d.get(SysTable.PG_DEPEND, "deptype"))) {
                    store.delete(SysTable.PG_DEPEND, d.tid(), tx);
                }
            }
            recordDependencies(rule, view.oid());
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
    }

    /** A view that depends on something, and what (described) for the error's detail. */
    private record Dependent(Relation view, String on) {
    }

    /**
     * The views that depend on {@code rel} (on its column {@code attnum}, or on any part of it when 0),
     * directly or through other views, in PostgreSQL's report order.
     */
    private List<Dependent> dependents(Relation rel, int attnum) {
        List<Dependent> out = new ArrayList<>();
        collectDependents(rel, attnum, out, new java.util.HashSet<>());
        return out;
    }

    private void collectDependents(Relation rel, int attnum, List<Dependent> out, java.util.Set<Integer> seen) {
        List<Integer> views = new ArrayList<>();
        for (CatalogStore.Row d : cat.rowsWhere(SysTable.PG_DEPEND, "refobjid", rel.oid())) {
            if (!"n".equals(d.get(SysTable.PG_DEPEND, "deptype"))
                    || (Integer) d.get(SysTable.PG_DEPEND, "classid") != SysTable.PG_REWRITE.oid()
                    || attnum != 0 && (Integer) d.get(SysTable.PG_DEPEND, "refobjsubid") != attnum) {
                continue;
            }
            CatalogStore.Row rule = cat.row(SysTable.PG_REWRITE, "oid", d.get(SysTable.PG_DEPEND, "objid"));
            if (rule != null && !views.contains((Integer) rule.get(SysTable.PG_REWRITE, "ev_class"))) {
                views.add((Integer) rule.get(SysTable.PG_REWRITE, "ev_class"));
            }
        }
        views.sort(Integer::compareUnsigned);
        String on = attnum == 0 ? describe(rel) : "column " + rel.columns().get(attnum - 1).name() + " of "
                + describe(rel);
        for (int v : views) {
            Relation view = cat.relation(v);
            if (view == null || view.oid() == rel.oid() || dropped.contains(v) || !seen.add(v)) {
                continue;
            }
            out.add(new Dependent(view, on));
            collectDependents(view, 0, out, seen);
        }
    }

    /** "view v" / "table s.t": the name qualified when its schema is not on the search path. */
    private String describe(Relation r) {
        Namespace ns = cat.namespace(r.namespace());
        boolean visible = ns == null || planner.effectivePath().contains(ns.name());
        return kindName(r.kind()) + " " + (visible ? r.name() : ns.name() + "." + r.name());
    }

    private void dropDependentViews(Relation rel, boolean cascade) {
        dropDependentViews(rel, 0, cascade);
    }

    /**
     * RESTRICT: 2BP01 when views depend on {@code rel} (or its column {@code attnum}); CASCADE: drops them
     * (the deepest first).
     */
    private void dropDependentViews(Relation rel, int attnum, boolean cascade) {
        List<Dependent> deps = dependents(rel, attnum);
        if (deps.isEmpty()) {
            return;
        }
        List<Dependent> others = deps.stream().filter(d -> !dropping.contains(d.view().oid())).toList();
        if (!cascade && !others.isEmpty()) {
            StringBuilder detail = new StringBuilder();
            for (Dependent d : others) {
                detail.append(detail.isEmpty() ? "" : "\n").append(describe(d.view())).append(" depends on ")
                        .append(d.on());
            }
            String what = attnum == 0 ? describe(rel) : "column " + rel.columns().get(attnum - 1).name()
                    + " of " + describe(rel);
            throw new PgException("2BP01", "cannot drop " + what + " because other objects depend on it",
                    detail.toString(), "Use DROP ... CASCADE to drop the dependent objects too.");
        }
        // PostgreSQL lists the objects in the DETAIL of one notice, which this notice channel cannot carry
        if (!others.isEmpty()) {
            notice.accept(others.size() == 1 ? "drop cascades to " + describe(others.get(0).view())
                    : "drop cascades to " + others.size() + " other objects");
        }
        for (int i = deps.size() - 1; i >= 0; i--) {
            Relation v = deps.get(i).view();
            if (!dropped.contains(v.oid())) {
                tx.lockRelation(v.oid(), LockMode.ACCESS_EXCLUSIVE);
                dropView(v);
            }
        }
    }

    /** Removes a view's catalog rows: pg_class, pg_attribute, its rule and the rule's dependencies. */
    private void dropView(Relation view) {
        for (CatalogStore.Row r : cat.rowsWhere(SysTable.PG_REWRITE, "ev_class", view.oid())) {
            deleteRows(SysTable.PG_DEPEND, "objid", r.get(SysTable.PG_REWRITE, "oid"));
            store.delete(SysTable.PG_REWRITE, r.tid(), tx);
        }
        deleteRows(SysTable.PG_ATTRIBUTE, "attrelid", view.oid());
        deleteRows(SysTable.PG_CLASS, "oid", view.oid());
        dropped.add(view.oid());
        tx.catalogChanged();
    }

    private void dropSequence(Relation seq) {
        dropped.add(seq.oid());
        deleteRows(SysTable.PG_SEQUENCE, "seqrelid", seq.oid());
        deleteRows(SysTable.PG_CLASS, "oid", seq.oid());
        RelFileNode node = seq.node();
        tx.onCommit(() -> {
            ex.heap.dropStorage(node);
        });
    }

    /** An index's own catalog rows and storage (its constraint row is the caller's). */
    void deleteIndexOnly(int oid, RelFileNode node) {
        deleteRows(SysTable.PG_INDEX, "indexrelid", oid);
        deleteRows(SysTable.PG_INHERITS, "inhrelid", oid);
        deleteRows(SysTable.PG_ATTRIBUTE, "attrelid", oid);
        deleteRows(SysTable.PG_CLASS, "oid", oid);
        tx.onCommit(() -> ex.btree.dropStorage(node));
    }

    void deleteIndex(int oid, RelFileNode node) {
        deleteRows(SysTable.PG_INDEX, "indexrelid", oid);
        deleteRows(SysTable.PG_INHERITS, "inhrelid", oid); // the link of a partition's index to its parent index
        deleteRows(SysTable.PG_ATTRIBUTE, "attrelid", oid);
        deleteRows(SysTable.PG_CLASS, "oid", oid);
        // the constraint the index implements; foreign keys using it were dropped (or refused) by the caller
        for (CatalogStore.Row r : cat.rowsWhere(SysTable.PG_CONSTRAINT, "conindid", oid)) {
            if (!"f".equals(r.get(SysTable.PG_CONSTRAINT, "contype"))) {
                store.delete(SysTable.PG_CONSTRAINT, r.tid(), tx);
            }
        }
        tx.onCommit(() -> ex.btree.dropStorage(node));
    }

    private void deleteRows(SysTable t, String col, Object value) {
        for (CatalogStore.Row r : cat.rowsWhere(t, col, value)) {
            store.delete(t, r.tid(), tx);
        }
    }

    public String createSchema(Ddl.CreateSchema cs) {
        String name = cs.name() != null ? cs.name() : cs.authorization().name();
        if (cat.namespace(name) != null) {
            if (cs.ifNotExists()) {
                notice.accept("schema \"" + name + "\" already exists, skipping");
                return "CREATE SCHEMA";
            }
            throw new PgException("42P06", "schema \"" + name + "\" already exists");
        }
        if (name.startsWith("pg_")) {
            throw new PgException("42939", "unacceptable schema name \"" + name + "\"", "The prefix \"pg_\" is "
                    + "reserved for system schemas.", null);
        }
        store.insert(SysTable.PG_NAMESPACE, new Object[] {tx.newOid(), name, ownerOid(), null}, tx);
        tx.catalogChanged();
        tx.commandCounterIncrement();
        return "CREATE SCHEMA";
    }

    private void dropSchema(String name, boolean ifExists, boolean cascade) {
        Namespace ns = cat.namespace(name);
        if (ns == null) {
            if (ifExists) {
                notice.accept("schema \"" + name + "\" does not exist, skipping");
                return;
            }
            throw new PgException("3F000", "schema \"" + name + "\" does not exist");
        }
        List<Relation> members = cat.relations().stream().filter(r -> r.namespace() == ns.oid()
                && (r.kind() == 'r' || r.kind() == 'v')).sorted((a, b) -> Integer.compareUnsigned(a.oid(), b.oid()))
                .toList();
        if (!members.isEmpty() && !cascade) {
            throw new PgException("2BP01", "cannot drop schema " + name + " because other objects depend on it",
                    kindName(members.get(0).kind()) + " " + name + "." + members.get(0).name()
                            + " depends on schema " + name,
                    "Use DROP ... CASCADE to drop the dependent objects too.");
        }
        for (Relation r : members) {
            if (dropped.contains(r.oid())) {
                continue;
            }
            notice.accept("drop cascades to " + kindName(r.kind()) + " " + name + "." + r.name());
            dropRelation(ObjectRef.of(List.of(name, r.name())), r.kind() == 'v' ? ObjectType.VIEW
                    : ObjectType.TABLE, false, true);
        }
        deleteRows(SysTable.PG_NAMESPACE, "oid", ns.oid());
        tx.catalogChanged();
        tx.commandCounterIncrement();
    }

    /** A relation's (or index's) new, empty file: the old one goes at commit, the new one at abort. */
    void newFileNode(int oid, RelFileNode old, boolean heap) {
        int fn = tx.newOid();
        RelFileNode node = new RelFileNode(old.tablespace(), old.database(), fn, old.backend()); // temp stays temp
        if (heap) {
            ex.heap.create(node);
            tx.onAbort(new TxnContext.DropNewStorage(node, () -> ex.heap.dropStorage(node)));
            tx.onCommit(() -> ex.heap.dropStorage(old));
        } else {
            ex.btree.create(node);
            tx.onAbort(() -> ex.btree.dropStorage(node));
            tx.onCommit(() -> ex.btree.dropStorage(old));
        }
        CatalogStore.Row r = cat.row(SysTable.PG_CLASS, "oid", oid);
        Object[] v = r.values().clone();
        v[SysTable.PG_CLASS.column("relfilenode")] = fn;
        store.update(SysTable.PG_CLASS, r.tid(), v, tx);
    }

    // ------------------------------------------------------------------ VACUUM, ANALYZE

    /**
     * VACUUM: prunes dead versions of each table (dead to every snapshot: older
     * than the transaction manager's oldest xmin), removes their index entries
     * first, freezes old tuples (all with FREEZE), truncates empty tail pages.
     * ANALYZE (or VACUUM ANALYZE): counts rows and pages into pg_class's
     * reltuples and relpages, which the planner's estimates use.
     */
    /** Separates a NOTICE's message from its DETAIL (drop cascades to N other objects, then one line each). */
    public static final String DETAIL = "\u0001DETAIL\u0001";

    /** A NOTICE (or INFO) as sent to the client from a message of the notice channel. */
    public static modgres.api.sql.Notice noticeOf(String msg) {
        if (msg.startsWith(INFO)) {
            return new modgres.api.sql.Notice("INFO", "00000", msg.substring(INFO.length()), null, null, 0);
        }
        int i = msg.indexOf(DETAIL);
        return i < 0 ? new modgres.api.sql.Notice("NOTICE", "00000", msg, null, null, 0)
                : new modgres.api.sql.Notice("NOTICE", "00000", msg.substring(0, i), msg.substring(i + DETAIL.length()),
                        null, 0);
    }

    /** Marks a notice sent at INFO (VACUUM VERBOSE) rather than NOTICE. */
    public static final String INFO = "\u0001INFO\u0001";

    public String vacuum(modgres.sql.ast.Utility.Vacuum v, int oldestXmin) {
        boolean freeze = false;
        boolean verbose = false;
        boolean analyze = !v.vacuum();
        for (DefElem d : v.options()) {
            String n = d.name().toLowerCase(java.util.Locale.ROOT);
            switch (n) {
                case "freeze" -> freeze = true;
                case "analyze" -> analyze = true;
                case "verbose" -> verbose = true;
                case "full", "skip_locked", "index_cleanup", "truncate", "parallel",
                        "process_toast", "disable_page_skipping" -> {
                }
                default -> throw new PgException("42601", "unrecognized " + (v.vacuum() ? "VACUUM" : "ANALYZE")
                        + " option \"" + n + "\"", null, null, d.position(), null);
            }
        }
        List<Relation> rels = new ArrayList<>();
        if (v.relations().isEmpty()) {
            // every table of the database, the catalogs too (their relfrozenxid holds datfrozenxid back as
            // any other's), but not other sessions' temporary tables, as PostgreSQL's get_all_vacuum_rels
            String ownTemp = tempSchemaName(tx.pid());
            for (Relation r : cat.relations()) {
                Namespace ns = cat.namespace(r.namespace());
                boolean otherTemp = ns != null && ns.name().startsWith("pg_temp_") && !ns.name().equals(ownTemp);
                if (r.kind() == 'r' && !otherTemp) {
                    rels.add(r);
                }
            }
        } else {
            for (var vr : v.relations()) {
                rels.add(planner.relation(vr.relation()));
            }
        }
        for (Relation r : rels) {
            String schema = cat.namespace(r.namespace()) == null ? "" : cat.namespace(r.namespace()).name();
            if (verbose && v.vacuum()) {
                notice.accept(INFO + "vacuuming \"" + tx.databaseName() + "." + schema + "." + r.name() + "\"");
            }
            if (v.vacuum()) {
                int before = ex.heap.nblocks(r.node());
                long cpu0 = cpuNanos();
                modgres.api.autovacuum.Maintenance.Result res = vacuumRelation(r, true, false, freeze, oldestXmin,
                        false, dirtied -> ex.tick());
                tx.commandCounterIncrement(); // the next table's datfrozenxid computation sees this relfrozenxid
                if (verbose) {
                    verboseVacuum(r, schema, before, res, cpuNanos() - cpu0, oldestXmin);
                }
            }
            if (analyze) {
                if (verbose) {
                    notice.accept(INFO + "analyzing \"" + schema + "." + r.name() + "\"");
                }
                modgres.api.autovacuum.Maintenance.Result res = vacuumRelation(r, false, true, false, oldestXmin,
                        false, dirtied -> ex.tick());
                tx.commandCounterIncrement();
                if (verbose) {
                    notice.accept(INFO + "\"" + r.name() + "\": scanned " + res.relPages() + " of " + res.relPages()
                            + " pages, containing " + res.liveTuples() + " live rows and " + res.deadTuples()
                            + " dead rows; " + res.liveTuples() + " rows in sample, " + res.liveTuples()
                            + " estimated total rows");
                }
            }
        }
        return v.vacuum() ? "VACUUM" : "ANALYZE";
    }

    /**
     * Vacuums and/or analyzes one table (the manual commands and autovacuum's
     * workers): SHARE UPDATE EXCLUSIVE (autovacuum only if free now: null
     * when taken by someone else), the heap's vacuum with its dead index
     * entries removed first, pg_class.relpages/reltuples updated, and the
     * outcome reported to the statistics (n_live_tup, n_dead_tup,
     * last_(auto)vacuum, ...). {@code pageDone} is the vacuum delay point.
     */
    /**
     * A new table's pg_class row with relfrozenxid set as PostgreSQL's
     * heap_create_with_catalog sets it: the xmin of this transaction's
     * snapshot, older than any id that can write into the table.
     */
    private Object[] withFrozenXid(Object[] classRow) {
        classRow[SysTable.PG_CLASS.column("relfrozenxid")] = tx.snapshot().xmin();
        return classRow;
    }

    public modgres.api.autovacuum.Maintenance.Result vacuumRelation(Relation r, boolean vacuum, boolean analyze,
            boolean freeze, int oldestXmin, boolean auto, java.util.function.IntConsumer pageDone) {
        long start = System.nanoTime();
        if (auto) {
            if (!tx.tryLockRelation(r.oid(), LockMode.SHARE_UPDATE_EXCLUSIVE)) {
                return null;
            }
        } else {
            tx.lockRelation(r.oid(), LockMode.SHARE_UPDATE_EXCLUSIVE);
        }
        int freezeLimit = Freezing.freezeLimit(freeze, oldestXmin, r.options(), auto, ex.setting);
        int newFrozenXid = 0; // the relfrozenxid this vacuum gives the table; 0 when it does not move it
        modgres.api.access.VacuumStats vs = null;
        int[] indexScans = {0};
        long live = -1;
        long dead = -1;
        if (vacuum) {
            vs = ex.heap.vacuum(r.ref(), oldestXmin, freezeLimit, deadTids -> {
                indexScans[0]++;
                java.util.Set<Long> set = new java.util.HashSet<>();
                for (long t : deadTids) {
                    set.add(t);
                }
                for (Relation.Index i : r.indexes()) {
                    ex.btree.bulkDelete(i.ref(), set::contains);
                }
            }, pageDone, Math.max(0, ex.maintenanceWorkMem));
            live = vs.liveTuples();
            dead = vs.deadTuplesLeft();
        }
        if (analyze) {
            live = ColumnStatistics.analyze(ex, tx, store, ts, r);
        }
        int pages = ex.heap.nblocks(r.node());
        // the row as this command sees it now (the cached catalog view may predate this statement's own
        // update of it: VACUUM ANALYZE updates the row twice)
        CatalogStore.Row row = null;
        for (CatalogStore.Row cr : store.scan(SysTable.PG_CLASS, tx.snapshot())) {
            if (((Integer) cr.get(SysTable.PG_CLASS, "oid")) == r.oid()) {
                row = cr;
                break;
            }
        }
        if (row != null && live >= 0) {
            Object[] vals = row.values().clone();
            vals[SysTable.PG_CLASS.column("reltuples")] = (float) live;
            vals[SysTable.PG_CLASS.column("relpages")] = pages;
            int relfrozen = SysTable.PG_CLASS.column("relfrozenxid");
            if (vacuum && Freezing.advances(vals[relfrozen], freezeLimit)) {
                vals[relfrozen] = freezeLimit;
                newFrozenXid = freezeLimit;
            }
            store.update(SysTable.PG_CLASS, row.tid(), vals, tx);
            tx.catalogChanged();
        }
        if (newFrozenXid != 0) {
            Freezing.updateDatFrozenXid(store, tx.snapshot(), tx.database(), r.oid(), newFrozenXid);
        }
        if (ex.stats != null) {
            java.time.Instant t = java.time.Instant.now();
            long now = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
            if (vacuum) {
                ex.stats.event(new modgres.api.stats.StatsEvent.Vacuumed(tx.database(), r.oid(), auto,
                        vs.liveTuples(), vs.deadTuplesLeft(), now));
            }
            if (analyze) {
                ex.stats.event(new modgres.api.stats.StatsEvent.Analyzed(tx.database(), r.oid(), auto, live, dead,
                        now));
            }
        }
        if (vacuum && r.toast() != null && cat.relation(r.toast().oid()) != null) {
            vacuumRelation(cat.relation(r.toast().oid()), true, false, freeze, oldestXmin, auto, pageDone);
        }
        return new modgres.api.autovacuum.Maintenance.Result(vs, analyze, pages, Math.max(live, 0), Math.max(dead, 0),
                indexScans[0], System.nanoTime() - start);
    }

    private static long cpuNanos() {
        java.lang.management.ThreadMXBean b = java.lang.management.ManagementFactory.getThreadMXBean();
        return b.isCurrentThreadCpuTimeSupported() ? b.getCurrentThreadCpuTime() : 0;
    }

    /** VACUUM VERBOSE's report, in PostgreSQL 15's shape (the lines whose figures are counted here). */
    private void verboseVacuum(Relation r, String schema, int before,
            modgres.api.autovacuum.Maintenance.Result res, long cpu, int oldestXmin) {
        modgres.api.access.VacuumStats vs = res.vacuum();
        if (vs.pagesTruncated() > 0) {
            notice.accept(INFO + "table \"" + r.name() + "\": truncated " + before + " to " + res.relPages()
                    + " pages");
        }
        double pct = before == 0 ? 100.0 : 100.0 * vs.pagesScanned() / before;
        notice.accept(INFO + String.format(java.util.Locale.ROOT, "finished vacuuming \"%s.%s.%s\": index scans: %d%n"
                + "pages: %d removed, %d remain, %d scanned (%.2f%% of total)%n"
                + "tuples: %d removed, %d remain, %d are dead but not yet removable%n"
                + "removable cutoff: %s, which was %d XIDs old when operation ended%n"
                + "system usage: CPU: user: %.2f s, system: 0.00 s, elapsed: %.2f s",
                tx.databaseName(), schema, r.name(), res.indexScans(), vs.pagesTruncated(), res.relPages(),
                vs.pagesScanned(), pct, vs.tuplesRemoved(), vs.liveTuples(), vs.deadTuplesLeft(),
                Integer.toUnsignedString(oldestXmin), Math.max(0, tx.nextXid() - oldestXmin), cpu / 1e9,
                res.elapsedNanos() / 1e9));
    }

    /** ANALYZE's row count (every visible row: the "sample" is the whole table). */
    // ------------------------------------------------------------------ ALTER TABLE

    public String alterTable(Ddl.AlterTable at) {
        Relation rel = planner.lookup(at.relation().schema(), at.relation().name());
        if (rel == null) {
            if (at.ifExists()) {
                notice.accept("relation \"" + at.relation().name() + "\" does not exist, skipping");
                return "ALTER TABLE";
            }
            planner.relation(at.relation());
        }
        if (rel.kind() != 'r' && rel.kind() != 'p') {
            throw new PgException("42809", "\"" + rel.name() + "\" is not a table");
        }
        tx.lockRelation(rel.oid(), LockMode.ACCESS_EXCLUSIVE);
        InheritanceCommands inh = new InheritanceCommands(this);
        for (modgres.sql.ast.AlterTableCmd cmd : at.commands()) {
            rel = reload(rel.oid());
            if (cmd instanceof modgres.sql.ast.AlterTableCmd.AddConstraint ac) {
                java.util.Set<String> before = new java.util.HashSet<>();
                rel.constraints().forEach(k -> before.add(k.name()));
                addConstraint(rel, ac.constraint());
                if (ac.constraint().spec() instanceof Constraint.Check ch && !ch.noInherit()
                        && at.relation().inherit()) { // a CHECK goes to every descendant too, under its name
                    tx.catalogChanged();
                    tx.commandCounterIncrement();
                    for (Relation.Constraint k : reload(rel.oid()).constraints()) {
                        if (k.type() != 'c' || before.contains(k.name())) {
                            continue;
                        }
                        for (int child : cat.inheritance().descendants(rel.oid())) {
                            addConstraint(reload(child), new Constraint(ac.constraint().position(), k.name(), ch,
                                    ac.constraint().attrs()));
                            tx.commandCounterIncrement();
                            inh.markConstraintInherited(child, k.name());
                            tx.catalogChanged();
                            tx.commandCounterIncrement();
                            syncConstraintFlags(child);
                        }
                    }
                }
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.AddColumn ac) {
                addColumnRecursively(inh, rel, ac, at.relation().inherit(), true);
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.DropColumn dc) {
                dropColumnRecursively(inh, rel, dc, at.relation().inherit(), true);
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.AttachPartition ap) {
                inh.attach(rel, ap);
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.DetachPartition dp) {
                inh.detach(rel, dp);
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.Simple sc
                    && sc.kind() == modgres.sql.ast.AlterTableCmd.SimpleKind.INHERIT) {
                inh.inherit(rel, sc.name());
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.Simple sc
                    && sc.kind() == modgres.sql.ast.AlterTableCmd.SimpleKind.NO_INHERIT) {
                inh.noInherit(rel, sc.name());
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.ColumnStorage cs && !cs.compression()) {
                ToastTables.setStorage(store, tx, ex, cat, rel, cs.column(), cs.value());
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.ColumnNotNull nn) {
                setNotNull(rel, nn.column(), nn.set());
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.ColumnDefault cd) {
                setDefault(rel, cd.column(), cd.expr());
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.DropConstraint dc) {
                dropConstraint(rel, dc.name(), dc.ifExists(), dc.behavior() == modgres.sql.ast.DropBehavior.CASCADE);
                dropInheritedChecks(rel, dc.name(), at.relation().inherit());
            } else if (cmd instanceof modgres.sql.ast.AlterTableCmd.ValidateConstraint vc) {
                validateConstraint(rel, vc.name());
            } else {
                throw new PgException("0A000", "this ALTER TABLE action is not supported yet", null, null,
                        cmd.position(), null);
            }
            tx.catalogChanged();
            tx.commandCounterIncrement();
        }
        syncConstraintFlags(rel.oid());
        return "ALTER TABLE";
    }

    /**
     * pg_class.relchecks (the number of check constraints) and relhastriggers (set once the table has a
     * foreign key on either side: PostgreSQL implements those with triggers, and psql's \d looks at the flag)
     * of the table and of the tables its foreign keys reference, from pg_constraint as this command sees it.
     */
    private void syncConstraintFlags(int relOid) {
        tx.commandCounterIncrement();
        SysTable k = SysTable.PG_CONSTRAINT;
        List<CatalogStore.Row> cons = store.scan(k, tx.snapshot());
        java.util.Set<Integer> rels = new java.util.LinkedHashSet<>(List.of(relOid));
        for (CatalogStore.Row r : cons) {
            if ("f".equals(r.get(k, "contype")) && ((Integer) r.get(k, "conrelid")) == relOid) {
                rels.add((Integer) r.get(k, "confrelid"));
            }
        }
        SysTable c = SysTable.PG_CLASS;
        boolean changed = false;
        for (CatalogStore.Row row : store.scan(c, tx.snapshot())) {
            int oid = (Integer) row.get(c, "oid");
            if (!rels.contains(oid)) {
                continue;
            }
            short checks = 0;
            boolean fk = false;
            for (CatalogStore.Row r : cons) {
                String type = (String) r.get(k, "contype");
                if (type.equals("c") && ((Integer) r.get(k, "conrelid")) == oid) {
                    checks++;
                }
                fk |= type.equals("f") && (((Integer) r.get(k, "conrelid")) == oid
                        || ((Integer) r.get(k, "confrelid")) == oid);
            }
            boolean triggers = fk || (Boolean) row.get(c, "relhastriggers");
            if (checks != (Short) row.get(c, "relchecks") || triggers != (Boolean) row.get(c, "relhastriggers")) {
                Object[] v = row.values().clone();
                v[c.column("relchecks")] = checks;
                v[c.column("relhastriggers")] = triggers;
                store.update(c, row.tid(), v, tx);
                changed = true;
            }
        }
        if (changed) {
            tx.catalogChanged();
            tx.commandCounterIncrement();
        }
    }

    private CatalogStore.Row attributeRow(int rel, int attnum) {
        for (CatalogStore.Row r : store.scan(SysTable.PG_ATTRIBUTE, tx.snapshot())) {
            if (((Integer) r.get(SysTable.PG_ATTRIBUTE, "attrelid")) == rel
                    && ((Short) r.get(SysTable.PG_ATTRIBUTE, "attnum")) == attnum) {
                return r;
            }
        }
        return null;
    }

    private Relation.Column column(Relation rel, String name) {
        Relation.Column c = rel.column(name);
        if (c == null) {
            throw new PgException("42703", "column \"" + name + "\" of relation \"" + rel.name()
                    + "\" does not exist");
        }
        return c;
    }

    boolean anyRow(Relation rel, java.util.function.Predicate<Object[]> p) {
        int[] types = rel.columns().stream().mapToInt(Relation.Column::type).toArray();
        try (HeapScan s = ex.heap.scan(rel.ref(), tx.snapshot(), true)) {
            for (HeapTuple t = s.next(); t != null; t = s.next()) {
                ex.tick();
                if (p.test(Scans.toRow(ex, rel, types, t))) {
                    return true;
                }
            }
        }
        return false;
    }

    void setNotNull(Relation rel, String name, boolean set) {
        Relation.Column c = column(rel, name);
        if (set && !c.notNull() && anyRow(rel, row -> row[c.attnum() - 1] == null)) {
            throw new PgException("23502", "column \"" + name + "\" of relation \"" + rel.name()
                    + "\" contains null values");
        }
        if (!set) {
            for (Relation.Constraint k : rel.constraints()) {
                if (k.type() == 'p' && java.util.Arrays.stream(k.keys()).anyMatch(a -> a == c.attnum())) {
                    throw new PgException("42P16", "column \"" + name + "\" is in a primary key");
                }
            }
        }
        CatalogStore.Row r = attributeRow(rel.oid(), c.attnum());
        Object[] v = r.values().clone();
        v[SysTable.PG_ATTRIBUTE.column("attnotnull")] = set;
        store.update(SysTable.PG_ATTRIBUTE, r.tid(), v, tx);
    }

    private void setDefault(Relation rel, String name, Expr e) {
        Relation.Column c = column(rel, name);
        for (CatalogStore.Row r : cat.rowsWhere(SysTable.PG_ATTRDEF, "adrelid", rel.oid())) {
            if (((Short) r.get(SysTable.PG_ATTRDEF, "adnum")) == c.attnum()) {
                store.delete(SysTable.PG_ATTRDEF, r.tid(), tx);
            }
        }
        if (e != null) {
            Col col = new Col();
            col.name = c.name();
            col.type = c.type();
            col.typmod = c.typmod();
            validateDefault(col, e);
            store.insert(SysTable.PG_ATTRDEF, new Object[] {tx.newOid(), rel.oid(), (short) c.attnum(),
                    SqlDeparser.deparse(e)}, tx);
        }
        CatalogStore.Row r = attributeRow(rel.oid(), c.attnum());
        Object[] v = r.values().clone();
        v[SysTable.PG_ATTRIBUTE.column("atthasdef")] = e != null;
        store.update(SysTable.PG_ATTRIBUTE, r.tid(), v, tx);
    }

    /**
     * ADD COLUMN on a table and (without ONLY) its children: a child that has the column already gets it merged
     * (NOTICE, its inheritance count raised), the others get it as an inherited column.
     */
    private void addColumnRecursively(InheritanceCommands inh, Relation rel, modgres.sql.ast.AlterTableCmd.AddColumn ac,
            boolean recurse, boolean top) {
        List<Relation> children = inh.children(rel);
        if (!recurse && !children.isEmpty()) {
            throw new PgException("42P16", "column must be added to child tables too");
        }
        if (!top && rel.column(ac.column().name()) != null) {
            Relation.Column have = rel.column(ac.column().name());
            int type = ts.typeOid(ac.column().type().names(), !ac.column().type().arrayBounds().isEmpty());
            if (have.type() != type) {
                throw new PgException("42804", "child table \"" + rel.name() + "\" has different type for column \""
                        + have.name() + "\"");
            }
            if (cat.inheritance().partitionParent(rel.oid()) == 0) {
                notice.accept("merging definition of column \"" + have.name() + "\" for child \"" + rel.name()
                        + "\"");
            }
            Object[] ih = inh.columnInheritance(rel.oid(), have.attnum());
            inh.setColumnInheritance(rel.oid(), have.name(), true, ih == null ? 1 : (Integer) ih[1] + 1);
            return;
        }
        if (top && cat.inheritance().partitionParent(rel.oid()) != 0) {
            throw new PgException("42809", "cannot add column to a partition");
        }
        addColumn(rel, ac);
        if (!top) {
            inh.setColumnInheritance(rel.oid(), ac.column().name(), false, 1);
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
        for (Relation c : children) {
            addColumnRecursively(inh, reload(c.oid()), ac, true, false);
        }
    }

    /**
     * DROP COLUMN on a table and (without ONLY) its children: a child's column goes with it when only this parent
     * gave it and the child does not define it itself; otherwise its inheritance count drops.
     */
    private void dropColumnRecursively(InheritanceCommands inh, Relation rel,
            modgres.sql.ast.AlterTableCmd.DropColumn dc, boolean recurse, boolean top) {
        Relation.Column col = rel.column(dc.column());
        if (top && col != null) {
            Object[] ih = inh.columnInheritance(rel.oid(), col.attnum());
            if (ih != null && (Integer) ih[1] > 0) {
                throw new PgException("42P16", "cannot drop inherited column \"" + col.name() + "\"");
            }
            modgres.sql.catalog.Inheritance.PartitionKey pk = cat.inheritance().partitionKey(rel.oid());
            if (pk != null && java.util.Arrays.stream(pk.attnums()).anyMatch(a -> a == col.attnum())) {
                throw new PgException("42P16", "cannot drop column \"" + col.name()
                        + "\" because it is part of the partition key of relation \"" + rel.name() + "\"");
            }
        }
        List<Relation> children = col == null ? List.of() : inh.children(rel);
        dropColumn(rel, dc);
        tx.catalogChanged();
        tx.commandCounterIncrement();
        for (Relation c : children) {
            Relation.Column cc = c.column(dc.column());
            if (cc == null) {
                continue;
            }
            Object[] ih = inh.columnInheritance(c.oid(), cc.attnum());
            boolean local = ih == null || (Boolean) ih[0];
            int count = ih == null ? 0 : (Integer) ih[1];
            if (recurse && count == 1 && !local) {
                dropColumnRecursively(inh, c, dc, true, false);
            } else {
                inh.setColumnInheritance(c.oid(), cc.name(), recurse ? local : true, Math.max(0, count - 1));
            }
        }
    }

    private void addColumn(Relation rel, modgres.sql.ast.AlterTableCmd.AddColumn ac) {
        ColumnDef cd = ac.column();
        if (rel.column(cd.name()) != null) {
            if (ac.ifNotExists()) {
                notice.accept("column \"" + cd.name() + "\" of relation \"" + rel.name()
                        + "\" already exists, skipping");
                return;
            }
            throw new PgException("42701", "column \"" + cd.name() + "\" of relation \"" + rel.name()
                    + "\" already exists");
        }
        Col c = new Col();
        c.name = cd.name();
        c.type = ts.typeOid(cd.type().names(), !cd.type().arrayBounds().isEmpty());
        c.typmod = ts.typmod(c.type, mods(cd.type()));
        c.attnum = rel.natts() + 1;
        List<Uniq> uniques = new ArrayList<>();
        List<Chk> checks = new ArrayList<>();
        for (Constraint k : cd.constraints()) {
            columnConstraint(rel.name(), rel.namespace(), c, k, uniques, checks, new ArrayList<>());
        }
        boolean hasRows = anyRow(rel, row -> true);
        if (c.defaultSql != null && hasRows) {
            throw new PgException("0A000", "ADD COLUMN with a DEFAULT on a table with rows is not supported yet");
        }
        if (c.notNull && hasRows) {
            throw new PgException("23502", "column \"" + c.name + "\" of relation \"" + rel.name()
                    + "\" contains null values");
        }
        insertAttribute(rel.oid(), c);
        // the current row: an earlier action of this statement may have updated it already
        CatalogStore.Row r = store.scan(SysTable.PG_CLASS, tx.snapshot()).stream()
                .filter(x -> (Integer) x.get(SysTable.PG_CLASS, "oid") == rel.oid()).findFirst().orElseThrow();
        Object[] v = r.values().clone();
        v[SysTable.PG_CLASS.column("relnatts")] = (short) c.attnum;
        store.update(SysTable.PG_CLASS, r.tid(), v, tx);
        tx.catalogChanged();
        tx.commandCounterIncrement();
        ToastTables.createIfNeeded(store, tx, ex, reload(rel.oid()));
        for (Chk k : checks) {
            insertConstraint(tx.newOid(), k.name(), rel.namespace(), 'c', rel.oid(), new int[] {c.attnum}, 0,
                    k.sql());
        }
        for (Uniq u : uniques) {
            int idx = createIndexStorage(rel.oid(), rel.namespace(), u.name(), new int[] {c.attnum}, true,
                    u.primary(), u.nullsNotDistinct());
            insertConstraint(tx.newOid(), u.name(), rel.namespace(), u.primary() ? 'p' : 'u', rel.oid(),
                    new int[] {c.attnum}, idx, null);
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
        createForeignKeys(rel.oid(), true); // ADD COLUMN ... REFERENCES
    }

    void dropColumn(Relation rel, modgres.sql.ast.AlterTableCmd.DropColumn dc) {
        Relation.Column c = rel.column(dc.column());
        if (c == null) {
            if (dc.ifExists()) {
                notice.accept("column \"" + dc.column() + "\" of relation \"" + rel.name()
                        + "\" does not exist, skipping");
                return;
            }
            column(rel, dc.column());
        }
        dropDependentViews(rel, c.attnum(), dc.behavior() == modgres.sql.ast.DropBehavior.CASCADE);
        for (Relation.Index i : rel.indexes()) {
            if (java.util.Arrays.stream(i.keys()).anyMatch(a -> a == c.attnum())) {
                dropReferencingFks("column " + c.name() + " of table " + rel.name(),
                        "column " + c.name() + " of table " + rel.name(), 0,
                        i.oid(), dc.behavior() == modgres.sql.ast.DropBehavior.CASCADE, java.util.Set.of(rel.oid()));
                deleteIndex(i.oid(), i.node());
            }
        }
        for (Relation.Constraint k : rel.constraints()) {
            if (java.util.Arrays.stream(k.keys()).anyMatch(a -> a == c.attnum())) {
                deleteRows(SysTable.PG_CONSTRAINT, "oid", k.oid());
            }
        }
        CatalogStore.Row r = attributeRow(rel.oid(), c.attnum());
        Object[] v = r.values().clone();
        v[SysTable.PG_ATTRIBUTE.column("attisdropped")] = true;
        v[SysTable.PG_ATTRIBUTE.column("attnotnull")] = false;
        v[SysTable.PG_ATTRIBUTE.column("attname")] = "........pg.dropped." + c.attnum() + "........";
        store.update(SysTable.PG_ATTRIBUTE, r.tid(), v, tx);
    }

    /**
     * ATExecDropConstraint's recursion for a CHECK constraint: in each child the inherited copy loses one
     * inheritance count; one inherited from this parent alone (and not defined locally) goes too, recursively.
     * With ONLY the children's copies become local.
     */
    private void dropInheritedChecks(Relation rel, String name, boolean recurse) {
        CatalogView v = reloadView();
        SysTable k = SysTable.PG_CONSTRAINT;
        for (int c : v.inheritance().children(rel.oid())) {
            Relation child = v.relation(c);
            if (child == null) {
                continue;
            }
            for (CatalogStore.Row r : v.rowsWhere(k, "conrelid", c)) {
                if (!"c".equals(r.get(k, "contype")) || !name.equals(r.get(k, "conname"))) {
                    continue;
                }
                int count = (Integer) r.get(k, "coninhcount");
                boolean local = (Boolean) r.get(k, "conislocal");
                if (recurse && count <= 1 && !local) {
                    store.delete(k, r.tid(), tx);
                    tx.commandCounterIncrement();
                    dropInheritedChecks(child, name, true);
                } else {
                    Object[] nv = r.values().clone();
                    nv[k.column("coninhcount")] = Math.max(0, count - 1);
                    nv[k.column("conislocal")] = recurse ? local : true;
                    store.update(k, r.tid(), nv, tx);
                }
                syncConstraintFlags(c);
            }
        }
        tx.catalogChanged();
        tx.commandCounterIncrement();
    }

    private void dropConstraint(Relation rel, String name, boolean ifExists, boolean cascade) {
        for (Relation.Constraint k : rel.constraints()) {
            if (k.name().equals(name)) {
                if ((k.type() == 'p' || k.type() == 'u') && k.index() != 0) {
                    Relation.Index ix = rel.indexes().stream().filter(i -> i.oid() == k.index()).findFirst()
                            .orElse(null);
                    dropReferencingFks("constraint " + k.name() + " on table " + rel.name(), "index "
                            + (ix == null ? k.name() : ix.name()), 0, k.index(), cascade, java.util.Set.of());
                }
                deleteRows(SysTable.PG_CONSTRAINT, "oid", k.oid());
                if (k.index() != 0) {
                    for (Relation.Index i : rel.indexes()) {
                        if (i.oid() == k.index()) {
                            deleteIndex(i.oid(), i.node());
                        }
                    }
                }
                PartitionedIndexes.dropInherited(this, k.oid()); // the partitions' copies (and their indexes)
                return;
            }
        }
        if (ifExists) {
            notice.accept("constraint \"" + name + "\" of relation \"" + rel.name() + "\" does not exist, skipping");
            return;
        }
        throw new PgException("42704", "constraint \"" + name + "\" of relation \"" + rel.name()
                + "\" does not exist");
    }

    private void addConstraint(Relation rel, Constraint k) {
        List<Uniq> uniques = new ArrayList<>();
        List<Chk> checks = new ArrayList<>();
        List<Col> cols = new ArrayList<>();
        for (Relation.Column c : rel.columns()) {
            Col x = new Col();
            x.name = c.dropped() ? "" : c.name();
            x.type = c.type();
            x.attnum = c.attnum();
            x.notNull = c.notNull();
            cols.add(x);
        }
        List<String> pending = new ArrayList<>();
        for (Relation.Constraint existing : rel.constraints()) {
            pending.add(existing.name());
        }
        tableConstraint(rel.name(), rel.namespace(), k, uniques, checks, pending, cols);
        for (Chk c : checks) {
            Compiler comp = planner.compiler(planner.tableScope(rel, rel.name()));
            Ev check = comp.condition(modgres.sql.parser.SqlParser.parseExpression(c.sql()), "CHECK").ev();
            if (anyRow(rel, row -> Boolean.FALSE.equals(check.eval(row, ex)))) {
                throw new PgException("23514", "check constraint \"" + c.name() + "\" of relation \""
                        + rel.name() + "\" is violated by some row");
            }
            insertConstraint(tx.newOid(), c.name(), rel.namespace(), 'c', rel.oid(), new int[0], 0, c.sql());
        }
        for (Uniq u : uniques) {
            if (u.primary()) {
                for (Relation.Constraint existing : rel.constraints()) {
                    if (existing.type() == 'p') {
                        throw new PgException("42P16", "multiple primary keys for table \"" + rel.name()
                                + "\" are not allowed");
                    }
                }
                for (String n : u.cols()) {
                    setNotNull(rel, column(rel, n).name(), true);
                }
                tx.commandCounterIncrement();
            }
            int[] keys = u.cols().stream().mapToInt(n -> column(rel, n).attnum()).toArray();
            if (rel.kind() == 'p') {
                new PartitionedIndexes(this).create(rel, u.name(), keys, true, u.primary(), u.nullsNotDistinct(),
                        u.primary() ? 'p' : 'u', 0, 0);
                continue;
            }
            int idx = createIndexStorage(rel.oid(), rel.namespace(), u.name(), keys, true, u.primary(),
                    u.nullsNotDistinct());
            insertConstraint(tx.newOid(), u.name(), rel.namespace(), u.primary() ? 'p' : 'u', rel.oid(), keys, idx,
                    null);
        }
        createForeignKeys(rel.oid(), true);
    }

    // ------------------------------------------------------------------ foreign keys

    /** A FOREIGN KEY constraint of the statement, created once its table and the indexes it may refer to exist. */
    private record FkDef(String name, List<String> cols, Constraint.ForeignKey spec, Constraint.Attributes attrs,
            int pos) {
    }

    private final List<FkDef> pendingFks = new ArrayList<>();

    /** Creates the pending FOREIGN KEY constraints of table {@code oid}; {@code existingRows}: ALTER TABLE (validate them). */
    private void createForeignKeys(int oid, boolean existingRows) {
        List<FkDef> defs = new ArrayList<>(pendingFks);
        pendingFks.clear();
        for (FkDef f : defs) {
            addForeignKey(reload(oid), f, existingRows);
            tx.catalogChanged();
            tx.commandCounterIncrement();
        }
    }

    /** The referencing and referenced types can be compared by one B-tree operator family (PostgreSQL's check). */
    private static boolean fkTypesCompatible(int fk, int pk) {
        if (fk == pk) {
            return true;
        }
        int[][] families = {{20, 21, 23}, {700, 701}, {25, 1043}, {1082, 1114, 1184}};
        for (int[] fam : families) {
            boolean a = false;
            boolean b = false;
            for (int t : fam) {
                a |= t == fk;
                b |= t == pk;
            }
            if (a && b) {
                return true;
            }
        }
        return false;
    }

    private int[] fkColumns(Relation rel, List<String> names) {
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            Relation.Column c = rel.column(names.get(i));
            if (c == null) {
                throw new PgException("42703", "column \"" + names.get(i)
                        + "\" referenced in foreign key constraint does not exist");
            }
            out[i] = c.attnum();
        }
        return out;
    }

    private static char fkAction(Constraint.FkAction a) {
        return switch (a == null ? Constraint.FkAction.NO_ACTION : a) {
            case NO_ACTION -> 'a';
            case RESTRICT -> 'r';
            case CASCADE -> 'c';
            case SET_NULL -> 'n';
            case SET_DEFAULT -> 'd';
        };
    }

    /** ATAddForeignKeyConstraint: checks the definition, validates existing rows, writes the pg_constraint row. */
    private void addForeignKey(Relation child, FkDef f, boolean existingRows) {
        Constraint.ForeignKey spec = f.spec();
        RangeVar rv = spec.refTable();
        Relation parent;
        String childSchema = cat.namespace(child.namespace()) == null ? null
                : cat.namespace(child.namespace()).name();
        if (rv.name().equals(child.name()) && (rv.schema() == null ? planner.lookup(null, rv.name()) == null
                || planner.lookup(null, rv.name()).oid() == child.oid() : rv.schema().equals(childSchema))) {
            parent = child;
        } else {
            parent = planner.relation(rv);
        }
        if (parent.kind() != 'r' && parent.kind() != 'p') {
            throw new PgException("42809", "referenced relation \"" + parent.name() + "\" is not a table");
        }
        if (parent.namespace() == Namespace.PG_CATALOG) {
            throw new PgException("42501", "permission denied: \"" + parent.name() + "\" is a system catalog");
        }
        boolean childTemp = childSchema != null && childSchema.startsWith("pg_temp_");
        boolean parentTemp = cat.namespace(parent.namespace()) != null
                && cat.namespace(parent.namespace()).name().startsWith("pg_temp_");
        if (childTemp != parentTemp) {
            throw new PgException("42P16", childTemp ? "constraints on temporary tables may reference only "
                    + "temporary tables" : "constraints on permanent tables may reference only permanent tables");
        }
        for (Relation.Constraint k : child.constraints()) {
            if (k.name().equals(f.name())) {
                throw new PgException("42710", "constraint \"" + f.name() + "\" for relation \"" + child.name()
                        + "\" already exists");
            }
        }
        if (f.attrs().initiallyDeferred()) {
            throw new PgException("0A000", "INITIALLY DEFERRED constraints are not supported yet", null, null,
                    f.pos(), null);
        }
        if (spec.match() == Constraint.FkMatch.PARTIAL) {
            throw new PgException("0A000", "MATCH PARTIAL not yet implemented");
        }
        if (!spec.onDeleteColumns().isEmpty()) {
            throw new PgException("0A000", "column lists for ON DELETE SET NULL/SET DEFAULT are not supported yet",
                    null, null, f.pos(), null);
        }
        int[] fkCols = fkColumns(child, f.cols());
        int[] pkCols;
        Relation.Index index;
        if (spec.refColumns().isEmpty()) {
            index = null;
            for (Relation.Index i : parent.indexes()) {
                if (i.primary()) {
                    index = i;
                }
            }
            if (index == null) {
                throw new PgException("42704", "there is no primary key for referenced table \"" + parent.name()
                        + "\"");
            }
            pkCols = index.keys();
        } else {
            pkCols = fkColumns(parent, spec.refColumns());
            index = ForeignKeys.uniqueIndexOn(parent, pkCols);
            if (index == null) {
                throw new PgException("42830", "there is no unique constraint matching given keys for referenced "
                        + "table \"" + parent.name() + "\"");
            }
        }
        if (fkCols.length != pkCols.length) {
            throw new PgException("42830", "number of referencing and referenced columns for foreign key disagree");
        }
        for (int i = 0; i < fkCols.length; i++) {
            Relation.Column fc = child.columns().get(fkCols[i] - 1);
            Relation.Column pc = parent.columns().get(pkCols[i] - 1);
            if (!fkTypesCompatible(fc.type(), pc.type())) {
                throw new PgException("42804", "foreign key constraint \"" + f.name() + "\" cannot be implemented",
                        "Key columns \"" + fc.name() + "\" and \"" + pc.name() + "\" are of incompatible types: "
                                + ts.format(fc.type(), -1) + " and " + ts.format(pc.type(), -1) + ".", null);
            }
        }
        if (parent.oid() != child.oid()) {
            tx.lockRelation(parent.oid(), LockMode.SHARE_ROW_EXCLUSIVE);
        }
        char match = spec.match() == Constraint.FkMatch.FULL ? 'f' : 's';
        boolean validated = !existingRows || !f.attrs().notValid();
        int oid = tx.newOid();
        Relation.Constraint con = new Relation.Constraint(oid, f.name(), 'f', fkCols, index.oid(), null,
                parent.oid(), pkCols, fkAction(spec.onUpdate()), fkAction(spec.onDelete()), match,
                f.attrs().deferrable(), false, validated);
        if (existingRows && validated) {
            if (child.kind() == 'p' || parent.kind() == 'p') {
                PartitionedForeignKeys.validate(this, con, child, parent);
            } else {
                ForeignKeys.validate(ex, ts, con, child, parent);
            }
        }
        store.insert(SysTable.PG_CONSTRAINT, new Object[] {oid, f.name(), child.namespace(), "f",
                f.attrs().deferrable(), false, validated, child.oid(), 0, index.oid(), 0, parent.oid(),
                String.valueOf(con.onUpdate()), String.valueOf(con.onDelete()), String.valueOf(match), true, 0, true,
                CatalogView.formatInts(fkCols), CatalogView.formatInts(pkCols), null}, tx);
        tx.catalogChanged();
        if (child.kind() == 'p' || parent.kind() == 'p') {
            tx.commandCounterIncrement();
            PartitionedForeignKeys.cloneNew(this, reload(child.oid()), reload(parent.oid()), con);
        }
    }

    /** ALTER TABLE ... VALIDATE CONSTRAINT: checks the rows a NOT VALID foreign key has not seen. */
    private void validateConstraint(Relation rel, String name) {
        for (Relation.Constraint k : rel.constraints()) {
            if (!k.name().equals(name)) {
                continue;
            }
            if (k.type() != 'f' && k.type() != 'c') {
                throw new PgException("42809", "constraint \"" + name + "\" of relation \"" + rel.name()
                        + "\" is not a foreign key or check constraint");
            }
            if (k.type() == 'f' && !k.validated()) {
                Relation parent = k.refRelation() == rel.oid() ? rel : cat.relation(k.refRelation());
                if (parent.oid() != rel.oid()) {
                    tx.lockRelation(parent.oid(), LockMode.SHARE_ROW_EXCLUSIVE);
                }
                ForeignKeys.validate(ex, ts, k, rel, parent);
                CatalogStore.Row r = cat.row(SysTable.PG_CONSTRAINT, "oid", k.oid());
                Object[] v = r.values().clone();
                v[SysTable.PG_CONSTRAINT.column("convalidated")] = true;
                store.update(SysTable.PG_CONSTRAINT, r.tid(), v, tx);
            }
            return;
        }
        throw new PgException("42704", "constraint \"" + name + "\" of relation \"" + rel.name()
                + "\" does not exist");
    }

    /** The foreign keys of other tables than those in {@code except} that use index {@code indexOid} / reference {@code table}. */
    private List<Relation.Constraint[]> referencingFks(int table, int indexOid, java.util.Set<Integer> except) {
        List<Relation.Constraint[]> out = new ArrayList<>();
        for (Relation r : cat.relations()) {
            if (except.contains(r.oid())) {
                continue;
            }
            for (Relation.Constraint k : r.constraints()) {
                // rows cloned for partitions (conparentid) go with the key they were cloned from
                if (k.type() == 'f' && k.parent() == 0
                        && (table != 0 ? k.refRelation() == table : k.index() == indexOid)) {
                    out.add(new Relation.Constraint[] {k});
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(a -> a[0].oid()));
        return out;
    }

    /**
     * RESTRICT: 2BP01 when foreign keys of other tables depend on {@code what}; CASCADE: drops them
     * (NOTICE drop cascades to ...). {@code table} or {@code indexOid} names the referenced object.
     */
    private void dropReferencingFks(String what, String depends, int table, int indexOid, boolean cascade,
            java.util.Set<Integer> except) {
        List<Relation.Constraint[]> deps = referencingFks(table, indexOid, except);
        if (deps.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (Relation.Constraint[] d : deps) {
            lines.add("constraint " + d[0].name() + " on table " + tableOf(d[0].oid()));
        }
        if (!cascade) {
            StringBuilder detail = new StringBuilder();
            for (String l : lines) {
                detail.append(detail.isEmpty() ? "" : "\n").append(l).append(" depends on ").append(depends);
            }
            throw new PgException("2BP01", "cannot drop " + what + " because other objects depend on it",
                    detail.toString(), "Use DROP ... CASCADE to drop the dependent objects too.");
        }
        notice.accept(lines.size() == 1 ? "drop cascades to " + lines.get(0)
                : "drop cascades to " + lines.size() + " other objects");
        for (Relation.Constraint[] d : deps) {
            deleteRows(SysTable.PG_CONSTRAINT, "oid", d[0].oid());
            PartitionedIndexes.dropInherited(this, d[0].oid());
        }
        tx.catalogChanged();
    }

    private String tableOf(int constraintOid) {
        for (Relation r : cat.relations()) {
            for (Relation.Constraint k : r.constraints()) {
                if (k.oid() == constraintOid) {
                    return r.name();
                }
            }
        }
        return "?";
    }
}
