-- the old application's ON CONFLICT by the old name works again
SELECT NOT pg_temp.refused($$INSERT INTO items (sku, price) VALUES ('SKU-7', 1) ON CONFLICT ON CONSTRAINT items_sku_key DO NOTHING$$);
