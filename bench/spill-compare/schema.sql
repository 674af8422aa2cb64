DROP TABLE IF EXISTS big;
DROP TABLE IF EXISTS dim;
CREATE TABLE big (id bigint, k integer, pad text);
CREATE TABLE dim (k integer, v integer, name text);
