SELECT count(*) FROM big WHERE a % 7 = 3 AND b LIKE '%5%';
