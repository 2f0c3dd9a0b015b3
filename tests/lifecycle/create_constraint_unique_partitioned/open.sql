-- a valid unique index on each of the 4 leaf partitions, named as PostgreSQL names them; none on the tables above
SELECT count(*) = 4 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indisvalid AND i.indisunique
   AND c.relname IN ('items_shop0_shop_sku_label_key', 'items_shop1_h0_shop_sku_label_key',
                     'items_shop1_h1_shop_sku_label_key', 'items_other_shop_sku_label_key');
SELECT pg_get_indexdef('items_shop1_h0_shop_sku_label_key'::regclass) =
       'CREATE UNIQUE INDEX items_shop1_h0_shop_sku_label_key ON public.items_shop1_h0 USING btree (shop, sku) INCLUDE (label) WITH (fillfactor=''70'')';
SELECT NOT EXISTS (SELECT FROM pg_index WHERE indrelid IN ('items'::regclass, 'items_shop1'::regclass));
SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE contype = 'u' AND connamespace = 'public'::regnamespace);
-- it refuses a duplicate pair already, from either application; NULLs are distinct
SELECT pg_temp.refused($$INSERT INTO items (id, shop, sku, label) VALUES (7001, 1, 'SKU-OLD', 'duplicate')$$, '23505');
SELECT pg_temp.refused($$UPDATE items SET sku = 'SKU-NEW' WHERE label = 'old insert'$$, '23505');
SELECT NOT pg_temp.refused($$INSERT INTO items (id, shop, sku, label) VALUES (7002, 1, NULL, 'no sku again')$$);
-- the writes
SELECT count(*) = 3005 FROM items;
SELECT count(*) = 4 FROM items WHERE label LIKE 'old insert%';
SELECT count(*) = 10 FROM items WHERE sku = 'SKU-U' || id;
SELECT count(*) = 5 FROM items WHERE label = 'new update ' || id;
