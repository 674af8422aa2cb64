\set a random(1, 100000)
\set b random(1, 100000)
\set d random(-100, 100)
BEGIN;
SELECT v FROM kv WHERE id = :a;
UPDATE kv SET v = v + :d WHERE id = :b;
INSERT INTO kv_history (id, delta, at) VALUES (:b, :d, now());
COMMIT;
