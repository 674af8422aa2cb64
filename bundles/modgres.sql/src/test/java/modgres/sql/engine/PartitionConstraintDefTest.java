package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * pg_get_partition_constraintdef (psql's "Partition constraint:" line): range bounds over several columns with
 * MINVALUE/MAXVALUE, list bounds with NULL and expressions, hash, default partitions, sub-partitions carrying
 * their parent's constraint, constants of several types. Expected texts are PostgreSQL 15's.
 */
class PartitionConstraintDefTest extends DataEngineTestBase {

    private String def(String rel) {
        List<String> t = table("select pg_get_partition_constraintdef('" + rel + "'::regclass)");
        return t.get(1);
    }

    @Test
    void multiColumnRange() {
        exec("create table mc (a text, b int) partition by range (a, b)",
                "create table mc1 partition of mc for values from (minvalue, minvalue) to ('b', minvalue)",
                "create table mc2 partition of mc for values from ('b', minvalue) to ('c', minvalue)",
                "create table mc4 partition of mc for values from ('common', minvalue) to ('common', 0)",
                "create table mc5 partition of mc for values from ('common', 0) to ('common', 10)",
                "create table mc6 partition of mc for values from ('common', 10) to ('common', maxvalue)",
                "create table mc7 partition of mc for values from ('common', maxvalue) to ('d', minvalue)",
                "create table mc8 partition of mc for values from ('d', minvalue) to (maxvalue, maxvalue)",
                "create table mcd partition of mc default");
        assertEquals("((a IS NOT NULL) AND (b IS NOT NULL) AND (a < 'b'::text))", def("mc1"));
        assertEquals("((a IS NOT NULL) AND (b IS NOT NULL) AND (a >= 'b'::text) AND (a < 'c'::text))", def("mc2"));
        assertEquals("((a IS NOT NULL) AND (b IS NOT NULL) AND (a = 'common'::text) AND (b < 0))", def("mc4"));
        assertEquals("((a IS NOT NULL) AND (b IS NOT NULL) AND (a = 'common'::text) AND (b >= 0) AND (b < 10))",
                def("mc5"));
        assertEquals("((a IS NOT NULL) AND (b IS NOT NULL) AND (a = 'common'::text) AND (b >= 10))", def("mc6"));
        assertEquals("((a IS NOT NULL) AND (b IS NOT NULL) AND (a > 'common'::text) AND (a < 'd'::text))",
                def("mc7"));
        assertEquals("((a IS NOT NULL) AND (b IS NOT NULL) AND (a >= 'd'::text))", def("mc8"));
        assertEquals("(NOT ((a IS NOT NULL) AND (b IS NOT NULL) AND ((a < 'b'::text) OR ((a >= 'b'::text) AND"
                + " (a < 'c'::text)) OR ((a = 'common'::text) AND (b < 0)) OR ((a = 'common'::text) AND (b >= 0)"
                + " AND (b < 10)) OR ((a = 'common'::text) AND (b >= 10)) OR ((a > 'common'::text) AND"
                + " (a < 'd'::text)) OR (a >= 'd'::text))))", def("mcd"));
        exec("create table rb (a bigint, n numeric) partition by range (a, n)",
                "create table rb1 partition of rb for values from (1, 1.5) to (1, 10)");
        assertEquals("((a IS NOT NULL) AND (n IS NOT NULL) AND (a = '1'::bigint) AND (n >= 1.5)"
                + " AND (n < '10'::numeric))", def("rb1"));
    }

    @Test
    void listHashDefaultAndSubPartitions() {
        exec("create table lp (a text, b int) partition by list (lower(a))",
                "create table lp1 partition of lp for values in ('aa', 'bb')",
                "create table lp2 partition of lp for values in ('cc')",
                "create table lp3 partition of lp for values in (null, 'dd') partition by range (b)",
                "create table lp31 partition of lp3 for values from (-5) to (10)",
                "create table lpd partition of lp default",
                "create table ld (a int) partition by list (a)", "create table ldd partition of ld default",
                "create table hp (a int, b text) partition by hash (a, b)",
                "create table hp0 partition of hp for values with (modulus 2, remainder 0)");
        assertEquals("((lower(a) IS NOT NULL) AND (lower(a) = ANY (ARRAY['aa'::text, 'bb'::text])))", def("lp1"));
        assertEquals("((lower(a) IS NOT NULL) AND (lower(a) = 'cc'::text))", def("lp2"));
        assertEquals("((lower(a) IS NULL) OR (lower(a) = 'dd'::text))", def("lp3"));
        assertEquals("(((lower(a) IS NULL) OR (lower(a) = 'dd'::text)) AND (b IS NOT NULL) AND (b >= '-5'::integer)"
                + " AND (b < 10))", def("lp31"));
        assertEquals("(NOT ((lower(a) IS NULL) OR (lower(a) = ANY (ARRAY['aa'::text, 'bb'::text, 'cc'::text,"
                + " 'dd'::text]))))", def("lpd"));
        assertEquals("", def("ldd")); // the only partition: no constraint (NULL)
        assertEquals(List.of("ok", "t"), table("select pg_get_partition_constraintdef('hp0'::regclass)"
                + " = 'satisfies_hash_partition(''' || 'hp'::regclass::oid || '''::oid, 2, 0, a, b)' as ok"));
        assertEquals("", def("lp")); // not a partition
    }
}
