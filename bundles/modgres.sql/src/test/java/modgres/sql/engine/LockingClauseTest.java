package modgres.sql.engine;

import org.junit.jupiter.api.Test;

/** FOR UPDATE/SHARE where PostgreSQL 15 refuses it: its 0A000 texts, clause by clause. */
class LockingClauseTest extends DataEngineTestBase {

    @Test
    void refusedWhereRowsDoNotMapToTableRows() {
        exec("create table lk (a int)");
        error("select count(*) from lk for update", "0A000", "FOR UPDATE is not allowed with aggregate functions");
        error("select a from lk group by a for share", "0A000", "FOR SHARE is not allowed with GROUP BY clause");
        error("select distinct a from lk for update", "0A000", "FOR UPDATE is not allowed with DISTINCT clause");
        error("select distinct on (a) a from lk for no key update", "0A000",
                "FOR NO KEY UPDATE is not allowed with DISTINCT clause");
        error("select 1 from lk having count(*) > 0 for key share", "0A000",
                "FOR KEY SHARE is not allowed with HAVING clause");
        error("select count(*) from lk group by a for update", "0A000",
                "FOR UPDATE is not allowed with GROUP BY clause");
        error("select row_number() over () from lk for update", "0A000",
                "FOR UPDATE is not allowed with window functions");
        error("select a from lk union select a from lk for update", "0A000",
                "FOR UPDATE is not allowed with UNION/INTERSECT/EXCEPT");
    }
}
