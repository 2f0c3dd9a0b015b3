SELECT count(*) = 3005 FROM items;
-- the constraint of the table, and each partition's attached to it
SELECT count(*) = 1 FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_shop_sku_key' AND contype = 'u';
SELECT count(*) = 5 FROM pg_constraint WHERE contype = 'u' AND conparentid <> 0 AND connamespace = 'public'::regnamespace;
SELECT pg_temp.refused($$INSERT INTO items (id, shop, sku, label) VALUES (7004, 1, 'SKU-NEW', 'duplicate')$$, '23505');
-- ON CONFLICT finds the constraint by its name
SELECT NOT pg_temp.refused($$INSERT INTO items (id, shop, sku, label) VALUES (7005, 1, 'SKU-NEW', 'dup') ON CONFLICT ON CONSTRAINT items_shop_sku_key DO NOTHING$$);
