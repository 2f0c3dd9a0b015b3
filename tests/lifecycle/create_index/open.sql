-- the three indexes, valid, as written
SELECT count(*) = 3 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = 'items'::regclass AND i.indisvalid
   AND c.relname IN ('items_label_price_idx', 'items_sku_hash_idx', 'items_tags_idx');
SELECT pg_get_indexdef('items_label_price_idx'::regclass) =
       'CREATE UNIQUE INDEX items_label_price_idx ON public.items USING btree (label COLLATE "C" text_pattern_ops DESC NULLS LAST, price NULLS FIRST) WITH (fillfactor=''70'') WHERE (price > 0)';
-- the unique index refuses a duplicate where the predicate holds
SELECT count(*) = 0 FROM (SELECT label, price FROM items WHERE price > 0 GROUP BY 1, 2 HAVING count(*) > 1) d;
SELECT count(*) = 3002 FROM items;
