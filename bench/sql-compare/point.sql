\set id random(1, 200000)
SELECT a, b FROM big WHERE id = :id;
