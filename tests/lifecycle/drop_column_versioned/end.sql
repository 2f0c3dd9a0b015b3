SELECT count(*) = 3002 FROM items;
SELECT count(*) = 5 FROM items WHERE label LIKE 'new update %';
-- the new application goes on through its schema
SET search_path = public_drop_column_versioned; INSERT INTO items (label) VALUES ('after contract') RETURNING id > 3002;
SELECT count(*) = 3003 FROM items;
