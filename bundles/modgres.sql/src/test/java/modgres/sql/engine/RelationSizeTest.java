package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** pg_relation_size and its family: bytes in the relation's files, as PostgreSQL measures them. */
class RelationSizeTest extends DataEngineTestBase {

    private long scalar(String sql) {
        return Long.parseLong(table(sql).get(1));
    }

    @Test
    void sizesOfTablesAndTheirIndexes() {
        exec("create table sz (id int primary key, b text)");
        assertEquals(0, scalar("select pg_relation_size('sz')"), "a new table has an empty file");
        exec("insert into sz select g, md5(g::text) from generate_series(1, 1000) g");
        long main = scalar("select pg_relation_size('sz')");
        // 1000 rows of 4 + 33 bytes and a 24-byte header: 9 pages of 8 kB, as in PostgreSQL 15
        assertEquals(9 * 8192, main);
        assertEquals(main, scalar("select pg_relation_size('sz', 'main')"));
        long indexes = scalar("select pg_indexes_size('sz')");
        assertEquals(scalar("select pg_relation_size('sz_pkey')"), indexes);
        assertTrue(indexes > 0);
        assertEquals(scalar("select pg_table_size('sz')") + indexes, scalar("select pg_total_relation_size('sz')"));
        assertEquals(List.of("?column?", "t"), table("select pg_relation_size(0) is null"));
        error("select pg_relation_size('sz', 'nope')", "22023", "invalid fork name");
        assertTrue(scalar("select pg_database_size(current_database())") > main + indexes);
        error("select pg_database_size('nope')", "3D000", "database \"nope\" does not exist");
    }
}
