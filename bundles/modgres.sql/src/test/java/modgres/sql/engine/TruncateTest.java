package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.sql.Notice;

/**
 * TRUNCATE: PostgreSQL's foreign-key checks and CASCADE order, partitioned
 * tables, inheritance, RESTART IDENTITY undone by ROLLBACK, DROP TABLE's
 * cascade notice. Expected texts and orders are PostgreSQL 15's (its
 * regression test truncate.sql).
 */
class TruncateTest extends DataEngineTestBase {

    /** A sink that keeps the notices whole (with DETAIL). */
    static final class NoticeSink extends RecordingSink {
        final List<Notice> notices = new ArrayList<>();

        @Override
        public void notice(Notice notice) {
            super.notice(notice);
            notices.add(notice);
        }
    }

    private List<String> notices(String sql) {
        List<String> out = new ArrayList<>();
        for (String e : run(sql)) {
            if (e.startsWith("N ")) {
                out.add(e.substring(2));
            }
        }
        return out;
    }

    private void fkTables() {
        exec("CREATE TABLE truncate_a (col1 integer primary key)",
                "CREATE TABLE trunc_b (a int REFERENCES truncate_a)",
                "CREATE TABLE trunc_c (a serial PRIMARY KEY)",
                "CREATE TABLE trunc_d (a int REFERENCES trunc_c)",
                "CREATE TABLE trunc_e (a int REFERENCES truncate_a, b int REFERENCES trunc_c)");
    }

    private void fkError(String sql, String referencing, String referenced) {
        PgException e = error(sql, "0A000", "cannot truncate a table referenced in a foreign key constraint");
        assertEquals("Table \"" + referencing + "\" references \"" + referenced + "\".", e.detail());
        assertEquals("Truncate table \"" + referencing + "\" at the same time, or use TRUNCATE ... CASCADE.",
                e.hint());
    }

    @Test
    void foreignKeyCheckNamesTheFirstPairInPostgresOrder() {
        fkTables();
        fkError("TRUNCATE TABLE truncate_a", "trunc_b", "truncate_a");
        fkError("TRUNCATE TABLE truncate_a,trunc_b", "trunc_e", "truncate_a");
        assertEquals(List.of("C TRUNCATE TABLE"), run("TRUNCATE TABLE truncate_a,trunc_b,trunc_e"));
        fkError("TRUNCATE TABLE trunc_c,trunc_d", "trunc_e", "trunc_c");
        exec("ALTER TABLE truncate_a ADD FOREIGN KEY (col1) REFERENCES trunc_c");
        // the list's first table with an outside referencing table, those in OID order
        fkError("TRUNCATE TABLE trunc_c,truncate_a", "trunc_d", "trunc_c");
        fkError("TRUNCATE TABLE trunc_c,truncate_a,trunc_d", "trunc_e", "trunc_c");
        fkError("TRUNCATE TABLE trunc_c,truncate_a,trunc_d,trunc_e", "trunc_b", "truncate_a");
        assertEquals(List.of("C TRUNCATE TABLE"), run("TRUNCATE TABLE trunc_c,truncate_a,trunc_d,trunc_e,trunc_b"));
    }

    @Test
    void cascadeAddsReferencingTablesRoundByRoundInOidOrder() {
        fkTables();
        exec("ALTER TABLE truncate_a ADD FOREIGN KEY (col1) REFERENCES trunc_c",
                "INSERT INTO trunc_c VALUES (1)", "INSERT INTO truncate_a VALUES (1)", "INSERT INTO trunc_b VALUES (1)",
                "INSERT INTO trunc_d VALUES (1)", "INSERT INTO trunc_e VALUES (1,1)");
        assertEquals(List.of("NOTICE 00000 truncate cascades to table \"truncate_a\"",
                "NOTICE 00000 truncate cascades to table \"trunc_d\"",
                "NOTICE 00000 truncate cascades to table \"trunc_e\"",
                "NOTICE 00000 truncate cascades to table \"trunc_b\""), notices("TRUNCATE TABLE trunc_c CASCADE"));
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM (SELECT col1 FROM truncate_a UNION ALL "
                + "SELECT a FROM trunc_b UNION ALL SELECT a FROM trunc_c UNION ALL SELECT a FROM trunc_d "
                + "UNION ALL SELECT a FROM trunc_e) s"));
    }

    @Test
    void inheritanceWithAndWithoutOnly() {
        exec("CREATE TABLE trunc_f (col1 integer primary key)", "INSERT INTO trunc_f VALUES (1), (2)",
                "CREATE TABLE trunc_fa (col2a text) INHERITS (trunc_f)", "INSERT INTO trunc_fa VALUES (3, 'three')",
                "CREATE TABLE trunc_fb (col2b int) INHERITS (trunc_f)", "INSERT INTO trunc_fb VALUES (4, 444)",
                "CREATE TABLE trunc_faa (col3 text) INHERITS (trunc_fa)",
                "INSERT INTO trunc_faa VALUES (5, 'five', 'FIVE')");
        exec("BEGIN", "TRUNCATE ONLY trunc_fb, trunc_fa");
        assertEquals(List.of("col1", "1", "2"), table("SELECT col1 FROM trunc_f ORDER BY 1"));
        exec("ROLLBACK", "BEGIN", "TRUNCATE ONLY trunc_f");
        assertEquals(List.of("col1", "3", "4", "5"), table("SELECT col1 FROM trunc_f ORDER BY 1"));
        exec("ROLLBACK");
        NoticeSink sink = new NoticeSink();
        session.simpleQuery("DROP TABLE trunc_f CASCADE", sink);
        assertEquals(1, sink.notices.size());
        assertEquals("drop cascades to 3 other objects", sink.notices.get(0).message());
        assertEquals("drop cascades to table trunc_fa\ndrop cascades to table trunc_faa\n"
                + "drop cascades to table trunc_fb", sink.notices.get(0).detail());
    }

    @Test
    void restartIdentityRestartsOwnedSequencesAndRollsBack() {
        exec("CREATE SEQUENCE truncate_a_id1 START WITH 33",
                "CREATE TABLE truncate_a (id serial, id1 integer default nextval('truncate_a_id1'))",
                "ALTER SEQUENCE truncate_a_id1 OWNED BY truncate_a.id1",
                "INSERT INTO truncate_a DEFAULT VALUES", "INSERT INTO truncate_a DEFAULT VALUES",
                "TRUNCATE truncate_a",
                "INSERT INTO truncate_a DEFAULT VALUES", "INSERT INTO truncate_a DEFAULT VALUES");
        assertEquals(List.of("id|id1", "3|35", "4|36"), table("SELECT * FROM truncate_a"));
        exec("TRUNCATE truncate_a RESTART IDENTITY",
                "INSERT INTO truncate_a DEFAULT VALUES", "INSERT INTO truncate_a DEFAULT VALUES");
        assertEquals(List.of("id|id1", "1|33", "2|34"), table("SELECT * FROM truncate_a"));
        exec("BEGIN", "TRUNCATE truncate_a RESTART IDENTITY", "INSERT INTO truncate_a DEFAULT VALUES");
        assertEquals(List.of("id|id1", "1|33"), table("SELECT * FROM truncate_a"));
        exec("ROLLBACK", "INSERT INTO truncate_a DEFAULT VALUES", "INSERT INTO truncate_a DEFAULT VALUES");
        assertEquals(List.of("id|id1", "1|33", "2|34", "3|35", "4|36"), table("SELECT * FROM truncate_a"));
        exec("DROP TABLE truncate_a");
        PgException e = error("SELECT nextval('truncate_a_id1')", "42P01",
                "relation \"truncate_a_id1\" does not exist");
        assertEquals(16, e.position()); // the literal, as PostgreSQL's regclass argument reports it
    }

    @Test
    void restartIdentityOfAnIdentityColumn() {
        exec("CREATE TABLE truncate_b (id int GENERATED ALWAYS AS IDENTITY (START WITH 44))",
                "INSERT INTO truncate_b DEFAULT VALUES", "INSERT INTO truncate_b DEFAULT VALUES",
                "TRUNCATE truncate_b", "INSERT INTO truncate_b DEFAULT VALUES");
        assertEquals(List.of("id", "46"), table("SELECT * FROM truncate_b"));
        exec("TRUNCATE truncate_b RESTART IDENTITY", "INSERT INTO truncate_b DEFAULT VALUES");
        assertEquals(List.of("id", "44"), table("SELECT * FROM truncate_b"));
    }

    private void partitionedReferencing() {
        exec("CREATE TABLE truncprim (a int PRIMARY KEY)",
                "CREATE TABLE truncpart (a int REFERENCES truncprim) PARTITION BY RANGE (a)",
                "CREATE TABLE truncpart_1 PARTITION OF truncpart FOR VALUES FROM (0) TO (100)",
                "CREATE TABLE truncpart_2 PARTITION OF truncpart FOR VALUES FROM (100) TO (200) PARTITION BY RANGE (a)",
                "CREATE TABLE truncpart_2_1 PARTITION OF truncpart_2 FOR VALUES FROM (100) TO (150)",
                "CREATE TABLE truncpart_2_d PARTITION OF truncpart_2 DEFAULT",
                "INSERT INTO truncprim VALUES (1), (100), (150)", "INSERT INTO truncpart VALUES (1), (100), (150)");
    }

    @Test
    void cascadeToAPartitionedTableTruncatesEveryPartition() {
        partitionedReferencing();
        fkError("TRUNCATE TABLE truncprim", "truncpart", "truncprim");
        assertEquals(List.of("NOTICE 00000 truncate cascades to table \"truncpart\"",
                "NOTICE 00000 truncate cascades to table \"truncpart_1\"",
                "NOTICE 00000 truncate cascades to table \"truncpart_2\"",
                "NOTICE 00000 truncate cascades to table \"truncpart_2_1\"",
                "NOTICE 00000 truncate cascades to table \"truncpart_2_d\""),
                notices("TRUNCATE TABLE truncprim CASCADE"));
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM truncpart"));
    }

    @Test
    void onlyOnAPartitionedTableIsRefused() {
        exec("CREATE TABLE truncparted (a int, b char) PARTITION BY LIST (a)");
        PgException e = error("TRUNCATE ONLY truncparted", "42809", "cannot truncate only a partitioned table");
        assertEquals("Do not specify the ONLY keyword, or use TRUNCATE ONLY on the partitions directly.", e.hint());
        exec("CREATE TABLE truncparted1 PARTITION OF truncparted FOR VALUES IN (1)",
                "INSERT INTO truncparted VALUES (1, 'a')", "TRUNCATE truncparted");
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM truncparted"));
    }

    @Test
    void partitionOfAReferencedPartitionedTableNeedsCascade() {
        exec("CREATE TABLE trunc_a (a INT PRIMARY KEY) PARTITION BY RANGE (a)",
                "CREATE TABLE trunc_a1 PARTITION OF trunc_a FOR VALUES FROM (0) TO (10)",
                "CREATE TABLE trunc_a2 PARTITION OF trunc_a FOR VALUES FROM (10) TO (20)");
        List<String> fk = run("CREATE TABLE ref_b (b INT PRIMARY KEY, a INT REFERENCES trunc_a(a) ON DELETE CASCADE)");
        // foreign keys referencing partitioned tables are another part of the tree's work
        assumeTrue(fk.contains("C CREATE TABLE"), "foreign keys to partitioned tables not built yet");
        exec("INSERT INTO trunc_a VALUES (0), (5), (15)", "INSERT INTO ref_b VALUES (10, 0), (50, 5), (150, 15)");
        fkError("TRUNCATE TABLE trunc_a1", "ref_b", "trunc_a1");
        assertEquals(List.of("NOTICE 00000 truncate cascades to table \"ref_b\""),
                notices("TRUNCATE TABLE trunc_a1 CASCADE"));
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM ref_b"));
        assertEquals(List.of("a", "15"), table("SELECT a FROM trunc_a"));
    }

    @Test
    void triggersFireForEveryTruncatedTable() {
        exec("CREATE TABLE log (t text)",
                "CREATE TABLE p (a int PRIMARY KEY)", "CREATE TABLE c (a int REFERENCES p)",
                "CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO log VALUES (TG_WHEN || ' ' || TG_TABLE_NAME); RETURN NULL; END $$",
                "CREATE TRIGGER tp BEFORE TRUNCATE ON p FOR EACH STATEMENT EXECUTE FUNCTION note()",
                "CREATE TRIGGER tc AFTER TRUNCATE ON c FOR EACH STATEMENT EXECUTE FUNCTION note()",
                "TRUNCATE p CASCADE");
        assertEquals(List.of("t", "BEFORE p", "AFTER c"), table("SELECT t FROM log"));
    }
}
