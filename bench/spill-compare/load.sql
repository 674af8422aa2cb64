-- The data of bench/spill-compare, identical on both servers: no random(),
-- every value is a function of the row number. psql variables: rows (rows of
-- big), keys (distinct values of big.k), dimrows (rows of dim, k = 0..dimrows-1,
-- so about dimrows/keys of big's rows find their partner).
-- big: ~84 bytes a row in PostgreSQL's heap (24 header + 8 + 4 + 41 + line
-- pointer), 12 M rows ≈ 1 GB. k is a multiplicative hash of id (the
-- ANSI C rand() constants), so k is spread evenly and unordered.
\timing on
\echo load-big
INSERT INTO big
  SELECT i, ((i * 1103515245 + 12345) % 2147483648 % :keys)::int, md5(i::text) || 'abcdefgh'
  FROM generate_series(1::bigint, :rows) i;
\echo load-dim
INSERT INTO dim
  SELECT i, (i % 97)::int, 'dim ' || i
  FROM generate_series(0, :dimrows - 1) i;
\echo vacuum
VACUUM big;
VACUUM dim;
\echo analyze
ANALYZE big;
ANALYZE dim;
\echo checkpoint
CHECKPOINT;
