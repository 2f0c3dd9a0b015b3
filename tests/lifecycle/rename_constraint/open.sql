-- renamed, the unique constraint's index with it; the comment goes along
SELECT count(*) = 0 FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname IN ('items_price_check', 'items_sku_key');
SELECT obj_description(oid, 'pg_constraint') = 'no free items'
  FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_price_positive' AND contype = 'c';
SELECT conindid = 'items_sku_unique'::regclass
  FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_sku_unique' AND contype = 'u';
SELECT to_regclass('items_sku_key') IS NULL;
-- they still refuse what they did
SELECT pg_temp.refused($$INSERT INTO items (sku, price) VALUES ('SKU-7', 1)$$, '23505');
SELECT pg_temp.refused($$INSERT INTO items (sku, price) VALUES ('SKU-FREE', 0)$$, '23514');
SELECT count(*) = 3002 FROM items;
SELECT price = 1 FROM items WHERE sku = 'SKU-OLD';
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND price = id + 1;
