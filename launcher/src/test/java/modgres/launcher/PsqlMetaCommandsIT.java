package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * psql's meta-commands against Modgres: the catalog queries psql 15 sends
 * for {@code \d table}, {@code \d index}, {@code \d}, {@code \dt}, {@code \di}, {@code \dv},
 * {@code \ds}, {@code \dn}, {@code \du}, {@code \l}, {@code \dT} and
 * {@code \df} must run and print exactly what they print against
 * PostgreSQL 15 for the same schema. The expected texts were captured from a
 * PostgreSQL 15.18 cluster initialised with {@code initdb --locale=C -E UTF8}
 * (Modgres's only locale), after {@link #SCHEMA} in a database created by
 * {@code CREATE DATABASE ittest}.
 */
class PsqlMetaCommandsIT {
    private static Path dir;
    private static ServerRunner server;

    static final String SCHEMA = """
            CREATE TABLE customers (id integer PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, name text,
                created timestamptz DEFAULT now());
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id)
                ON DELETE CASCADE, qty integer NOT NULL DEFAULT 1 CHECK (qty > 0), note text, total numeric(12,2));
            CREATE INDEX orders_customer_idx ON orders (customer_id, id);
            CREATE VIEW big_orders AS SELECT id, qty FROM orders WHERE qty > 10;
            CREATE SEQUENCE order_numbers;
            CREATE SCHEMA sales;
            CREATE TABLE measurements (id serial PRIMARY KEY, label text DEFAULT 'none' CHECK (label <> ''),
                code varchar(8) DEFAULT 'A1' CHECK (code <> 'x'), amount numeric(10,2) NOT NULL DEFAULT 0
                CHECK (amount >= 0 AND amount < 1000.5), ratio float8 CHECK (ratio > 1),
                taken date CHECK (taken > '2020-01-01'), level int CHECK (level IN (1, 2, 3)),
                flag boolean DEFAULT 'true', CHECK (level + 1 > 2 * level OR flag));
            """;

    /** psql 15's output against PostgreSQL 15 for each meta-command (ordered as run). */
    static final List<Map.Entry<String, String>> EXPECTED = List.of(
            Map.entry("\\d orders", """
                    Table "public.orders"
   Column    |     Type      | Collation | Nullable | Default\s
-------------+---------------+-----------+----------+---------
 id          | bigint        |           | not null |\s
 customer_id | integer       |           | not null |\s
 qty         | integer       |           | not null | 1
 note        | text          |           |          |\s
 total       | numeric(12,2) |           |          |\s
Indexes:
    "orders_pkey" PRIMARY KEY, btree (id)
    "orders_customer_idx" btree (customer_id, id)
Check constraints:
    "orders_qty_check" CHECK (qty > 0)
Foreign-key constraints:
    "orders_customer_id_fkey" FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE

"""),
            Map.entry("\\d customers", """
                      Table "public.customers"
 Column  |           Type           | Collation | Nullable | Default\s
---------+--------------------------+-----------+----------+---------
 id      | integer                  |           | not null |\s
 email   | character varying(100)   |           | not null |\s
 name    | text                     |           |          |\s
 created | timestamp with time zone |           |          | now()
Indexes:
    "customers_pkey" PRIMARY KEY, btree (id)
    "customers_email_key" UNIQUE CONSTRAINT, btree (email)
Referenced by:
    TABLE "orders" CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE

"""),
            Map.entry("\\d measurements", """
                                   Table "public.measurements"
 Column |         Type         | Collation | Nullable |                 Default                 \s
--------+----------------------+-----------+----------+------------------------------------------
 id     | integer              |           | not null | nextval('measurements_id_seq'::regclass)
 label  | text                 |           |          | 'none'::text
 code   | character varying(8) |           |          | 'A1'::character varying
 amount | numeric(10,2)        |           | not null | 0
 ratio  | double precision     |           |          |\s
 taken  | date                 |           |          |\s
 level  | integer              |           |          |\s
 flag   | boolean              |           |          | true
Indexes:
    "measurements_pkey" PRIMARY KEY, btree (id)
Check constraints:
    "measurements_amount_check" CHECK (amount >= 0::numeric AND amount < 1000.5)
    "measurements_check" CHECK ((level + 1) > (2 * level) OR flag)
    "measurements_code_check" CHECK (code::text <> 'x'::text)
    "measurements_label_check" CHECK (label <> ''::text)
    "measurements_level_check" CHECK (level = ANY (ARRAY[1, 2, 3]))
    "measurements_ratio_check" CHECK (ratio > 1::double precision)
    "measurements_taken_check" CHECK (taken > '2020-01-01'::date)

"""),
            Map.entry("\\d orders_customer_idx", """
     Index "public.orders_customer_idx"
   Column    |  Type   | Key? | Definition \s
-------------+---------+------+-------------
 customer_id | integer | yes  | customer_id
 id          | bigint  | yes  | id
btree, for table "public.orders"

"""),
            Map.entry("\\d", """
                 List of relations
 Schema |        Name         |   Type   |  Owner  \s
--------+---------------------+----------+----------
 public | big_orders          | view     | postgres
 public | customers           | table    | postgres
 public | measurements        | table    | postgres
 public | measurements_id_seq | sequence | postgres
 public | order_numbers       | sequence | postgres
 public | orders              | table    | postgres
(6 rows)

"""),
            Map.entry("\\dt", """
            List of relations
 Schema |     Name     | Type  |  Owner  \s
--------+--------------+-------+----------
 public | customers    | table | postgres
 public | measurements | table | postgres
 public | orders       | table | postgres
(3 rows)

"""),
            Map.entry("\\di", """
                       List of relations
 Schema |        Name         | Type  |  Owner   |    Table    \s
--------+---------------------+-------+----------+--------------
 public | customers_email_key | index | postgres | customers
 public | customers_pkey      | index | postgres | customers
 public | measurements_pkey   | index | postgres | measurements
 public | orders_customer_idx | index | postgres | orders
 public | orders_pkey         | index | postgres | orders
(5 rows)

"""),
            Map.entry("\\dv", """
           List of relations
 Schema |    Name    | Type |  Owner  \s
--------+------------+------+----------
 public | big_orders | view | postgres
(1 row)

"""),
            Map.entry("\\ds", """
                 List of relations
 Schema |        Name         |   Type   |  Owner  \s
--------+---------------------+----------+----------
 public | measurements_id_seq | sequence | postgres
 public | order_numbers       | sequence | postgres
(2 rows)

"""),
            Map.entry("\\dn", """
      List of schemas
  Name  |       Owner      \s
--------+-------------------
 public | pg_database_owner
 sales  | postgres
(2 rows)

"""),
            Map.entry("\\du", """
                                   List of roles
 Role name |                         Attributes                         | Member of\s
-----------+------------------------------------------------------------+-----------
 postgres  | Superuser, Create role, Create DB, Replication, Bypass RLS | {}

"""),
            Map.entry("\\l", """
                                            List of databases
   Name    |  Owner   | Encoding | Collate | Ctype | ICU Locale | Locale Provider |   Access privileges  \s
-----------+----------+----------+---------+-------+------------+-----------------+-----------------------
 ittest    | postgres | UTF8     | C       | C     |            | libc            |\s
 postgres  | postgres | UTF8     | C       | C     |            | libc            |\s
 template0 | postgres | UTF8     | C       | C     |            | libc            | =c/postgres          +
           |          |          |         |       |            |                 | postgres=CTc/postgres
 template1 | postgres | UTF8     | C       | C     |            | libc            | =c/postgres          +
           |          |          |         |       |            |                 | postgres=CTc/postgres
(4 rows)

"""),
            Map.entry("\\dT", """
     List of data types
 Schema | Name | Description\s
--------+------+-------------
(0 rows)

"""),
            Map.entry("\\df", """
                       List of functions
 Schema | Name | Result data type | Argument data types | Type\s
--------+------+------------------+---------------------+------
(0 rows)

"""));

    @BeforeAll
    static void start() throws Exception {
        dir = ServerRunner.tempDir("modgres-psql-meta", false);
        server = ServerRunner.start(dir.resolve("data"), false);
        server.awaitReady();
        psql("postgres", "CREATE DATABASE ittest");
        Path script = dir.resolve("schema.sql");
        Files.writeString(script, SCHEMA);
        ServerRunner.Result r = ServerRunner.run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(server.port), "-U", "postgres", "-f", script.toString(), "ittest");
        assertEquals(0, r.status(), r.output());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        ServerRunner.deleteTree(dir);
    }

    private static String psql(String db, String command) throws Exception {
        ServerRunner.Result r = ServerRunner.run("psql", "-X", "-h", "127.0.0.1", "-p",
                Integer.toString(server.port), "-U", "postgres", "-c", command, db);
        return r.output();
    }

    /** {@code \\d+} reads pg_class.reloptions as text[] (unnest, array_to_string): the storage parameters line. */
    @Test
    void describePlusShowsStorageParameters() throws Exception {
        psql("postgres", "CREATE TABLE ff (a int, b text) WITH (fillfactor=50, autovacuum_enabled=false)");
        assertEquals("""
                                            Table "public.ff"
 Column |  Type   | Collation | Nullable | Default | Storage  | Compression | Stats target | Description\s
--------+---------+-----------+----------+---------+----------+-------------+--------------+-------------
 a      | integer |           |          |         | plain    |             |              |\s
 b      | text    |           |          |         | extended |             |              |\s
Access method: heap
Options: fillfactor=50, autovacuum_enabled=false

""", psql("postgres", "\\d+ ff"));
    }

    @Test
    void metaCommandsPrintWhatPostgresPrints() throws Exception {
        for (Map.Entry<String, String> e : EXPECTED) {
            assertEquals(e.getValue(), psql("ittest", e.getKey()), "psql " + e.getKey());
        }
    }
}
