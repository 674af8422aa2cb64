package modgres.sql.catalog;

/*
 * Design notes
 * ------------
 * The user-defined types a catalog view sees (pg_type rows with typtype 'c'
 * or 'e'; array rows 'b' with typelem set are defined with their element):
 * each is (re)defined in the type registry (modgres.sql.types.UserTypes) as
 * the view loads, so values read under this view find their descriptor by
 * OID, and the view keeps the names per schema for the engine's search_path
 * lookups. A composite type's fields are the attributes of its pg_class row
 * (relkind 'c', as PostgreSQL), so the row types of tables come for free
 * later. Domains ('d', another helper's) are left to their own loader.
 */

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import modgres.sql.types.PgEnum;
import modgres.sql.types.UserTypes;

/** The composite and enum types of one catalog view; see the design notes. */
public final class UserTypeRows {
    /** A user type's catalog facts: OID, name, schema, typtype, array OID, typrelid, the pg_type row. */
    public record Entry(int oid, String name, int namespace, char typtype, int arrayOid, int relid,
            CatalogStore.Row row) {
    }

    private final Map<String, Entry> byName = new HashMap<>();
    private final Map<Integer, Entry> byOid = new HashMap<>();

    private static String key(int nsp, String name) {
        return nsp + "." + name;
    }

    /** The type {@code name} in schema {@code nsp} (its array type too, by its {@code _name}), or null. */
    public Entry type(int nsp, String name) {
        return byName.get(key(nsp, name));
    }

    public Entry type(int oid) {
        return byOid.get(oid);
    }

    /** Every user type of the view (composite and enum, not their arrays). */
    public List<Entry> all() {
        return new ArrayList<>(byOid.values());
    }

    /**
     * The OID of a user type name ({@code [schema.]name}, {@code _name} for its array) as the search_path finds
     * it: the session's temporary schema first, then the path; {@code pg_temp} names the temporary schema. 0 when
     * there is none.
     */
    public static int resolve(CatalogView cat, List<String> searchPath, String tempSchema, List<String> names) {
        UserTypeRows types = cat.userTypes();
        if (types == null || names.isEmpty() || names.size() > 3) {
            return 0;
        }
        String n = names.get(names.size() - 1);
        List<String> schemas = new ArrayList<>();
        if (names.size() > 1) {
            String s = names.get(names.size() - 2);
            schemas.add(s.equals("pg_temp") && tempSchema != null ? tempSchema : s);
        } else {
            if (tempSchema != null) {
                schemas.add(tempSchema);
            }
            schemas.addAll(searchPath);
        }
        for (String s : schemas) {
            Namespace ns = cat.namespace(s);
            Entry e = ns == null ? null : types.type(ns.oid(), n);
            if (e != null) {
                return e.oid();
            }
            Relation rel = ns == null ? null : cat.relation(ns.oid(), n);
            if (rel != null && "rpvfm".indexOf(rel.kind()) >= 0) {
                return rowType(rel);
            }
        }
        return 0;
    }

    /**
     * The row type of a table or view ({@code row(...)::t}, a column of type t): a composite type with the
     * relation's live columns as fields, registered under the relation's OID (PostgreSQL gives it a pg_type row
     * of its own, pg_class.reltype; no such row is stored here, so the OID of the relation stands for it).
     */
    public static int rowType(Relation rel) {
        List<String> names = new ArrayList<>();
        List<Relation.Column> cols = rel.liveColumns();
        int[] types = new int[cols.size()];
        int[] mods = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            names.add(cols.get(i).name());
            types[i] = cols.get(i).type();
            mods[i] = cols.get(i).typmod();
        }
        UserTypes.defineComposite(rel.oid(), rel.name(), rel.namespace(), 0, rel.oid(),
                new UserTypes.Fields(List.copyOf(names), types, mods));
        return rel.oid();
    }

    static UserTypeRows load(CatalogView v) {
        UserTypeRows out = new UserTypeRows();
        List<CatalogStore.Row> types = v.rows(SysTable.PG_TYPE);
        if (types == null) {
            types = List.of();
        }
        SysTable t = SysTable.PG_TYPE;
        Map<Integer, List<PgEnum>> labels = new HashMap<>();
        SysTable e = SysTable.PG_ENUM;
        for (CatalogStore.Row r : v.rows(e) == null ? List.<CatalogStore.Row>of() : v.rows(e)) {
            int typ = (Integer) r.get(e, "enumtypid");
            labels.computeIfAbsent(typ, k -> new ArrayList<>()).add(new PgEnum(typ, (Integer) r.get(e, "oid"),
                    (Float) r.get(e, "enumsortorder"), (String) r.get(e, "enumlabel")));
        }
        for (CatalogStore.Row r : types) {
            String typtype = (String) r.get(t, "typtype");
            char kind = typtype == null || typtype.isEmpty() ? ' ' : typtype.charAt(0);
            if (kind != 'c' && kind != 'e') {
                continue;
            }
            Entry en = new Entry((Integer) r.get(t, "oid"), (String) r.get(t, "typname"),
                    (Integer) r.get(t, "typnamespace"), kind, (Integer) r.get(t, "typarray"),
                    (Integer) r.get(t, "typrelid"), r);
            out.byName.put(key(en.namespace(), en.name()), en);
            out.byOid.put(en.oid(), en);
        }
        // enums first: a composite may have enum fields; composites over composites in dependency order
        for (Entry en : out.byOid.values()) {
            if (en.typtype() == 'e') {
                UserTypes.defineEnum(en.oid(), en.name(), en.namespace(), en.arrayOid(),
                        labels.getOrDefault(en.oid(), List.of()));
            }
        }
        List<Entry> pending = new ArrayList<>();
        for (Entry en : out.byOid.values()) {
            if (en.typtype() == 'c') {
                pending.add(en);
            }
        }
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext();) {
                Entry en = it.next();
                Relation rel = v.relation(en.relid());
                if (rel == null) {
                    it.remove();
                    continue;
                }
                boolean ready = true;
                for (Relation.Column c : rel.liveColumns()) {
                    if (modgres.sql.types.Types.byOid(c.type()) == null) {
                        ready = false;
                    }
                }
                if (!ready) {
                    continue;
                }
                defineComposite(en, rel);
                it.remove();
                progress = true;
            }
            if (!progress) {
                for (Entry en : pending) {
                    Relation rel = v.relation(en.relid());
                    if (rel != null) {
                        defineComposite(en, rel);
                    }
                }
                break;
            }
        }
        // row types of tables used as column types (their values must deform after a restart too)
        for (Relation r : v.relations()) {
            for (Relation.Column c : r.liveColumns()) {
                Relation typeRel = c.type() >= 16384 ? v.relation(c.type()) : null;
                if (typeRel != null && "rpvfm".indexOf(typeRel.kind()) >= 0) {
                    rowType(typeRel);
                }
            }
        }
        for (Entry en : List.copyOf(out.byOid.values())) {
            if (en.arrayOid() != 0) {
                out.byName.put(key(en.namespace(), "_" + en.name()), new Entry(en.arrayOid(), "_" + en.name(),
                        en.namespace(), 'b', 0, 0, null));
            }
        }
        return out;
    }

    private static void defineComposite(Entry en, Relation rel) {
        List<String> names = new ArrayList<>();
        List<Relation.Column> cols = rel.liveColumns();
        int[] types = new int[cols.size()];
        int[] mods = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            names.add(cols.get(i).name());
            types[i] = cols.get(i).type();
            mods[i] = cols.get(i).typmod();
        }
        UserTypes.defineComposite(en.oid(), en.name(), en.namespace(), en.arrayOid(), en.relid(),
                new UserTypes.Fields(List.copyOf(names), types, mods));
    }
}
