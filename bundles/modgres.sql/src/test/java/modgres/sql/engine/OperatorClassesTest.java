package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** CREATE / DROP OPERATOR CLASS and hash partitioning by a user-defined class, as PostgreSQL 15. */
class OperatorClassesTest extends DataEngineTestBase {

    private void identityHashClass() {
        exec("create function part_hashint4_noop(value int4, seed int8) returns int8 as $$ select value + seed; $$"
                + " language sql strict immutable",
                "create operator class part_test_int4_ops for type int4 using hash as operator 1 =,"
                        + " function 2 part_hashint4_noop(int4, int8)");
    }

    @Test
    void hashPartitionsFollowTheClassSupportFunction() {
        identityHashClass();
        exec("create table hp (a int) partition by hash (a part_test_int4_ops)",
                "create table hp0 partition of hp for values with (modulus 4, remainder 0)",
                "create table hp1 partition of hp for values with (modulus 4, remainder 1)",
                "create table hp2 partition of hp for values with (modulus 4, remainder 2)",
                "create table hp3 partition of hp for values with (modulus 4, remainder 3)",
                "insert into hp values (generate_series(1, 8))");
        // value + seed, combined as PostgreSQL does: the remainder of a value is the value's own modulo 4
        assertEquals(List.of("tableoid|a", "hp0|4", "hp0|8", "hp1|1", "hp1|5", "hp2|2", "hp2|6", "hp3|3", "hp3|7"),
                table("select tableoid::regclass, a from hp order by 1, 2"));
        exec("insert into hp3 values (11)");
        error("insert into hp0 values (5)", "23514", "new row for relation \"hp0\" violates partition constraint");
        assertEquals(List.of("a", "4", "8"), table("select a from hp where a % 4 = 0 order by a"));
        assertEquals(List.of("opcname|opcdefault|amprocnum", "part_test_int4_ops|f|2"),
                table("select opcname, opcdefault, amprocnum from pg_opclass c join pg_amproc p"
                        + " on p.amprocfamily = c.opcfamily"));
    }

    @Test
    void definitionsAreCheckedAsPostgres() {
        identityHashClass();
        error("create operator class part_test_int4_ops for type int4 using hash as operator 1 =", "42710",
                "operator class \"part_test_int4_ops\" for access method \"hash\" already exists");
        error("create operator class x_ops for type int4 using nosuch as operator 1 =", "42704",
                "access method \"nosuch\" does not exist");
        error("create operator class y_ops for type int4 using hash as operator 2 =", "42P17",
                "invalid operator number 2, must be between 1 and 1");
        exec("create function bad(int4, int8) returns int4 as 'select 1' language sql");
        error("create operator class z_ops for type int4 using hash as function 2 bad(int4, int8)", "42P17",
                "hash function 2 must return bigint");
        error("create table hq (a text) partition by hash (a part_test_int4_ops)", "42804",
                "operator class \"part_test_int4_ops\" does not accept data type text");
        error("create table hr (a int) partition by hash (a nosuch_class)", "42704",
                "operator class \"nosuch_class\" does not exist for access method \"hash\"");
    }

    @Test
    void dropRefusesWhileAPartitionKeyUsesTheClass() {
        identityHashClass();
        exec("create table hp (a int) partition by hash (a part_test_int4_ops)");
        error("drop operator class part_test_int4_ops using hash", "2BP01",
                "cannot drop operator class part_test_int4_ops for access method hash because other objects depend"
                        + " on it");
        error("drop operator class nosuch using hash", "42704",
                "operator class \"nosuch\" does not exist for access method \"hash\"");
        exec("drop operator class if exists nosuch using hash", "drop table hp",
                "drop operator class part_test_int4_ops using hash");
        assertEquals(List.of("count", "0"), table("select count(*) from pg_opclass"));
        // the implicitly made family stays, as in PostgreSQL
        assertEquals(List.of("count", "1"), table("select count(*) from pg_opfamily where opfname = 'part_test_int4_ops'"));
    }
}
