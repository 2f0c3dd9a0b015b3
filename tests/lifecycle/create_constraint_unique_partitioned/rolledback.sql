SELECT NOT pg_temp.refused($$INSERT INTO items (id, shop, sku, label) VALUES (7003, 1, 'SKU-OLD', 'duplicate')$$);
