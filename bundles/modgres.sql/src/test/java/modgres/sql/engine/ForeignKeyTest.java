package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.backend.Peer;
import modgres.api.error.PgException;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlSession;

/**
 * FOREIGN KEY constraints: definition and its errors, the checks of both
 * sides with their messages, the referential actions, DROP / TRUNCATE
 * dependencies. Expected rows, errors and notices are PostgreSQL 15's for the
 * same statements (psql -A of a PostgreSQL 15 server).
 */
class ForeignKeyTest extends DataEngineTestBase {

    private void detail(PgException e, String detail) {
        assertEquals(detail, e.detail());
    }

    @Test
    void checksBothSidesAsPostgres() {
        exec("create table p (id int primary key, v text)",
                "create table c (id int primary key, pid int references p)");
        assertEquals(List.of("conname|contype|confupdtype|confdeltype|confmatchtype|condeferrable|condeferred|convalidated|conkey|confkey|pk",
                "c_pid_fkey|f|a|a|s|f|f|t|2|1|t"),
                table("select conname, contype, confupdtype, confdeltype, confmatchtype, condeferrable, condeferred,"
                        + " convalidated, conkey, confkey, conindid = (select oid from pg_class where relname = 'p_pkey') pk"
                        + " from pg_constraint where contype = 'f' and conrelid = (select oid from pg_class where relname = 'c')"
                        + " and confrelid = (select oid from pg_class where relname = 'p')"));
        exec("insert into p values (1, 'a'), (2, 'b')");
        assertEquals(List.of("C INSERT 0 1"), run("insert into c values (1, 1)"));
        detail(error("insert into c values (2, 5)", "23503",
                "insert or update on table \"c\" violates foreign key constraint \"c_pid_fkey\""),
                "Key (pid)=(5) is not present in table \"p\".");
        detail(error("update c set pid = 7 where id = 1", "23503",
                "insert or update on table \"c\" violates foreign key constraint \"c_pid_fkey\""),
                "Key (pid)=(7) is not present in table \"p\".");
        detail(error("delete from p where id = 1", "23503",
                "update or delete on table \"p\" violates foreign key constraint \"c_pid_fkey\" on table \"c\""),
                "Key (id)=(1) is still referenced from table \"c\".");
        detail(error("update p set id = 10 where id = 1", "23503",
                "update or delete on table \"p\" violates foreign key constraint \"c_pid_fkey\" on table \"c\""),
                "Key (id)=(1) is still referenced from table \"c\".");
        assertEquals(List.of("C UPDATE 1"), run("update p set v = 'x' where id = 1"));
        assertEquals(List.of("C INSERT 0 1"), run("insert into c values (3, null)"));
        assertEquals(List.of("C DELETE 1"), run("delete from p where id = 2"));
        // the whole statement is checked at its end: a row may reference one inserted after it
        exec("create table t (id int primary key, up int references t)");
        assertEquals(List.of("C INSERT 0 2"), run("insert into t values (2, 1), (1, null)"));
        assertEquals(List.of("C DELETE 2"), run("delete from t"));
        // a bigint key beyond integer's range is simply not present
        exec("create table i8 (x bigint references p)");
        detail(error("insert into i8 values (5000000000)", "23503",
                "insert or update on table \"i8\" violates foreign key constraint \"i8_x_fkey\""),
                "Key (x)=(5000000000) is not present in table \"p\".");
        assertEquals(List.of("C INSERT 0 1"), run("insert into i8 values (1)"));
        // a failed statement leaves nothing behind
        error("insert into c values (4, 1), (5, 9)");
        assertEquals(List.of("id|pid", "1|1", "3|"), table("select * from c order by id"));
    }

    @Test
    void multiColumnAndMatchFull() {
        exec("create table k (a int, b int, primary key (a, b))",
                "create table kc (x int, y int, foreign key (y, x) references k (b, a) match full)",
                "create table ks (x int, y int, foreign key (x, y) references k)",
                "insert into k values (1, 2)");
        assertEquals(List.of("C INSERT 0 2"), run("insert into kc values (1, 2), (null, null)"));
        detail(error("insert into kc values (2, 1)", "23503",
                "insert or update on table \"kc\" violates foreign key constraint \"kc_y_x_fkey\""),
                "Key (y, x)=(1, 2) is not present in table \"k\".");
        detail(error("insert into kc values (2, null)", "23503",
                "insert or update on table \"kc\" violates foreign key constraint \"kc_y_x_fkey\""),
                "MATCH FULL does not allow mixing of null and nonnull key values.");
        // MATCH SIMPLE: any NULL passes
        assertEquals(List.of("C INSERT 0 1"), run("insert into ks values (1, null)"));
        detail(error("insert into ks values (1, 3)", "23503",
                "insert or update on table \"ks\" violates foreign key constraint \"ks_x_y_fkey\""),
                "Key (x, y)=(1, 3) is not present in table \"k\".");
        assertEquals(List.of("confmatchtype|conkey|confkey", "f|2 1|2 1", "s|1 2|1 2"),
                table("select confmatchtype, conkey, confkey from pg_constraint where contype = 'f' order by conname"));
    }

    @Test
    void definitionErrors() {
        exec("create table q (a int, b int)", "create table r (a int, b int, primary key (a, b))",
                "create table p (id int primary key)", "create view vv as select 1 as a");
        error("create table d (x int references q)", "42704", "there is no primary key for referenced table \"q\"");
        error("create table d (x int references q(a))", "42830",
                "there is no unique constraint matching given keys for referenced table \"q\"");
        detail(error("create table e3 (x int, y text, foreign key (x, y) references r)", "42804",
                "foreign key constraint \"e3_x_y_fkey\" cannot be implemented"),
                "Key columns \"y\" and \"b\" are of incompatible types: text and integer.");
        error("create table e4 (x int, foreign key (x) references r)", "42830",
                "number of referencing and referenced columns for foreign key disagree");
        detail(error("create table e7 (x numeric references p)", "42804",
                "foreign key constraint \"e7_x_fkey\" cannot be implemented"),
                "Key columns \"x\" and \"id\" are of incompatible types: numeric and integer.");
        error("create table d2 (a int references vv)", "42809", "referenced relation \"vv\" is not a table");
        error("create table d3 (a int, foreign key (zz) references p)", "42703",
                "column \"zz\" referenced in foreign key constraint does not exist");
        assertEquals(List.of("C CREATE TABLE"), run("create table e2 (x int, y int, foreign key (x, y) references r (b, a))"));
        assertEquals(List.of("C CREATE TABLE"), run("create table e6 (x bigint references p)"));
        // the failed CREATE TABLEs left nothing
        assertEquals(List.of("count", "2"), table("select count(*) from pg_constraint where contype = 'f'"));
        exec("create table c (id int, pid int)");
        exec("alter table c add constraint c_pid_fkey foreign key (pid) references p");
        error("alter table c add constraint c_pid_fkey foreign key (pid) references p", "42710",
                "constraint \"c_pid_fkey\" for relation \"c\" already exists");
        exec("alter table c add foreign key (pid) references p");
        assertEquals(List.of("conname", "c_pid_fkey", "c_pid_fkey1"),
                table("select conname from pg_constraint where conrelid = (select oid from pg_class where relname = 'c') order by 1"));
    }

    @Test
    void alterTableValidatesRows() {
        exec("create table p (id int primary key)", "insert into p values (1)",
                "create table c2 (id int, pid int)", "insert into c2 values (1, 99), (2, 1), (3, null)");
        detail(error("alter table c2 add constraint fk foreign key (pid) references p", "23503",
                "insert or update on table \"c2\" violates foreign key constraint \"fk\""),
                "Key (pid)=(99) is not present in table \"p\".");
        assertEquals(List.of("C ALTER TABLE"), run("alter table c2 add constraint fk foreign key (pid) references p not valid"));
        assertEquals(List.of("convalidated", "f"), table("select convalidated from pg_constraint where conname = 'fk'"));
        // new rows are checked all the same
        detail(error("insert into c2 values (4, 98)", "23503",
                "insert or update on table \"c2\" violates foreign key constraint \"fk\""),
                "Key (pid)=(98) is not present in table \"p\".");
        error("alter table c2 validate constraint fk", "23503",
                "insert or update on table \"c2\" violates foreign key constraint \"fk\"");
        exec("delete from c2 where pid = 99");
        assertEquals(List.of("C ALTER TABLE"), run("alter table c2 validate constraint fk"));
        assertEquals(List.of("convalidated", "t"), table("select convalidated from pg_constraint where conname = 'fk'"));
        error("alter table c2 validate constraint nope", "42704", "constraint \"nope\" of relation \"c2\" does not exist");
        assertEquals(List.of("C ALTER TABLE"), run("alter table c2 drop constraint fk"));
        assertEquals(List.of("C INSERT 0 1"), run("insert into c2 values (5, 12345)"));
        // ADD COLUMN ... REFERENCES
        assertEquals(List.of("C ALTER TABLE"), run("alter table c2 add column q int references p"));
        detail(error("insert into c2 (id, q) values (6, 2)", "23503",
                "insert or update on table \"c2\" violates foreign key constraint \"c2_q_fkey\""),
                "Key (q)=(2) is not present in table \"p\".");
        assertEquals(List.of("C INSERT 0 1"), run("insert into c2 (id, q) values (6, 1)"));
    }

    @Test
    void referentialActions() {
        exec("create table p (id int primary key, v text)",
                "create table c (id int primary key, pid int references p on delete cascade on update cascade)",
                "create table gc (id int, cid int references c on delete cascade on update set null)",
                "create table sn (id int, pid int default 2 references p on delete set null on update set default)",
                "insert into p values (1, 'a'), (2, 'b'), (3, 'c')",
                "insert into c values (10, 1), (11, 1), (12, 2)",
                "insert into gc values (100, 10), (101, 11), (102, 12)",
                "insert into sn values (1, 1), (2, 3)");
        assertEquals(List.of("C UPDATE 1"), run("update p set id = 4 where id = 1"));
        assertEquals(List.of("id|pid", "10|4", "11|4", "12|2"), table("select * from c order by id"));
        assertEquals(List.of("id|pid", "1|2", "2|3"), table("select * from sn order by id"));
        assertEquals(List.of("C UPDATE 1"), run("update p set id = 5 where id = 3"));
        assertEquals(List.of("id|pid", "1|2", "2|2"), table("select * from sn order by id"));
        assertEquals(List.of("C DELETE 1"), run("delete from p where id = 4"));
        assertEquals(List.of("id|pid", "12|2"), table("select * from c order by id"));
        assertEquals(List.of("id|cid", "102|12"), table("select * from gc order by id"));
        assertEquals(List.of("C UPDATE 1"), run("update c set id = 13 where id = 12"));
        assertEquals(List.of("id|cid", "102|"), table("select * from gc order by id"));
        assertEquals(List.of("C DELETE 1"), run("delete from p where id = 2"));
        assertEquals(List.of("id|pid", "1|", "2|"), table("select * from sn order by id"));
        assertEquals(List.of("count", "0"), table("select count(*) from c"));
        // SET DEFAULT to a value that is not there fails like an insert of it
        exec("create table sd (id int, pid int default 42 references p on delete set default)",
                "insert into sd values (1, 5)");
        detail(error("delete from p where id = 5", "23503",
                "insert or update on table \"sd\" violates foreign key constraint \"sd_pid_fkey\""),
                "Key (pid)=(42) is not present in table \"p\".");
        // SET NULL into a NOT NULL column
        exec("insert into p values (7, 'x')", "create table nn (id int, pid int not null references p on delete set null)",
                "insert into nn values (1, 7)");
        detail(error("delete from p where id = 7", "23502",
                "null value in column \"pid\" of relation \"nn\" violates not-null constraint"),
                "Failing row contains (1, null).");
        // RESTRICT reports as NO ACTION does
        exec("create table r (id int primary key)", "create table rr (rid int references r on delete restrict)",
                "insert into r values (1)", "insert into rr values (1)");
        detail(error("delete from r", "23503",
                "update or delete on table \"r\" violates foreign key constraint \"rr_rid_fkey\" on table \"rr\""),
                "Key (id)=(1) is still referenced from table \"rr\".");
        // a self-referencing cascade follows the chain
        exec("create table f (id int primary key, pid int references f on delete cascade)",
                "insert into f values (1, null), (2, 1), (3, 2), (4, 3)", "insert into f values (6, 5), (5, null)");
        assertEquals(List.of("C DELETE 1"), run("delete from f where id = 2"));
        assertEquals(List.of("id|pid", "1|", "5|", "6|5"), table("select * from f order by id"));
        assertEquals(List.of("confupdtype|confdeltype", "c|c"),
                table("select confupdtype, confdeltype from pg_constraint where conname = 'c_pid_fkey'"));
        assertEquals(List.of("confupdtype|confdeltype", "d|n"),
                table("select confupdtype, confdeltype from pg_constraint where conname = 'sn_pid_fkey'"));
    }

    @Test
    void dropAndTruncateDependencies() {
        exec("create table p (id int primary key, v text)", "create table c (id int, pid int references p)",
                "create table c3 (id int, pid int references p)", "insert into p values (1, 'a')",
                "insert into c values (1, 1)");
        PgException e = error("drop table p", "2BP01", "cannot drop table p because other objects depend on it");
        assertEquals("constraint c_pid_fkey on table c depends on table p\n"
                + "constraint c3_pid_fkey on table c3 depends on table p", e.detail());
        assertEquals("Use DROP ... CASCADE to drop the dependent objects too.", e.hint());
        e = error("alter table p drop constraint p_pkey", "2BP01",
                "cannot drop constraint p_pkey on table p because other objects depend on it");
        assertEquals("constraint c_pid_fkey on table c depends on index p_pkey\n"
                + "constraint c3_pid_fkey on table c3 depends on index p_pkey", e.detail());
        e = error("drop index p_pkey", "2BP01", "cannot drop index p_pkey because constraint p_pkey on table p requires it");
        e = error("truncate p", "0A000", "cannot truncate a table referenced in a foreign key constraint");
        assertEquals("Table \"c\" references \"p\".", e.detail());
        assertEquals("Truncate table \"c\" at the same time, or use TRUNCATE ... CASCADE.", e.hint());
        assertEquals(List.of("C TRUNCATE TABLE"), run("truncate p, c, c3"));
        exec("insert into p values (1, 'a')", "insert into c values (1, 1)");
        assertEquals(List.of("N NOTICE 00000 truncate cascades to table \"c\"",
                "N NOTICE 00000 truncate cascades to table \"c3\"", "C TRUNCATE TABLE"), run("truncate p cascade"));
        assertEquals(List.of("count", "0"), table("select count(*) from c"));
        // dropping a referencing table drops its constraint; then p has one referencer left
        assertEquals(List.of("C DROP TABLE"), run("drop table c3"));
        assertEquals(List.of("N NOTICE 00000 drop cascades to constraint c_pid_fkey on table c", "C DROP TABLE"),
                run("drop table p cascade"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_constraint where contype = 'f'"));
        assertEquals(List.of("C INSERT 0 1"), run("insert into c values (2, 77)"));
        // both tables of a statement: no CASCADE needed
        exec("create table p2 (id int primary key)", "create table c4 (pid int references p2)");
        assertEquals(List.of("C DROP TABLE"), run("drop table p2, c4"));
        // dropping the referenced column needs CASCADE
        exec("create table p3 (id int primary key)", "create table c5 (pid int references p3)");
        error("alter table p3 drop column id", "2BP01",
                "cannot drop column id of table p3 because other objects depend on it");
        assertEquals(List.of("N NOTICE 00000 drop cascades to constraint c5_pid_fkey on table c5", "C ALTER TABLE"),
                run("alter table p3 drop column id cascade"));
        assertEquals(List.of("C INSERT 0 1"), run("insert into c5 values (3)"));
    }

    @Test
    void transactionsAndUpsertsAreChecked() {
        exec("create table p (id int primary key)", "create table c (id int primary key, pid int references p)");
        // a row inserted earlier in the transaction is found; a delete in it is seen
        exec("begin", "insert into p values (1)", "insert into c values (1, 1)", "delete from c", "delete from p",
                "commit");
        assertEquals(List.of("count", "0"), table("select count(*) from p"));
        exec("insert into p values (1)");
        detail(error("insert into c values (1, 2) on conflict (id) do update set pid = excluded.pid", "23503",
                "insert or update on table \"c\" violates foreign key constraint \"c_pid_fkey\""),
                "Key (pid)=(2) is not present in table \"p\".");
        exec("insert into c values (1, 1)");
        detail(error("insert into c values (1, 3) on conflict (id) do update set pid = excluded.pid", "23503",
                "insert or update on table \"c\" violates foreign key constraint \"c_pid_fkey\""),
                "Key (pid)=(3) is not present in table \"p\".");
        exec("insert into p values (2)");
        assertEquals(List.of("C UPDATE 1"), run("update c set pid = 2"));
        error("delete from p where id = 2", "23503",
                "update or delete on table \"p\" violates foreign key constraint \"c_pid_fkey\" on table \"c\"");
    }

    /** PostgreSQL 15's outcomes when another transaction commits a conflicting change after the snapshot. */
    @Test
    void repeatableReadAsPostgres() {
        exec("create table p (id int primary key, v text)", "create table c (id int, pid int references p)",
                "create table cc (id int, pid int references p on delete cascade)",
                "insert into p values (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
        SqlSession other = engine.open(new SessionInfo(4545, "postgres", "postgres", new Peer(true, null, 0), Map.of()));
        try {
            // the referencing row committed after the snapshot still counts for NO ACTION: 23503
            exec("begin isolation level repeatable read", "select 1");
            other.simpleQuery("insert into c values (1, 1)", new RecordingSink());
            error("delete from p where id = 1", "23503",
                    "update or delete on table \"p\" violates foreign key constraint \"c_pid_fkey\" on table \"c\"");
            exec("rollback");
            // ... and a cascade cannot delete a row the snapshot does not see: 40001
            exec("begin isolation level repeatable read", "select 1");
            other.simpleQuery("insert into cc values (1, 2)", new RecordingSink());
            error("delete from p where id = 2", "40001", "could not serialize access due to concurrent update");
            exec("rollback");
            // the referenced row deleted after the snapshot: 40001
            exec("begin isolation level repeatable read", "select 1");
            other.simpleQuery("delete from p where id = 3", new RecordingSink());
            error("insert into c values (5, 3)", "40001", "could not serialize access due to concurrent update");
            exec("rollback");
            // a non-key update after the snapshot keeps the key: the insert goes in
            exec("begin isolation level repeatable read", "select 1");
            other.simpleQuery("update p set v = 'x' where id = 4", new RecordingSink());
            assertEquals(List.of("C INSERT 0 1"), run("insert into c values (5, 4)"));
            exec("commit");
            assertEquals(List.of("id|pid", "1|1", "5|4"), table("select * from c order by id"));
            assertEquals(List.of("id|pid", "1|2"), table("select * from cc"));
        } finally {
            other.close();
        }
    }
}
