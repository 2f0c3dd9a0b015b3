-- the index, valid, as the plan says; the constraint comes in switch
SELECT indisvalid AND indisunique FROM pg_index WHERE indexrelid = 'items_shop_sku_key'::regclass;
SELECT pg_get_indexdef('items_shop_sku_key'::regclass) =
       'CREATE UNIQUE INDEX items_shop_sku_key ON public.items USING btree (shop, sku) INCLUDE (label) WITH (fillfactor=''70'')';
SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'u');
-- it refuses a duplicate pair already, from either application; NULLs are distinct
SELECT pg_temp.refused($$INSERT INTO items (shop, sku, label) VALUES (1, 'SKU-OLD', 'duplicate')$$, '23505');
SELECT pg_temp.refused($$UPDATE items SET sku = 'SKU-NEW' WHERE label = 'old insert'$$, '23505');
SELECT NOT pg_temp.refused($$INSERT INTO items (shop, sku, label) VALUES (1, NULL, 'no sku again')$$);
-- the writes
SELECT count(*) = 3005 FROM items;
SELECT count(*) = 4 FROM items WHERE label LIKE 'old insert%';
SELECT count(*) = 10 FROM items WHERE sku = 'SKU-U' || id;
SELECT count(*) = 5 FROM items WHERE label = 'new update ' || id;
