package modgres.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.sql.ast.AlterTableCmd;
import modgres.sql.ast.ColumnDef;
import modgres.sql.ast.Constraint;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.Dml;
import modgres.sql.ast.Expr;
import modgres.sql.ast.FromItem;
import modgres.sql.ast.IntoClause;
import modgres.sql.ast.LockingClause;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SortBy;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.ast.Statement;
import modgres.sql.ast.TransactionMode;
import modgres.sql.ast.Utility;

class StatementTest {

    private static <T> T parse(Class<T> type, String sql) {
        return assertInstanceOf(type, SqlParser.parseStatement(sql));
    }

    private static String canon(String sql) {
        return SqlDeparser.deparse(SqlParser.parseStatement(sql));
    }

    // ------------------------------------------------------- statement list

    @Test
    void statementsAndTheirSpans() {
        String sql = "  select 1;;\n-- c\nSELECT 2 ; insert into t values (';') ;";
        List<ParsedStatement> list = SqlParser.parse(sql);
        assertEquals(3, list.size());
        assertEquals("select 1", list.get(0).text());
        assertEquals(3, list.get(0).position());
        assertEquals("SELECT 2", list.get(1).text());
        assertEquals("insert into t values (';')", list.get(2).text());
        assertEquals(List.of(), SqlParser.parse(" ; -- nothing\n"));
    }

    @Test
    void aStringHoldsExactlyOneStatementForParse() {
        assertInstanceOf(SelectStmt.class, SqlParser.parseStatement("select 1;"));
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class,
                () -> SqlParser.parseStatement("select 1; select 2"));
        assertEquals("cannot insert multiple commands into a prepared statement", e.getMessage());
    }

    @Test
    void unsupportedKindsAreRecognisedAndSkipped() {
        List<ParsedStatement> list = SqlParser.parse(
                "create function f() returns int as $$ select 1; $$ language sql; create trigger t before insert "
                        + "on x for each row execute function f(); merge into t using s on true when matched then "
                        + "delete; select 1");
        assertEquals(4, list.size());
        // CREATE FUNCTION and CREATE TRIGGER are parsed (RoutineParser); the body stays text
        assertEquals(" select 1; ", assertInstanceOf(modgres.sql.ast.Ddl.CreateFunction.class,
                list.get(0).statement()).body());
        assertEquals("t", assertInstanceOf(modgres.sql.ast.Ddl.CreateTrigger.class, list.get(1).statement()).name());
        assertEquals("MERGE", assertInstanceOf(Utility.Unsupported.class, list.get(2).statement()).kind());
        assertTrue(list.get(0).text().endsWith("language sql"));
        assertInstanceOf(SelectStmt.class, list.get(3).statement());
    }

    @Test
    void noticesOfTheScanner() {
        SqlParser.Result r = SqlParser.parseWithNotices("select 1 as " + "x".repeat(64));
        assertEquals(1, r.notices().size());
        assertEquals("42622", r.notices().get(0).sqlState());
    }

    // --------------------------------------------------------------- SELECT

    @Test
    void unreservedKeywordsAreColumnNames() {
        SelectStmt s = parse(SelectStmt.class, "select name, type, action, year, position from t");
        SelectStmt.Simple simple = assertInstanceOf(SelectStmt.Simple.class, s.body());
        assertEquals(5, simple.targets().size());
        assertEquals(List.of("type"), ((Expr.ColumnRef) simple.targets().get(1).value()).fields());
    }

    @Test
    void bareColumnLabels() {
        assertEquals("SELECT 1 AS x, 2 AS \"is\", 3 AS \"and\", a IS NULL AS y", canon("select 1 x, 2 is, 3 and, a is null y"));
        assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select 1 from"));
        assertThrows(SqlSyntaxException.class, () -> SqlParser.parse("select 1 over"));
    }

    @Test
    void selectClauses() {
        SelectStmt s = parse(SelectStmt.class, "select distinct on (a) a, b.* from t as x(a, b) where a > 1 "
                + "group by a having count(*) > 1 window w as (order by a) order by a desc nulls first, b using < "
                + "limit 5 offset 10 for update of x skip locked");
        SelectStmt.Simple q = (SelectStmt.Simple) s.body();
        assertTrue(q.distinct());
        assertEquals(1, q.distinctOn().size());
        assertTrue(((Expr.ColumnRef) q.targets().get(1).value()).star());
        RangeVar t = (RangeVar) q.from().get(0);
        assertEquals("x", t.alias().name());
        assertEquals(List.of("a", "b"), t.alias().columns());
        assertEquals("w", q.windows().get(0).name());
        assertEquals(SortBy.Direction.DESC, s.orderBy().get(0).direction());
        assertEquals(SortBy.Nulls.FIRST, s.orderBy().get(0).nulls());
        assertEquals("<", s.orderBy().get(1).usingOp().name());
        assertEquals("5", ((Expr.Constant) s.limitCount()).value());
        assertEquals(LockingClause.WaitPolicy.SKIP_LOCKED, s.locking().get(0).waitPolicy());
    }

    @Test
    void setOperationPrecedence() {
        assertEquals("(SELECT 1 UNION (SELECT 2 INTERSECT SELECT 3)) EXCEPT SELECT 4",
                canon("select 1 union select 2 intersect select 3 except select 4"));
        SelectStmt s = parse(SelectStmt.class, "select 1 union all select 2 order by 1 limit 1");
        SelectStmt.SetOp op = assertInstanceOf(SelectStmt.SetOp.class, s.body());
        assertTrue(op.all());
        assertEquals(1, s.orderBy().size(), "ORDER BY applies to the whole set operation");
        assertEquals("(SELECT 1 ORDER BY 1 LIMIT 2) UNION SELECT 2",
                canon("(select 1 order by 1 limit 2) union select 2"));
    }

    @Test
    void joins() {
        SelectStmt s = parse(SelectStmt.class, "select * from a join b join c on x on y left join d using (k) as j, "
                + "e natural full join f cross join g");
        SelectStmt.Simple q = (SelectStmt.Simple) s.body();
        FromItem.Join left = assertInstanceOf(FromItem.Join.class, q.from().get(0));
        assertEquals(FromItem.JoinType.LEFT, left.type());
        assertEquals("j", left.usingAlias().name());
        FromItem.Join inner = assertInstanceOf(FromItem.Join.class, left.left());
        assertInstanceOf(FromItem.Join.class, inner.right(), "a JOIN (b JOIN c ON x) ON y");
        FromItem.Join cross = assertInstanceOf(FromItem.Join.class, q.from().get(1));
        assertEquals(FromItem.JoinType.CROSS, cross.type());
        assertTrue(((FromItem.Join) cross.left()).natural());
        assertEquals("SELECT * FROM a JOIN (b JOIN c ON x) ON y", canon("select * from a join b join c on x on y"));
    }

    @Test
    void fromItems() {
        SelectStmt s = parse(SelectStmt.class, "select * from lateral (select 1) s, generate_series(1, 3) with "
                + "ordinality g(i, n), rows from (f(), g() as (a int)) r, only t, u *, f() as (x text)");
        SelectStmt.Simple q = (SelectStmt.Simple) s.body();
        assertTrue(assertInstanceOf(FromItem.Subselect.class, q.from().get(0)).lateral());
        FromItem.Function g = assertInstanceOf(FromItem.Function.class, q.from().get(1));
        assertTrue(g.ordinality());
        assertEquals(List.of("i", "n"), g.alias().columns());
        FromItem.Function r = assertInstanceOf(FromItem.Function.class, q.from().get(2));
        assertTrue(r.rowsFrom());
        assertEquals(1, r.functions().get(1).columnDefs().size());
        assertFalse(assertInstanceOf(RangeVar.class, q.from().get(3)).inherit());
        assertTrue(assertInstanceOf(RangeVar.class, q.from().get(4)).inherit());
        assertEquals(1, assertInstanceOf(FromItem.Function.class, q.from().get(5)).columnDefs().size());
    }

    @Test
    void withClause() {
        SelectStmt s = parse(SelectStmt.class, "with recursive t(n) as not materialized (values (1)), "
                + "d as (delete from x returning *) select * from t, d");
        assertTrue(s.with().recursive());
        assertEquals(List.of("n"), s.with().ctes().get(0).columns());
        assertInstanceOf(Dml.Delete.class, s.with().ctes().get(1).query());
    }

    @Test
    void selectInto() {
        SelectStmt s = parse(SelectStmt.class, "select * into unlogged table t2 from t");
        IntoClause into = ((SelectStmt.Simple) s.body()).into();
        assertEquals(IntoClause.Persistence.UNLOGGED, into.persistence());
        assertEquals("t2", into.relation().name());
    }

    @Test
    void limitForms() {
        assertEquals("SELECT * FROM t LIMIT ALL OFFSET 3", canon("select * from t offset 3 rows limit all"));
        assertEquals("SELECT * FROM t LIMIT 1", canon("select * from t fetch first row only"));
        assertEquals("SELECT * FROM t ORDER BY a FETCH FIRST (-1) ROWS WITH TIES",
                canon("select * from t order by a fetch next -1 rows with ties"));
    }

    // ------------------------------------------------------------------ DML

    @Test
    void insert() {
        Dml.Insert i = parse(Dml.Insert.class, "insert into s.t as x (a, b[1]) values (1, default), (2, 3) "
                + "on conflict (a) where a > 0 do update set b = excluded.b returning a");
        assertEquals("s", i.relation().schema());
        assertEquals("x", i.relation().alias().name());
        assertEquals(2, i.columns().size());
        assertEquals(1, i.columns().get(1).indirection().size());
        SelectStmt.Values v = assertInstanceOf(SelectStmt.Values.class, i.source().body());
        assertInstanceOf(Expr.Default.class, v.rows().get(0).get(1));
        assertTrue(i.onConflict().doUpdate());
        assertEquals(1, i.returning().size());
        assertNull(parse(Dml.Insert.class, "insert into t default values").source());
    }

    @Test
    void update() {
        Dml.Update u = parse(Dml.Update.class, "update only t x set a = 1, (b, c) = (select 1, 2) from u "
                + "where current of cur returning *");
        assertFalse(u.relation().inherit());
        assertEquals("x", u.relation().alias().name());
        assertTrue(u.set().get(1).multi());
        assertEquals("cur", assertInstanceOf(Expr.CurrentOf.class, u.where()).cursor());
    }

    @Test
    void delete() {
        Dml.Delete d = parse(Dml.Delete.class, "delete from t using u where t.a = u.a returning t.*");
        assertEquals(1, d.using().size());
        assertEquals(1, d.returning().size());
    }

    // ------------------------------------------------------------------ DDL

    @Test
    void createTable() {
        Ddl.CreateTable t = parse(Ddl.CreateTable.class, "create temp table if not exists t ("
                + "id bigint generated always as identity primary key, "
                + "name varchar(20) not null default 'x', "
                + "p numeric(10,2) check (p > 0), "
                + "r int references u (id) on delete cascade, "
                + "constraint uq unique (name, p)) with (fillfactor=70, autovacuum_enabled=false) on commit drop");
        assertEquals(IntoClause.Persistence.TEMPORARY, t.persistence());
        assertTrue(t.ifNotExists());
        ColumnDef id = (ColumnDef) t.elements().get(0);
        assertInstanceOf(Constraint.Identity.class, id.constraints().get(0).spec());
        assertInstanceOf(Constraint.PrimaryKey.class, id.constraints().get(1).spec());
        ColumnDef name = (ColumnDef) t.elements().get(1);
        assertEquals(List.of("pg_catalog", "varchar"), name.type().names());
        assertEquals(Constraint.FkAction.CASCADE, ((Constraint.ForeignKey) ((ColumnDef) t.elements().get(3))
                .constraints().get(0).spec()).onDelete());
        Constraint uq = (Constraint) t.elements().get(4);
        assertEquals("uq", uq.name());
        assertEquals("fillfactor", t.options().get(0).name());
        assertEquals("70", ((DefElem.Num) t.options().get(0).value()).value());
        assertEquals("false", t.options().get(1).stringValue());
        assertEquals(IntoClause.OnCommit.DROP, t.onCommit());
    }

    @Test
    void createTableAs() {
        Ddl.CreateTableAs t = parse(Ddl.CreateTableAs.class, "create table t (a, b) as select 1, 2 with no data");
        assertEquals(List.of("a", "b"), t.into().columns());
        assertFalse(t.withData());
        assertInstanceOf(Utility.Execute.class,
                parse(Ddl.CreateTableAs.class, "create table t as execute p(1)").query());
    }

    @Test
    void alterTable() {
        Ddl.AlterTable a = parse(Ddl.AlterTable.class, "alter table t add column c int, drop column d, "
                + "add constraint pk primary key (a), alter column a set default 1, alter column b drop not null, "
                + "alter column c type text using c::text, set (fillfactor = 50)");
        assertEquals(7, a.commands().size());
        assertInstanceOf(AlterTableCmd.AddColumn.class, a.commands().get(0));
        assertInstanceOf(AlterTableCmd.ColumnType.class, a.commands().get(5));
        Ddl.Rename r = parse(Ddl.Rename.class, "alter table t rename column a to b");
        assertEquals("a", r.subname());
        assertEquals("b", r.newName());
    }

    @Test
    void createIndex() {
        Ddl.CreateIndex i = parse(Ddl.CreateIndex.class, "create unique index concurrently if not exists i on t "
                + "using btree (a desc nulls last, lower(b), (c + 1)) include (d) where a > 0");
        assertTrue(i.unique() && i.concurrently() && i.ifNotExists());
        assertEquals("btree", i.accessMethod());
        assertEquals(3, i.elements().size());
        assertEquals(SortBy.Direction.DESC, i.elements().get(0).direction());
        assertInstanceOf(Expr.FuncCall.class, i.elements().get(1).expr());
        assertEquals("d", i.include().get(0).name());
    }

    @Test
    void rolesGrantsAndComments() {
        Ddl.CreateRole r = parse(Ddl.CreateRole.class, "create user u with login password 'p' superuser");
        assertEquals(Ddl.RoleKind.USER, r.kind());
        assertEquals(List.of("canlogin", "password", "superuser"), r.options().stream().map(DefElem::name).toList());
        Ddl.Grant g = parse(Ddl.Grant.class, "grant select, update (a) on t to bob with grant option");
        assertEquals(2, g.privileges().size());
        assertTrue(g.grantOption());
        Ddl.Comment c = parse(Ddl.Comment.class, "comment on column s.t.c is 'x'");
        assertEquals(List.of("s", "t", "c"), c.object().name());
    }

    // -------------------------------------------------------------- utility

    @Test
    void transactions() {
        Utility.Transaction b = parse(Utility.Transaction.class,
                "begin isolation level repeatable read, read only not deferrable");
        assertEquals(3, b.modes().size());
        assertEquals(TransactionMode.IsolationLevel.REPEATABLE_READ, b.modes().get(0).level());
        assertEquals(Utility.TransactionKind.COMMIT, parse(Utility.Transaction.class, "end").kind());
        assertEquals(Utility.TransactionKind.ROLLBACK, parse(Utility.Transaction.class, "abort work").kind());
        Utility.Transaction rt = parse(Utility.Transaction.class, "rollback to sp");
        assertEquals(Utility.TransactionKind.ROLLBACK_TO, rt.kind());
        assertEquals("sp", rt.name());
        assertTrue(parse(Utility.Transaction.class, "commit and chain").chain());
    }

    @Test
    void settings() {
        Utility.VariableSet s = parse(Utility.VariableSet.class, "set local search_path = a, 'b'");
        assertTrue(s.local());
        assertEquals("search_path", s.name());
        assertEquals(2, s.values().size());
        assertEquals("timezone", parse(Utility.VariableSet.class, "set time zone 'UTC'").name());
        assertEquals(Utility.SetKind.DEFAULT, parse(Utility.VariableSet.class, "set work_mem to default").kind());
        assertEquals(Utility.SetKind.RESET_ALL, parse(Utility.VariableSet.class, "reset all").kind());
        assertEquals("transaction_isolation",
                parse(Utility.Show.class, "show transaction isolation level").name());
        assertTrue(parse(Utility.SetTransaction.class, "set session characteristics as transaction read only")
                .sessionCharacteristics());
    }

    @Test
    void preparedStatements() {
        Utility.Prepare p = parse(Utility.Prepare.class, "prepare q (int, text) as select $1, $2");
        assertEquals(2, p.argTypes().size());
        Utility.Execute e = parse(Utility.Execute.class, "execute q(1, 'a')");
        assertEquals(2, e.params().size());
        assertNull(parse(Utility.Deallocate.class, "deallocate all").name());
    }

    @Test
    void explainVacuumCopy() {
        Utility.Explain x = parse(Utility.Explain.class, "explain (analyze, format json) select 1");
        assertEquals("format", x.options().get(1).name());
        Utility.Vacuum v = parse(Utility.Vacuum.class, "vacuum full analyze t (a, b)");
        assertEquals(List.of("full", "analyze"), v.options().stream().map(DefElem::name).toList());
        assertEquals(List.of("a", "b"), v.relations().get(0).columns());
        Utility.Copy c = parse(Utility.Copy.class, "copy t (a) from stdin with csv header delimiter ';'");
        assertTrue(c.from());
        assertNull(c.filename());
        assertEquals(List.of("format", "header", "delimiter"), c.options().stream().map(DefElem::name).toList());
        Utility.Copy q = parse(Utility.Copy.class, "copy (select 1) to stdout (format binary)");
        assertInstanceOf(SelectStmt.class, q.query());
    }

    @Test
    void otherUtilities() {
        assertEquals(Utility.LockMode.SHARE_ROW_EXCLUSIVE,
                parse(Utility.Lock.class, "lock t in share row exclusive mode").mode());
        assertEquals("ch", parse(Utility.Notify.class, "notify ch, 'x'").channel());
        assertNull(parse(Utility.Unlisten.class, "unlisten *").channel());
        assertEquals("plpgsql", parse(Utility.Do.class, "do language plpgsql $$ begin end $$").language());
        assertEquals("work_mem", parse(Utility.AlterSystem.class, "alter system set work_mem = '1MB'").set().name());
        assertEquals(Utility.DiscardTarget.ALL, parse(Utility.Discard.class, "discard all").target());
        assertInstanceOf(Utility.Checkpoint.class, SqlParser.parseStatement("checkpoint"));
        assertEquals(Utility.Fetch.ALL, parse(Utility.Fetch.class, "fetch all from c").count());
    }

    @Test
    void everyStatementNodeHasItsPosition() {
        Statement s = SqlParser.parse("select 1;\n  update t set a = 1").get(1).statement();
        assertEquals(13, s.position());
    }
}
