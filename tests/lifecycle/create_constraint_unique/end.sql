SELECT count(*) = 3005 FROM items;
SELECT pg_temp.refused($$INSERT INTO items (shop, sku, label) VALUES (1, 'SKU-NEW', 'duplicate')$$, '23505');
-- ON CONFLICT finds the constraint by its name
SELECT NOT pg_temp.refused($$INSERT INTO items (shop, sku, label) VALUES (1, 'SKU-NEW', 'dup') ON CONFLICT ON CONSTRAINT items_shop_sku_key DO NOTHING$$);
