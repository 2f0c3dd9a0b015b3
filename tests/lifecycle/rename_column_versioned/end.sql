SELECT count(*) = 3004 AND count(DISTINCT item_no) = 3004 FROM items;
SELECT item_no = 200001 FROM items WHERE label = 'new insert, given';
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND item_no = id + 500000;
SELECT pg_get_serial_sequence('items', 'item_no') = 'public.items_number_seq';
-- the new application goes on through its schema
SET search_path = public_rename_column_versioned; INSERT INTO items (label) VALUES ('after contract') RETURNING item_no > 3000;
SELECT item_no = 200001 FROM items WHERE label = 'new insert, given';
