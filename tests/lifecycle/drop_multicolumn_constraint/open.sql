-- the constraint and its index are there and refuse a duplicate pair
SELECT contype = 'u' FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_shop_sku_key';
SELECT indisvalid AND indisunique FROM pg_index WHERE indexrelid = 'items_shop_sku_key'::regclass;
SELECT pg_temp.refused($$INSERT INTO items (shop, sku, label) VALUES (1, 'SKU-OLD', 'duplicate')$$, '23505');
SELECT pg_temp.refused($$UPDATE items SET sku = 'SKU-OLD' WHERE id = 301 AND shop = 1$$, '23505');
SELECT NOT pg_temp.refused($$INSERT INTO items (shop, sku, label) VALUES (0, 'SKU-OLD', 'one in shop 0')$$);
SELECT count(*) = 3002 FROM items;
SELECT count(*) = 10 FROM items WHERE sku = 'SKU-U' || id;
SELECT count(*) = 5 FROM items WHERE label = 'new update ' || id;
