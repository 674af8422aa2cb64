package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * ALTER SEQUENCE: RESTART [WITH], INCREMENT, MINVALUE/MAXVALUE, START,
 * CACHE, CYCLE, AS type, OWNED BY; transactional (a rollback brings the old
 * parameters and value back). Expected values and texts are PostgreSQL 15's.
 */
class AlterSequenceTest extends DataEngineTestBase {

    private String nextval(String seq) {
        return table("SELECT nextval('" + seq + "')").get(1);
    }

    private List<String> definition(String seq) {
        return table("SELECT seqtypid::regtype, seqstart, seqincrement, seqmax, seqmin, seqcache, seqcycle"
                + " FROM pg_sequence WHERE seqrelid = '" + seq + "'::regclass");
    }

    @Test
    void restartIncrementAndBoundsKeepTheCurrentValue() {
        exec("CREATE SEQUENCE s START 5");
        assertEquals("5", nextval("s"));
        assertEquals(List.of("C ALTER SEQUENCE"), run("ALTER SEQUENCE s INCREMENT 10"));
        assertEquals("15", nextval("s"));
        exec("ALTER SEQUENCE s RESTART");
        assertEquals("5", nextval("s"));
        exec("ALTER SEQUENCE s RESTART WITH 100");
        assertEquals("100", nextval("s"));
        error("ALTER SEQUENCE s MINVALUE 200", "22023", "START value (5) cannot be less than MINVALUE (200)");
        error("ALTER SEQUENCE s MAXVALUE 50", "22023", "RESTART value (100) cannot be greater than MAXVALUE (50)");
        error("ALTER SEQUENCE s RESTART WITH 0", "22023", "RESTART value (0) cannot be less than MINVALUE (1)");
        error("ALTER SEQUENCE s INCREMENT 0", "22023", "INCREMENT must not be zero");
        error("ALTER SEQUENCE s CACHE 0", "22023", "CACHE (0) must be greater than zero");
        assertEquals("110", nextval("s"));
        exec("ALTER SEQUENCE s START 7");
        assertEquals("120", nextval("s")); // START alone does not move the value
        exec("ALTER SEQUENCE s RESTART");
        assertEquals("7", nextval("s"));
    }

    @Test
    void typeChangeMovesBoundsThatWereTheOldTypesLimits() {
        exec("CREATE SEQUENCE s AS integer");
        exec("ALTER SEQUENCE s AS smallint");
        assertEquals(List.of("seqtypid|seqstart|seqincrement|seqmax|seqmin|seqcache|seqcycle",
                "smallint|1|1|32767|1|1|f"), definition("s"));
        exec("ALTER SEQUENCE s AS bigint MAXVALUE 100000 CYCLE CACHE 5");
        assertEquals(List.of("seqtypid|seqstart|seqincrement|seqmax|seqmin|seqcache|seqcycle",
                "bigint|1|1|100000|1|5|t"), definition("s"));
        error("ALTER SEQUENCE s AS smallint", "22023",
                "MAXVALUE (100000) is out of range for sequence data type smallint");
        error("ALTER SEQUENCE s AS text", "22023", "sequence type must be smallint, integer, or bigint");
        PgException e = error("ALTER SEQUENCE s INCREMENT 1 INCREMENT 2", "42601",
                "conflicting or redundant options");
        assertEquals(30, e.position());
        exec("ALTER SEQUENCE s NO MAXVALUE NO CYCLE");
        assertEquals(List.of("seqtypid|seqstart|seqincrement|seqmax|seqmin|seqcache|seqcycle",
                "bigint|1|1|9223372036854775807|1|5|f"), definition("s"));
    }

    @Test
    void alterIsUndoneByRollback() {
        exec("CREATE SEQUENCE s");
        assertEquals("1", nextval("s"));
        exec("BEGIN", "ALTER SEQUENCE s RESTART WITH 500 INCREMENT 2");
        assertEquals("500", nextval("s"));
        assertEquals("502", nextval("s"));
        exec("ROLLBACK");
        assertEquals("2", nextval("s"));
        exec("BEGIN", "ALTER SEQUENCE s RESTART WITH 500", "COMMIT");
        assertEquals("500", nextval("s"));
    }

    @Test
    void missingAndWrongRelations() {
        exec("CREATE TABLE t (a int)", "CREATE VIEW v AS SELECT 1");
        assertEquals(List.of("N NOTICE 00000 relation \"nos\" does not exist, skipping", "C ALTER SEQUENCE"),
                run("ALTER SEQUENCE IF EXISTS nos RESTART"));
        error("ALTER SEQUENCE nos RESTART", "42P01", "relation \"nos\" does not exist");
        error("ALTER SEQUENCE t RESTART", "42809", "\"t\" is not a sequence");
        error("ALTER SEQUENCE v RESTART", "42809", "\"v\" is not a sequence");
    }

    @Test
    void ownedByTiesTheSequenceToTheColumn() {
        exec("CREATE SEQUENCE s", "CREATE TABLE t (a int)", "CREATE SCHEMA sc", "CREATE TABLE sc.u (a int)");
        error("ALTER SEQUENCE s OWNED BY nosuch.a", "42P01", "relation \"nosuch\" does not exist");
        error("ALTER SEQUENCE s OWNED BY t.b", "42703", "column \"b\" of relation \"t\" does not exist");
        PgException e = error("ALTER SEQUENCE s OWNED BY a", "42601", "invalid OWNED BY option");
        assertEquals("Specify OWNED BY table.column or OWNED BY NONE.", e.hint());
        error("ALTER SEQUENCE s OWNED BY sc.u.a", "55000", "sequence must be in same schema as table it is linked to");
        exec("ALTER SEQUENCE s OWNED BY public.t.a");
        assertEquals(List.of("pg_get_serial_sequence", "public.s"), table("SELECT pg_get_serial_sequence('t', 'a')"));
        exec("ALTER SEQUENCE s OWNED BY NONE");
        assertEquals(List.of("pg_get_serial_sequence", ""), table("SELECT pg_get_serial_sequence('t', 'a')"));
        exec("ALTER SEQUENCE s OWNED BY t.a", "DROP TABLE t");
        error("SELECT nextval('s')", "42P01", "relation \"s\" does not exist");
    }

    @Test
    void identitySequenceOwnershipCannotChange() {
        exec("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, a int)");
        String seq = table("SELECT pg_get_serial_sequence('t', 'id')").get(1);
        PgException e = error("ALTER SEQUENCE " + seq + " OWNED BY t.a", "0A000",
                "cannot change ownership of identity sequence");
        assertEquals("Sequence \"t_id_seq\" is linked to table \"t\".", e.detail());
    }
}
