-- (c) hash aggregation over a high-cardinality key (one group per ~3 rows),
-- spilling; sort off so that both planners pick HashAggregate.
SET enable_sort = off;
SELECT count(*), sum(c), sum(m) FROM (SELECT k, count(*) c, max(id) m FROM big GROUP BY k) s;
