-- (a) external sort of whole rows (the pad travels through the sort), fully
-- consumed by a cheap aggregate; OFFSET 0 keeps the subquery's ORDER BY.
SELECT count(*), sum(length(pad)) FROM (SELECT id, pad FROM big ORDER BY k, id OFFSET 0) s;
