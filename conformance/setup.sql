--
-- Modgres conformance setup: replaces PostgreSQL's sql/test_setup.sql (and
-- the indexes that create_index.sql adds to the same tables) for the subset
-- of the regression suite in ../shared/conformance/pg_regress.
--
-- test_setup.sql cannot run unchanged against another server: it loads the
-- C library regress.so and COPYs the data files by server-side paths. This
-- file creates the same tables with the same definitions and rows, but only
-- those that the tests in sql/ use, and loads the data files through psql's
-- client-side \copy, so the server needs no access to them.
--
-- Run it with psql from the data/ directory (run.sh does), e.g.
--
--   cd ../shared/conformance/pg_regress/data && psql -X -q -f /abs/path/setup.sql
--
-- The data files are named relative to psql's working directory because
-- \copy takes the rest of its line literally (no variable interpolation),
-- so a path cannot be passed in as a psql variable. psql features it relies
-- on: \copy table from 'file' (COPY ... FROM STDIN on the wire, text format).
--
-- When a test needs another table of test_setup.sql (FLOAT8_TBL, POINT_TBL,
-- tenk2, road, ...), copy its definition from test_setup.sql here.
--

SET synchronous_commit = on;

-- Postgres formerly made the public schema read/write by default,
-- and most of the core regression tests still expect that.
GRANT ALL ON SCHEMA public TO public;

-- Insert only non-error values here; tests insert erroneous ones themselves.

CREATE TABLE CHAR_TBL(f1 char(4));

INSERT INTO CHAR_TBL (f1) VALUES
  ('a'),
  ('ab'),
  ('abcd'),
  ('abcd    ');
VACUUM CHAR_TBL;

CREATE TABLE INT2_TBL(f1 int2);

INSERT INTO INT2_TBL(f1) VALUES
  ('0   '),
  ('  1234 '),
  ('    -1234'),
  ('32767'),  -- largest and smallest values
  ('-32767');
VACUUM INT2_TBL;

CREATE TABLE INT4_TBL(f1 int4);

INSERT INTO INT4_TBL(f1) VALUES
  ('   0  '),
  ('123456     '),
  ('    -123456'),
  ('2147483647'),  -- largest and smallest values
  ('-2147483647');
VACUUM INT4_TBL;

CREATE TABLE INT8_TBL(q1 int8, q2 int8);

INSERT INTO INT8_TBL VALUES
  ('  123   ','  456'),
  ('123   ','4567890123456789'),
  ('4567890123456789','123'),
  (+4567890123456789,'4567890123456789'),
  ('+4567890123456789','-4567890123456789');
VACUUM INT8_TBL;

CREATE TABLE TEXT_TBL (f1 text);

INSERT INTO TEXT_TBL VALUES
  ('doh!'),
  ('hi de ho neighbor');
VACUUM TEXT_TBL;

CREATE TABLE VARCHAR_TBL(f1 varchar(4));

INSERT INTO VARCHAR_TBL (f1) VALUES
  ('a'),
  ('ab'),
  ('abcd'),
  ('abcd    ');
VACUUM VARCHAR_TBL;

CREATE TABLE onek (
	unique1		int4,
	unique2		int4,
	two			int4,
	four		int4,
	ten			int4,
	twenty		int4,
	hundred		int4,
	thousand	int4,
	twothousand	int4,
	fivethous	int4,
	tenthous	int4,
	odd			int4,
	even		int4,
	stringu1	name,
	stringu2	name,
	string4		name
);

\copy onek from 'onek.data'
VACUUM ANALYZE onek;

CREATE TABLE onek2 AS SELECT * FROM onek;
VACUUM ANALYZE onek2;

CREATE TABLE tenk1 (
	unique1		int4,
	unique2		int4,
	two			int4,
	four		int4,
	ten			int4,
	twenty		int4,
	hundred		int4,
	thousand	int4,
	twothousand	int4,
	fivethous	int4,
	tenthous	int4,
	odd			int4,
	even		int4,
	stringu1	name,
	stringu2	name,
	string4		name
);

\copy tenk1 from 'tenk.data'
VACUUM ANALYZE tenk1;

CREATE TABLE person (
	name 		text,
	age			int4,
	location 	point
);

\copy person from 'person.data'
VACUUM ANALYZE person;

CREATE TABLE emp (
	salary 		int4,
	manager 	name
) INHERITS (person);

\copy emp from 'emp.data'
VACUUM ANALYZE emp;

CREATE TABLE student (
	gpa 		float8
) INHERITS (person);

\copy student from 'student.data'
VACUUM ANALYZE student;

CREATE TABLE stud_emp (
	percent 	int4
) INHERITS (emp, student);

\copy stud_emp from 'stud_emp.data'
VACUUM ANALYZE stud_emp;

--
-- Indexes that create_index.sql (which runs before these tests in
-- PostgreSQL's schedule) builds on the tables above; select.sql's plans
-- name onek2_u2_prtl, and the other scans' plans and orders assume them.
--

CREATE INDEX onek_unique1 ON onek USING btree(unique1 int4_ops);
CREATE INDEX onek_unique2 ON onek USING btree(unique2 int4_ops);
CREATE INDEX onek_hundred ON onek USING btree(hundred int4_ops);
CREATE INDEX onek_stringu1 ON onek USING btree(stringu1 name_ops);

CREATE INDEX tenk1_unique1 ON tenk1 USING btree(unique1 int4_ops);
CREATE INDEX tenk1_unique2 ON tenk1 USING btree(unique2 int4_ops);
CREATE INDEX tenk1_hundred ON tenk1 USING btree(hundred int4_ops);
CREATE INDEX tenk1_thous_tenthous ON tenk1 (thousand, tenthous);

CREATE INDEX onek2_u1_prtl ON onek2 USING btree(unique1 int4_ops)
	where unique1 < 20 or unique1 > 980;
CREATE INDEX onek2_u2_prtl ON onek2 USING btree(unique2 int4_ops)
	where stringu1 < 'B';
CREATE INDEX onek2_stu1_prtl ON onek2 USING btree(stringu1 name_ops)
	where onek2.stringu1 >= 'J' and onek2.stringu1 < 'K';

--
-- Hand-rolled hash operator class for predictable hash partitioning
-- (insert.sql partitions by hash with it).
--

create function part_hashint4_noop(value int4, seed int8)
    returns int8 as $$
    select value + seed;
    $$ language sql strict immutable parallel safe;

create operator class part_test_int4_ops for type int4 using hash as
    operator 1 =,
    function 2 part_hashint4_noop(int4, int8);
