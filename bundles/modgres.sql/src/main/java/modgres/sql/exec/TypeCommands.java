package modgres.sql.exec;

/*
 * Design notes
 * ------------
 * CREATE TYPE (composite, enum), ALTER TYPE ... ADD VALUE and DROP TYPE, as
 * PostgreSQL stores them:
 *
 *   composite  pg_type (typtype 'c', category 'C', typlen -1, align 'd',
 *              typrelid = its pg_class row), pg_class (relkind 'c', no
 *              storage: relfilenode 0, reltype = the type), one pg_attribute
 *              row per field; plus the array type "_name" (typtype 'b',
 *              category 'A', typelem = the type)
 *   enum       pg_type (typtype 'e', category 'E', typlen 4, byval, align
 *              'i'), one pg_enum row per label (its own OID; enumsortorder
 *              1, 2, ...), and the array type
 *
 * The type registry (modgres.sql.types.UserTypes) learns of them when the
 * next catalog view loads (the command marks the catalog changed), so the
 * descriptors always match the rows the transaction sees.
 *
 * DROP TYPE looks for what uses the type (or its array type): columns of
 * tables, views and other composite types, and domains over it. Without
 * CASCADE that is 2BP01 with PostgreSQL's DETAIL list; with CASCADE the
 * columns are dropped (ALTER TABLE ... DROP COLUMN), as PostgreSQL does, and
 * NOTICE lists them.
 */

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.ObjectRef;
import modgres.sql.ast.TypeName;
import modgres.sql.catalog.Bootstrap;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.Relation;
import modgres.sql.catalog.SysTable;
import modgres.sql.catalog.UserTypeRows;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/** CREATE / ALTER / DROP TYPE for composite and enum types; see the design notes. */
public final class TypeCommands {
    private final DdlExecutor d;

    public TypeCommands(DdlExecutor d) {
        this.d = d;
    }

    /** The schema a CREATE names or the first of search_path; pg_temp is the session's temporary schema. */
    private int namespaceFor(List<String> name, int pos) {
        String schema = name.size() > 1 ? name.get(name.size() - 2) : null;
        if ("pg_temp".equals(schema)) {
            return d.tempNamespace();
        }
        return d.creationNamespace(schema, pos);
    }

    private static String last(List<String> name) {
        return name.get(name.size() - 1);
    }

    public String create(Ddl.CreateType ct) {
        String name = last(ct.name());
        int nsp = namespaceFor(ct.name(), ct.position());
        UserTypeRows types = d.cat.userTypes();
        if (types != null && types.type(nsp, name) != null || d.cat.relation(nsp, name) != null
                && ct.enumLabels() != null) {
            throw new PgException("42710", "type \"" + name + "\" already exists");
        }
        if (d.cat.relation(nsp, name) != null) {
            throw new PgException("42P07", "relation \"" + name + "\" already exists");
        }
        int oid = d.tx.newOid();
        int arrayOid = d.tx.newOid();
        int owner = d.ownerOid();
        if (ct.enumLabels() != null) {
            List<String> seen = new ArrayList<>();
            for (String label : ct.enumLabels()) {
                checkLabel(label);
                if (seen.contains(label)) {
                    throw new PgException("42710", "enum label \"" + label + "\" used more than once");
                }
                seen.add(label);
            }
            d.store.insert(SysTable.PG_TYPE, typeRow(oid, name, nsp, owner, 4, true, "e", "E", 0, 0, arrayOid,
                    "enum_in", "enum_out", "enum_recv", "enum_send", "i", "p"), d.tx);
            for (int i = 0; i < seen.size(); i++) {
                d.store.insert(SysTable.PG_ENUM, new Object[] {d.tx.newOid(), oid, (float) (i + 1), seen.get(i)},
                        d.tx);
            }
        } else {
            if (ct.attrNames().size() > 1600) {
                throw new PgException("54011", "tables can have at most 1600 columns");
            }
            int relid = d.tx.newOid();
            List<int[]> attrs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < ct.attrNames().size(); i++) {
                String an = ct.attrNames().get(i);
                if (names.contains(an)) {
                    throw new PgException("42701", "column \"" + an + "\" specified more than once");
                }
                names.add(an);
                TypeName tn = ct.attrTypes().get(i);
                int t = d.ts.typeOid(tn.names(), !tn.arrayBounds().isEmpty());
                List<Integer> mods = new ArrayList<>();
                for (var m : tn.typmods()) {
                    if (m instanceof modgres.sql.ast.Expr.Constant k
                            && k.kind() == modgres.sql.ast.Expr.ConstKind.INTEGER) {
                        mods.add(Integer.valueOf(k.value()));
                    } else {
                        throw new PgException("42601", "type modifiers must be simple constants or identifiers");
                    }
                }
                attrs.add(new int[] {t, d.ts.typmod(t, mods)});
            }
            Object[] cls = Bootstrap.classRow(relid, name, nsp, 0, 0, false, "c", names.size(), owner, null);
            cls[SysTable.PG_CLASS.column("reltype")] = oid;
            cls[SysTable.PG_CLASS.column("relam")] = 0;
            if (nsp == tempNamespaceIfAny()) {
                cls[SysTable.PG_CLASS.column("relpersistence")] = "t";
            }
            d.store.insert(SysTable.PG_CLASS, cls, d.tx);
            for (int i = 0; i < names.size(); i++) {
                int t = attrs.get(i)[0];
                Type ty = Types.byOid(t);
                int len = ty == null ? -1 : ty.typlen();
                d.store.insert(SysTable.PG_ATTRIBUTE, Bootstrap.attributeRow(relid, names.get(i), t, i + 1,
                        attrs.get(i)[1], len, ty == null ? "d" : String.valueOf(ty.typalign()),
                        ty != null && ty.typbyval(), false, false, "", ""), d.tx);
            }
            d.store.insert(SysTable.PG_TYPE, typeRow(oid, name, nsp, owner, -1, false, "c", "C", relid, 0, arrayOid,
                    "record_in", "record_out", "record_recv", "record_send", "d", "x"), d.tx);
        }
        d.store.insert(SysTable.PG_TYPE, typeRow(arrayOid, "_" + name, nsp, owner, -1, false, "b", "A", 0, oid, 0,
                "array_in", "array_out", "array_recv", "array_send", ct.enumLabels() != null ? "i" : "d", "x"), d.tx);
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
        return "CREATE TYPE";
    }

    private int tempNamespaceIfAny() {
        Namespace ns = d.cat.namespace(DdlExecutor.tempSchemaName(d.tx.pid()));
        return ns == null ? -1 : ns.oid();
    }

    private static void checkLabel(String label) {
        if (label.isEmpty() || label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
            throw new PgException("42602", "invalid enum label \"" + label + "\"",
                    "Labels must be 63 bytes or less.", null);
        }
    }

    /** A pg_type row in SysTable.PG_TYPE's column order. */
    private static Object[] typeRow(int oid, String name, int nsp, int owner, int len, boolean byval, String typtype,
            String category, int relid, int elem, int array, String in, String out, String recv, String send,
            String align, String storage) {
        return new Object[] {oid, name, nsp, owner, (short) len, byval, typtype, category, false, true, ",", relid,
                elem != 0 ? "array_subscript_handler" : "-", elem, array, in, out, recv, send, "-", "-",
                elem != 0 ? "array_typanalyze" : "-", align, storage, false, 0, -1, 0, 0, null, null, null};
    }

    // ------------------------------------------------------------------ ALTER TYPE ... ADD VALUE

    public String addValue(Ddl.AlterTypeAddValue av) {
        UserTypeRows.Entry e = resolve(av.name(), false);
        Type t = Types.byOid(e.oid());
        if (t == null || !t.isEnum()) {
            throw new PgException("42809", "\"" + last(av.name()) + "\" is not an enum type");
        }
        checkLabel(av.label());
        if (t.labels().byLabel(av.label()) != null) {
            if (av.ifNotExists()) {
                d.notice.accept("enum label \"" + av.label() + "\" already exists, skipping");
                return "ALTER TYPE";
            }
            throw new PgException("42710", "enum label \"" + av.label() + "\" already exists");
        }
        List<modgres.sql.types.PgEnum> labels = t.labels().values();
        float order;
        if (av.neighbor() == null) {
            order = labels.isEmpty() ? 1 : labels.get(labels.size() - 1).sortOrder() + 1;
        } else {
            int i = -1;
            for (int k = 0; k < labels.size(); k++) {
                if (labels.get(k).label().equals(av.neighbor())) {
                    i = k;
                }
            }
            if (i < 0) {
                throw new PgException("22023", "\"" + av.neighbor() + "\" is not an existing enum label");
            }
            float here = labels.get(i).sortOrder();
            if (av.after()) {
                order = i + 1 < labels.size() ? (here + labels.get(i + 1).sortOrder()) / 2 : here + 1;
            } else {
                order = i > 0 ? (labels.get(i - 1).sortOrder() + here) / 2 : here - 1;
            }
        }
        d.store.insert(SysTable.PG_ENUM, new Object[] {d.tx.newOid(), e.oid(), order, av.label()}, d.tx);
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
        return "ALTER TYPE";
    }

    // ------------------------------------------------------------------ DROP TYPE

    /** The type a name resolves to (schema-qualified or through the search_path); null (IF EXISTS) or 42704. */
    private UserTypeRows.Entry resolve(List<String> name, boolean ifExists) {
        UserTypeRows types = d.cat.userTypes();
        String n = last(name);
        List<String> schemas = new ArrayList<>();
        if (name.size() > 1) {
            String s = name.get(name.size() - 2);
            schemas.add(s.equals("pg_temp") ? DdlExecutor.tempSchemaName(d.tx.pid()) : s);
        } else {
            schemas.add(DdlExecutor.tempSchemaName(d.tx.pid()));
            schemas.addAll(d.planner.searchPath);
        }
        for (String s : schemas) {
            Namespace ns = d.cat.namespace(s);
            UserTypeRows.Entry e = ns == null || types == null ? null : types.type(ns.oid(), n);
            if (e != null && e.typtype() != 'b') {
                return e;
            }
        }
        if (ifExists) {
            return null;
        }
        if (Types.byName(n) != null && name.size() == 1) {
            throw new PgException("2BP01", "cannot drop type " + Types.byName(n).sqlName()
                    + " because it is required by the database system");
        }
        throw new PgException("42704", "type \"" + String.join(".", name) + "\" does not exist");
    }

    /** What uses a type: the user's text for DETAIL/NOTICE, and the column to drop (null for others). */
    private record Dependent(String text, Relation rel, String column) {
    }

    private List<Dependent> dependents(UserTypeRows.Entry e) {
        List<Dependent> out = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            int target = pass == 0 ? e.arrayOid() : e.oid();
            if (target == 0) {
                continue;
            }
            String typeName = e.name() + (pass == 0 ? "[]" : "");
            List<Relation> rels = new ArrayList<>(d.cat.relations());
            rels.sort((a, b) -> Integer.compare(a.oid(), b.oid()));
            for (Relation r : rels) {
                if (r.oid() == e.relid()) {
                    continue;
                }
                for (Relation.Column c : r.liveColumns()) {
                    if (c.type() == target) {
                        String kind = switch (r.kind()) {
                            case 'v' -> "view";
                            case 'c' -> "composite type";
                            case 'S' -> "sequence";
                            case 'i', 'I' -> "index";
                            default -> "table";
                        };
                        out.add(new Dependent("column " + c.name() + " of " + kind + " " + r.name()
                                + " depends on type " + typeName,
                                r.kind() == 'r' || r.kind() == 'p' || r.kind() == 'c' ? r : null, c.name()));
                    }
                }
            }
            SysTable t = SysTable.PG_TYPE;
            for (CatalogStore.Row row : d.cat.rows(t)) {
                Object base = row.get(t, "typbasetype");
                if ("d".equals(row.get(t, "typtype")) && base != null && (Integer) base == target) {
                    out.add(new Dependent("type " + row.get(t, "typname") + " depends on type " + typeName, null,
                            null));
                }
            }
        }
        return out;
    }

    public String drop(Ddl.Drop dr) {
        boolean cascade = dr.behavior() == modgres.sql.ast.DropBehavior.CASCADE;
        List<UserTypeRows.Entry> targets = new ArrayList<>();
        for (ObjectRef o : dr.objects()) {
            UserTypeRows.Entry e = resolve(o.name(), dr.ifExists());
            if (e == null) {
                d.notice.accept("type \"" + String.join(".", o.name()) + "\" does not exist, skipping");
                continue;
            }
            if (!targets.contains(e)) {
                targets.add(e);
            }
        }
        List<Dependent> all = new ArrayList<>();
        for (UserTypeRows.Entry e : targets) {
            for (Dependent dep : dependents(e)) {
                boolean internal = false;
                for (UserTypeRows.Entry other : targets) {
                    if (dep.rel() != null && dep.rel().oid() == other.relid()) {
                        internal = true; // a field of a type dropped by the same statement
                    }
                }
                if (!internal) {
                    all.add(dep);
                }
            }
        }
        if (!all.isEmpty()) {
            List<String> lines = all.stream().map(Dependent::text).toList();
            if (!cascade) {
                String msg = targets.size() == 1 && dr.objects().size() == 1
                        ? "cannot drop type " + targets.get(0).name() + " because other objects depend on it"
                        : "cannot drop desired object(s) because other objects depend on them";
                throw new PgException("2BP01", msg, String.join("\n", lines),
                        "Use DROP ... CASCADE to drop the dependent objects too.");
            }
            if (lines.size() == 1) {
                d.notice.accept("drop cascades to " + lines.get(0).replaceFirst(" depends on type .*$", ""));
            } else {
                StringBuilder sb = new StringBuilder();
                for (String l : lines) {
                    sb.append(sb.isEmpty() ? "" : "\n").append("drop cascades to ")
                            .append(l.replaceFirst(" depends on type .*$", ""));
                }
                d.notice.accept("drop cascades to " + lines.size() + " other objects" + DdlExecutor.DETAIL + sb);
            }
            for (Dependent dep : all) {
                if (dep.rel() != null) {
                    Relation fresh = d.reloadView().relation(dep.rel().oid());
                    if (fresh != null && fresh.column(dep.column()) != null) {
                        if (fresh.kind() == 'c') {
                            dropCompositeField(fresh, dep.column());
                        } else {
                            d.dropColumn(fresh, new modgres.sql.ast.AlterTableCmd.DropColumn(dr.position(), false,
                                    dep.column(), modgres.sql.ast.DropBehavior.CASCADE));
                        }
                        d.tx.catalogChanged();
                        d.tx.commandCounterIncrement();
                    }
                }
            }
        }
        for (UserTypeRows.Entry e : targets) {
            dropRows(e);
        }
        d.tx.catalogChanged();
        d.tx.commandCounterIncrement();
        return "DROP TYPE";
    }

    /**
     * Every type of a schema that is going away (a session's temporary schema at its end): the pg_type rows
     * (domains' too), the enums' labels and the composites' pg_class / pg_attribute rows.
     */
    public void dropAllIn(int nsp) {
        var view = d.reloadView();
        SysTable t = SysTable.PG_TYPE;
        List<CatalogStore.Row> rows = view.rows(t);
        if (rows == null) {
            return;
        }
        for (CatalogStore.Row r : rows) {
            if ((Integer) r.get(t, "typnamespace") != nsp) {
                continue;
            }
            int oid = (Integer) r.get(t, "oid");
            int relid = (Integer) r.get(t, "typrelid");
            for (CatalogStore.Row e : view.rowsWhere(SysTable.PG_ENUM, "enumtypid", oid)) {
                d.store.delete(SysTable.PG_ENUM, e.tid(), d.tx);
            }
            if (relid != 0) {
                for (CatalogStore.Row a : view.rowsWhere(SysTable.PG_ATTRIBUTE, "attrelid", relid)) {
                    d.store.delete(SysTable.PG_ATTRIBUTE, a.tid(), d.tx);
                }
                CatalogStore.Row cls = view.classRow(relid);
                if (cls != null) {
                    d.store.delete(SysTable.PG_CLASS, cls.tid(), d.tx);
                }
            }
            d.store.delete(t, r.tid(), d.tx);
        }
        d.tx.catalogChanged();
    }

    /** A composite type's field removed (pg_attribute row marked dropped, as PostgreSQL's ALTER TYPE ... DROP). */
    private void dropCompositeField(Relation rel, String column) {
        SysTable a = SysTable.PG_ATTRIBUTE;
        for (CatalogStore.Row r : d.reloadView().rowsWhere(a, "attrelid", rel.oid())) {
            if (column.equals(r.get(a, "attname"))) {
                d.store.delete(a, r.tid(), d.tx);
            }
        }
    }

    /** Deletes a type's pg_type rows (and its array's), pg_enum rows, and a composite's pg_class/pg_attribute. */
    private void dropRows(UserTypeRows.Entry e) {
        var view = d.reloadView();
        SysTable t = SysTable.PG_TYPE;
        for (CatalogStore.Row r : view.rows(t)) {
            int oid = (Integer) r.get(t, "oid");
            if (oid == e.oid() || oid == e.arrayOid()) {
                d.store.delete(t, r.tid(), d.tx);
            }
        }
        for (CatalogStore.Row r : view.rowsWhere(SysTable.PG_ENUM, "enumtypid", e.oid())) {
            d.store.delete(SysTable.PG_ENUM, r.tid(), d.tx);
        }
        if (e.relid() != 0) {
            for (CatalogStore.Row r : view.rowsWhere(SysTable.PG_ATTRIBUTE, "attrelid", e.relid())) {
                d.store.delete(SysTable.PG_ATTRIBUTE, r.tid(), d.tx);
            }
            CatalogStore.Row cls = view.classRow(e.relid());
            if (cls != null) {
                d.store.delete(SysTable.PG_CLASS, cls.tid(), d.tx);
            }
        }
        // the registry keeps the descriptor: OIDs are not reused, and a rollback brings the rows back
    }
}
