SELECT count(*) = 3002 FROM items;
SET enable_seqscan = off; SELECT count(*) = 1 FROM items WHERE tags @> '{"n": 9}';
-- the new application goes on reading through its schema
SET search_path = public_create_index_versioned; SELECT count(*) = 1 FROM items WHERE tags @> '{"n": 9}';
