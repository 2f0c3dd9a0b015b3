SELECT count(*) = 3002 FROM items;
-- through the gin index
SET enable_seqscan = off; SELECT count(*) = 1 FROM items WHERE tags @> '{"n": 9}';
