SELECT count(*) = 3002 FROM items;
SELECT NOT pg_temp.refused($$INSERT INTO items (sku, price) VALUES ('SKU-7', 1) ON CONFLICT ON CONSTRAINT items_sku_unique DO NOTHING$$);
SELECT pg_temp.refused($$INSERT INTO items (sku, price) VALUES ('SKU-7', 1) ON CONFLICT ON CONSTRAINT items_sku_key DO NOTHING$$, '42704');
