package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** DDL inside savepoints: what a rolled-back level did to files and catalog is undone, what it released is kept. */
class SubtransactionDdlTest extends DataEngineTestBase {

    @Test
    void aDropRolledBackToItsSavepointKeepsTheTablesFiles() {
        exec("create table keep (a int)");
        exec("begin");
        exec("create table made (a int)");
        exec("insert into keep values (1)");
        exec("savepoint one");
        exec("drop table made");
        exec("drop table keep");
        exec("rollback to savepoint one");
        exec("release savepoint one");
        exec("savepoint two");
        exec("create table released (a int)");
        exec("release two");
        exec("commit");
        exec("insert into made values (2)");
        exec("insert into keep values (3)");
        exec("insert into released values (4)");
        assertEquals(List.of("a", "2"), table("select * from made"));
        assertEquals(List.of("a", "1", "3"), table("select * from keep order by a"));
        assertEquals(List.of("a", "4"), table("select * from released"));
    }

    @Test
    void aDropReleasedIntoTheCommittedLevelRemovesTheTable() {
        exec("create table gone (a int)");
        exec("begin");
        exec("savepoint s");
        exec("drop table gone");
        exec("release s");
        exec("commit");
        error("select * from gone", "42P01", "relation \"gone\" does not exist");
    }
}
