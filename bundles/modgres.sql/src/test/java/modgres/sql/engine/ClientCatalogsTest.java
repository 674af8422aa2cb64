package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalogs and catalog functions psql's describe queries use, with the
 * values PostgreSQL 15 gives for the same schema (checked against a
 * PostgreSQL 15 cluster): pg_get_indexdef, pg_get_constraintdef,
 * format_type, regclass input and output, pg_class.relchecks and
 * relhastriggers, pg_am, pg_type, pg_collation, pg_encoding_to_char,
 * array_to_string over datacl, ARRAY(subquery), op ANY (array), subscripts,
 * a function in FROM WITH ORDINALITY.
 */
class ClientCatalogsTest extends DataEngineTestBase {

    @BeforeEach
    void schema() {
        exec("CREATE TABLE customers (id integer PRIMARY KEY, email varchar(100) NOT NULL UNIQUE)",
                "CREATE SCHEMA s2",
                "CREATE TABLE s2.orders (id bigint PRIMARY KEY, customer_id integer REFERENCES customers (id)"
                        + " ON DELETE CASCADE ON UPDATE SET NULL, qty integer CHECK (qty > 0), note text)",
                "CREATE INDEX orders_note_idx ON s2.orders (note, id)");
    }

    @Test
    void definitions() {
        assertEquals(List.of("pg_get_indexdef", "CREATE UNIQUE INDEX customers_pkey ON public.customers USING btree (id)",
                "CREATE INDEX orders_note_idx ON s2.orders USING btree (note, id)"),
                table("SELECT pg_get_indexdef(i.indexrelid, 0, true) FROM pg_index i JOIN pg_class c"
                        + " ON c.oid = i.indexrelid WHERE c.relname IN ('customers_pkey', 'orders_note_idx')"
                        + " ORDER BY c.relname"));
        assertEquals(List.of("conname|pg_get_constraintdef",
                "customers_email_key|UNIQUE (email)",
                "customers_pkey|PRIMARY KEY (id)",
                "orders_customer_id_fkey|FOREIGN KEY (customer_id) REFERENCES customers(id) ON UPDATE SET NULL"
                        + " ON DELETE CASCADE",
                "orders_pkey|PRIMARY KEY (id)",
                "orders_qty_check|CHECK (qty > 0)"),
                table("SELECT conname, pg_get_constraintdef(oid, true) FROM pg_constraint ORDER BY conname"));
        assertEquals(List.of("format_type|format_type|format_type", "character varying(100)|numeric(10,2)|bigint"),
                table("SELECT format_type(1043, 104), format_type(1700, 655366), format_type(20, NULL)"));
    }

    @Test
    void checksAndDefaultsPrintedAsParsed() {
        // the texts PostgreSQL 15's pg_get_constraintdef(oid, true) / pg_get_expr print for the same DDL
        exec("CREATE TABLE ck (a numeric CHECK (a >= 0 AND a < 100.5), b text DEFAULT 'x' CHECK (b <> ''),"
                + " c varchar(5) DEFAULT 'y' CHECK (c <> 'x'), d int DEFAULT '5' CHECK (d > 0 OR d IS NULL),"
                + " e float8 CHECK (e > 1), f bigint CHECK (f BETWEEN 1 AND 10), g int CHECK (g + 1 > 2 * g),"
                + " h date CHECK (h > '2020-01-01'), i int CHECK (i IN (1, 2)), k numeric CHECK (k > -1),"
                + " s serial, CHECK (a - g - 1 > 0 AND NOT (d > 5 OR e < 1)))");
        assertEquals(List.of("conname|pg_get_constraintdef",
                "ck_a_check|CHECK (a >= 0::numeric AND a < 100.5)",
                "ck_b_check|CHECK (b <> ''::text)",
                "ck_c_check|CHECK (c::text <> 'x'::text)",
                "ck_check|CHECK ((a - g::numeric - 1::numeric) > 0::numeric AND NOT (d > 5 OR e < 1::double precision))",
                "ck_d_check|CHECK (d > 0 OR d IS NULL)",
                "ck_e_check|CHECK (e > 1::double precision)",
                "ck_f_check|CHECK (f >= 1 AND f <= 10)",
                "ck_g_check|CHECK ((g + 1) > (2 * g))",
                "ck_h_check|CHECK (h > '2020-01-01'::date)",
                "ck_i_check|CHECK (i = ANY (ARRAY[1, 2]))",
                "ck_k_check|CHECK (k > '-1'::integer::numeric)"),
                table("SELECT conname, pg_get_constraintdef(oid, true) FROM pg_constraint WHERE contype = 'c'"
                        + " AND conrelid = 'ck'::regclass ORDER BY conname"));
        assertEquals(List.of("attname|pg_get_expr", "b|'x'::text", "c|'y'::character varying", "d|5",
                "s|nextval('ck_s_seq'::regclass)"),
                table("SELECT a.attname, pg_get_expr(d.adbin, d.adrelid, true) FROM pg_attrdef d JOIN pg_attribute a"
                        + " ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'ck'::regclass"
                        + " ORDER BY 1"));
    }

    @Test
    void regclassAndFlags() {
        assertEquals(List.of("regclass|regclass", "customers|s2.orders"),
                table("SELECT 'customers'::regclass, 's2.orders'::regclass"));
        assertEquals(List.of("relname|relchecks|relhastriggers", "customers|0|t", "orders|1|t"),
                table("SELECT relname, relchecks, relhastriggers FROM pg_class WHERE relname IN ('customers',"
                        + " 'orders') ORDER BY 1"));
        assertEquals(List.of("conname|ontable", "orders_customer_id_fkey|s2.orders"),
                table("SELECT conname, conrelid::pg_catalog.regclass AS ontable FROM pg_constraint"
                        + " WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors('customers')"
                        + " UNION ALL VALUES ('customers'::pg_catalog.regclass)) AND contype = 'f'"));
        error("SELECT 'nosuch'::regclass", "42P01", "relation \"nosuch\" does not exist");
        // an index's own columns (psql's \d index), and an index is not a FROM item
        assertEquals(List.of("attname|format_type|attnum", "note|text|1", "id|bigint|2"),
                table("SELECT attname, format_type(atttypid, atttypmod), attnum FROM pg_attribute"
                        + " WHERE attrelid = 's2.orders_note_idx'::regclass ORDER BY attnum"));
        error("SELECT * FROM customers_pkey", "42809", "\"customers_pkey\" is an index");
        exec("DROP INDEX s2.orders_note_idx");
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM pg_attribute WHERE attrelid NOT IN"
                + " (SELECT oid FROM pg_class)"));
    }

    @Test
    void catalogsAndArrays() {
        assertEquals(List.of("amname|amtype", "btree|i", "heap|t"),
                table("SELECT am.amname, am.amtype FROM pg_class c JOIN pg_am am ON am.oid = c.relam"
                        + " WHERE c.relname IN ('customers', 'customers_pkey') ORDER BY 1"));
        assertEquals(List.of("typname|typlen|typcategory|typarray|typcollation", "text|-1|S|1009|100",
                "int4|4|N|1007|0", "_int4|-1|A|0|0"),
                table("SELECT typname, typlen, typcategory, typarray, typcollation FROM pg_type"
                        + " WHERE typname IN ('int4', 'text', '_int4') ORDER BY typarray DESC, typname"));
        assertEquals(List.of("collname", "C", "POSIX", "default"), table("SELECT collname FROM pg_collation ORDER BY 1"));
        assertEquals(List.of("datname|pg_encoding_to_char|acl", "postgres|UTF8|",
                "template0|UTF8|=c/postgres;postgres=CTc/postgres",
                "template1|UTF8|=c/postgres;postgres=CTc/postgres"),
                table("SELECT datname, pg_encoding_to_char(encoding), array_to_string(datacl, ';') AS acl"
                        + " FROM pg_database ORDER BY 1"));
        assertEquals(List.of("a|b|c|d", "{customers,orders}|t|f|20"),
                table("SELECT ARRAY(SELECT relname FROM pg_class WHERE relname IN ('customers', 'orders')"
                        + " ORDER BY 1) AS a, 23::oid = ANY ('{1,23}'::oid[]) AS b, 5 = ANY ('{}'::int4[]) AS c,"
                        + " ('{10,20,30}'::int4[])[2] AS d"));
        // not a partition (here: no relation at all): no rows, as PostgreSQL 15
        assertEquals(List.of("relid|depth"),
                table("SELECT * FROM pg_catalog.pg_partition_ancestors(42) WITH ORDINALITY AS a(relid, depth)"));
        assertEquals(List.of("rolname", "pg_database_owner"),
                table("SELECT pg_get_userbyid(nspowner) AS rolname FROM pg_namespace WHERE nspname = 'public'"));
    }
}
