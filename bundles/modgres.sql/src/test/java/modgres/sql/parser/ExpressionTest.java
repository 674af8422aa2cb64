package modgres.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import modgres.sql.ast.Expr;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.ast.TypeName;

/**
 * Operator precedence and associativity as in PostgreSQL 15's grammar, shown
 * through the deparser, which parenthesises every compound operand.
 */
class ExpressionTest {

    private static String canon(String expr) {
        return SqlDeparser.deparse(SqlParser.parseExpression(expr));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "⇒", quoteCharacter = '`', textBlock = """
            a + b * c                   ⇒ a + (b * c)
            a * b + c                   ⇒ (a * b) + c
            a - b - c                   ⇒ (a - b) - c
            2 ^ 3 ^ 2                   ⇒ (2 ^ 3) ^ 2
            -2 ^ 2                      ⇒ (-2) ^ 2
            - a ^ 2                     ⇒ (- a) ^ 2
            -a::int                     ⇒ - a::integer
            a || b + c                  ⇒ a || (b + c)
            a + b || c                  ⇒ (a + b) || c
            a || b = c                  ⇒ (a || b) = c
            @ a + b                     ⇒ @ (a + b)
            @ a @ b                     ⇒ (@ a) @ b
            a = b is null               ⇒ (a = b) IS NULL
            a is null = b               ⇒ (a IS NULL) = b
            not a = b                   ⇒ NOT (a = b)
            not a and b                 ⇒ (NOT a) AND b
            a or b and c                ⇒ a OR (b AND c)
            a and b or c                ⇒ (a AND b) OR c
            a or b or c                 ⇒ a OR b OR c
            a and (b and c)             ⇒ a AND (b AND c)
            a between b and c and d     ⇒ (a BETWEEN b AND c) AND d
            a between b + 1 and c       ⇒ a BETWEEN (b + 1) AND c
            a not between symmetric 1 and 2 ⇒ a NOT BETWEEN SYMMETRIC 1 AND 2
            a = b like c                ⇒ a = (b LIKE c)
            a like b escape c           ⇒ a LIKE b ESCAPE c
            a not ilike b || c          ⇒ a NOT ILIKE (b || c)
            a similar to b              ⇒ a SIMILAR TO b
            a in (1, 2) = b             ⇒ (a IN (1, 2)) = b
            true in (true) in (true)    ⇒ (TRUE IN (TRUE)) IN (TRUE)
            a is not distinct from b + 1 ⇒ a IS NOT DISTINCT FROM (b + 1)
            a isnull                    ⇒ a IS NULL
            a notnull                   ⇒ a IS NOT NULL
            a is not true               ⇒ a IS NOT TRUE
            a is unknown                ⇒ a IS UNKNOWN
            a = any(b)                  ⇒ a = ANY (b)
            a <> all(array[1])          ⇒ a <> ALL (ARRAY[1])
            a not like some(b)          ⇒ a !~~ ANY (b)
            b + a = any(c)              ⇒ (b + a) = ANY (c)
            a at time zone 'utc' + b    ⇒ (a AT TIME ZONE 'utc') + b
            a + b at time zone 'utc'    ⇒ a + (b AT TIME ZONE 'utc')
            a || b collate "C"          ⇒ a || (b COLLATE "C")
            -a collate "C"              ⇒ (- a) COLLATE "C"
            a::text::int                ⇒ a::text::integer
            (a + b)::text               ⇒ (a + b)::text
            a operator(pg_catalog.+) b * c ⇒ a OPERATOR(pg_catalog.+) (b * c)
            - (-1)                      ⇒ 1
            - 2147483648                ⇒ -2147483648
            1 - -1                      ⇒ 1 - (-1)
            """)
    void precedence(String input, String expected) {
        assertEquals(expected, canon(input));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "⇒", quoteCharacter = '`', textBlock = """
            a = b = c                   ⇒ syntax error at or near "="
            a like b like c             ⇒ syntax error at or near "like"
            a < b > c                   ⇒ syntax error at or near ">"
            a is distinct from b is null ⇒ syntax error at or near "is"
            """)
    void nonAssociativeOperators(String input, String message) {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> SqlParser.parseExpression(input));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "⇒", quoteCharacter = '`', textBlock = """
            numeric(10,2)                          ⇒ numeric(10, 2)
            decimal                                ⇒ numeric
            varchar(20)                            ⇒ character varying(20)
            char(3)                                ⇒ character(3)
            char                                   ⇒ character(1)
            national character varying(4)          ⇒ character varying(4)
            bit                                    ⇒ bit(1)
            bit varying(5)                         ⇒ bit varying(5)
            timestamp(3) with time zone            ⇒ timestamp(3) with time zone
            timestamp                              ⇒ timestamp without time zone
            time with time zone                    ⇒ time with time zone
            interval                               ⇒ interval
            interval(2)                            ⇒ interval(2)
            interval day to second(3)              ⇒ interval day to second(3)
            interval year to month                 ⇒ interval year to month
            double precision                       ⇒ double precision
            float(24)                              ⇒ real
            float(25)                              ⇒ double precision
            int[]                                  ⇒ integer[]
            integer array                          ⇒ integer[]
            integer array[4]                       ⇒ integer[4]
            text[][3]                              ⇒ text[][3]
            setof int                              ⇒ SETOF integer
            int4                                   ⇒ int4
            pg_catalog.int4                        ⇒ integer
            "char"                                 ⇒ "char"
            myschema.mytype(1, 'x')                ⇒ myschema.mytype(1, 'x')
            t.c%type                               ⇒ t.c%TYPE
            """)
    void typeNames(String input, String expected) {
        assertEquals(expected, SqlDeparser.deparse(SqlParser.parseTypeName(input)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "⇒", quoteCharacter = '`', textBlock = """
            date '2024-01-01'                      ⇒ '2024-01-01'::date
            interval '1 day'                       ⇒ '1 day'::interval
            interval '1' day                       ⇒ '1'::interval day
            interval '1' minute to second(2)       ⇒ '1'::interval minute to second(2)
            interval(3) '1'                        ⇒ '1'::interval(3)
            char 'abc'                             ⇒ 'abc'::pg_catalog.bpchar
            timestamp with time zone '2024-01-01'  ⇒ '2024-01-01'::timestamp with time zone
            int '1'                                ⇒ '1'::integer
            pg_catalog.text 'x'                    ⇒ 'x'::pg_catalog.text
            cast(a as varchar(3))                  ⇒ a::character varying(3)
            '{1,2}'::int[]                         ⇒ '{1,2}'::integer[]
            """)
    void typedLiteralsAndCasts(String input, String expected) {
        assertEquals(expected, canon(input));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "⇒", quoteCharacter = '`', textBlock = """
            count(*)                                        ⇒ count(*)
            count(distinct x)                               ⇒ count(DISTINCT x)
            string_agg(x, ',' order by y desc)              ⇒ string_agg(x, ',' ORDER BY y DESC)
            percentile_cont(0.5) within group (order by x)  ⇒ percentile_cont(0.5) WITHIN GROUP (ORDER BY x)
            sum(x) filter (where x > 0)                     ⇒ sum(x) FILTER (WHERE x > 0)
            rank() over (partition by a order by b)         ⇒ rank() OVER (PARTITION BY a ORDER BY b)
            sum(x) over w                                   ⇒ sum(x) OVER w
            sum(x) over (w rows unbounded preceding)        ⇒ sum(x) OVER (w ROWS UNBOUNDED PRECEDING)
            f(variadic array[1, 2])                         ⇒ f(VARIADIC ARRAY[1, 2])
            f(a => 1, b := 2)                               ⇒ f(a => 1, b => 2)
            s.f()                                           ⇒ s.f()
            "left"('abc', 1)                                ⇒ "left"('abc', 1)
            left('abc', 1)                                  ⇒ "left"('abc', 1)
            extract(year from d)                            ⇒ EXTRACT(year FROM d)
            extract(epoch from d)                           ⇒ EXTRACT(epoch FROM d)
            position('b' in 'abc')                          ⇒ POSITION('b' IN 'abc')
            substring(s from 2 for 3)                       ⇒ SUBSTRING(s FROM 2 FOR 3)
            substring(s for 3)                              ⇒ SUBSTRING(s FOR 3)
            substring(s, 2)                                 ⇒ "substring"(s, 2)
            substring(s similar 'a' escape '#')             ⇒ SUBSTRING(s SIMILAR 'a' ESCAPE '#')
            trim(both 'x' from s)                           ⇒ TRIM(BOTH 'x' FROM s)
            trim(leading from s)                            ⇒ TRIM(LEADING FROM s)
            trim(s)                                         ⇒ TRIM(BOTH FROM s)
            overlay(s placing 'x' from 2 for 1)             ⇒ OVERLAY(s PLACING 'x' FROM 2 FOR 1)
            coalesce(a, b, c)                               ⇒ COALESCE(a, b, c)
            nullif(a, b)                                    ⇒ NULLIF(a, b)
            greatest(a, b)                                  ⇒ GREATEST(a, b)
            least(a, b)                                     ⇒ LEAST(a, b)
            current_timestamp(3)                            ⇒ CURRENT_TIMESTAMP(3)
            current_date                                    ⇒ CURRENT_DATE
            localtime                                       ⇒ LOCALTIME
            current_user                                    ⇒ CURRENT_USER
            session_user                                    ⇒ SESSION_USER
            user                                            ⇒ USER
            current_role                                    ⇒ CURRENT_ROLE
            current_catalog                                 ⇒ CURRENT_CATALOG
            current_schema                                  ⇒ CURRENT_SCHEMA
            current_schema()                                ⇒ "current_schema"()
            collation for (a)                               ⇒ COLLATION FOR (a)
            normalize(a, nfkc)                              ⇒ NORMALIZE(a, NFKC)
            a is not nfd normalized                         ⇒ NOT (a IS NFD NORMALIZED)
            grouping(a, b)                                  ⇒ GROUPING(a, b)
            (a, b) overlaps (c, d)                          ⇒ (a, b) OVERLAPS (c, d)
            """)
    void functionCalls(String input, String expected) {
        assertEquals(expected, canon(input));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "⇒", quoteCharacter = '`', textBlock = """
            row(1, 2)                              ⇒ ROW(1, 2)
            row()                                  ⇒ ROW()
            (1, 2)                                 ⇒ (1, 2)
            array[1, 2]                            ⇒ ARRAY[1, 2]
            array[[1, 2], [3, 4]]                  ⇒ ARRAY[[1, 2], [3, 4]]
            array[]                                ⇒ ARRAY[]
            array(select 1)                        ⇒ ARRAY(SELECT 1)
            a[1]                                   ⇒ a[1]
            a[1:2][3]                              ⇒ a[1:2][3]
            a[:2]                                  ⇒ a[:2]
            a[2:]                                  ⇒ a[2:]
            t.a[1].f                               ⇒ t.a[1].f
            (x).f                                  ⇒ (x).f
            (x).*                                  ⇒ (x).*
            (f(x)).a[1]                            ⇒ (f(x)).a[1]
            $1[2]                                  ⇒ $1[2]
            (select array[1])[1]                   ⇒ (SELECT ARRAY[1])[1]
            exists (select 1)                      ⇒ EXISTS (SELECT 1)
            a in (select b from t)                 ⇒ a IN (SELECT b FROM t)
            a not in (select b from t)             ⇒ NOT (a IN (SELECT b FROM t))
            a > all (select b from t)              ⇒ a > ALL (SELECT b FROM t)
            a = some (select b from t)             ⇒ a = ANY (SELECT b FROM t)
            (select 1) + 1                         ⇒ (SELECT 1) + 1
            ((select 1) + 1)                       ⇒ (SELECT 1) + 1
            ((select 1) union (select 2))          ⇒ (SELECT 1 UNION SELECT 2)
            case when a then 1 else 2 end          ⇒ CASE WHEN a THEN 1 ELSE 2 END
            case a when 1 then 'x' end             ⇒ CASE a WHEN 1 THEN 'x' END
            t.*                                    ⇒ t.*
            s.t.c                                  ⇒ s.t.c
            "Col"                                  ⇒ "Col"
            e'it''s'                               ⇒ 'it''s'
            b'101'                                 ⇒ B'101'
            x'FF'                                  ⇒ X'FF'
            true                                   ⇒ TRUE
            null                                   ⇒ NULL
            $3                                     ⇒ $3
            1.5e10                                 ⇒ 1.5e10
            """)
    void primaries(String input, String expected) {
        assertEquals(expected, canon(input));
    }

    @Test
    void positionsOfNodes() {
        Expr e = SqlParser.parseExpression("a + f(b, 'x')::text");
        Expr.BinaryOp plus = assertInstanceOf(Expr.BinaryOp.class, e);
        assertEquals(3, plus.position(), "an operator expression is located at its operator, as in PostgreSQL");
        assertEquals(1, plus.left().position());
        Expr.TypeCast cast = assertInstanceOf(Expr.TypeCast.class, plus.right());
        assertEquals(14, cast.position());
        Expr.FuncCall f = assertInstanceOf(Expr.FuncCall.class, cast.arg());
        assertEquals(5, f.position());
        assertEquals(10, f.args().get(1).position());
        TypeName t = cast.type();
        assertEquals(16, t.position());
    }

    @Test
    void constantsKeepTheirKinds() {
        assertEquals(Expr.ConstKind.INTEGER, ((Expr.Constant) SqlParser.parseExpression("-2147483648")).kind());
        assertEquals(Expr.ConstKind.NUMERIC, ((Expr.Constant) SqlParser.parseExpression("2147483648")).kind());
        assertEquals(Expr.ConstKind.NUMERIC, ((Expr.Constant) SqlParser.parseExpression("1.0")).kind());
        assertEquals("-1.5", ((Expr.Constant) SqlParser.parseExpression("-1.5")).value());
        Expr.FuncCall trim = (Expr.FuncCall) SqlParser.parseExpression("trim(trailing 'x' from s)");
        assertEquals(List.of("pg_catalog", "rtrim"), trim.name());
    }
}
