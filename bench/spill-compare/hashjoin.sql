-- (b) hash join, dim (the smaller side) hashed; merge join off so that both
-- planners pick the hash join whatever their cost estimates say.
SET enable_mergejoin = off;
SELECT count(*), sum(b.id % 1000 + d.v), sum(length(d.name)) FROM big b JOIN dim d USING (k);
