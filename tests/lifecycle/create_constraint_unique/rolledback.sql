SELECT NOT pg_temp.refused($$INSERT INTO items (shop, sku, label) VALUES (1, 'SKU-OLD', 'duplicate')$$);
