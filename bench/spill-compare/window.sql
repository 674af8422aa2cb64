-- (a') the same sort under a window function: the sum depends on the order
-- of every row, so equal results on both servers mean the same sort order.
SELECT count(*), sum(rn * (id % 1000)), sum(length(pad))
  FROM (SELECT id, pad, row_number() OVER (ORDER BY k, id) rn FROM big) s;
