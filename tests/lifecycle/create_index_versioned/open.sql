-- an operation that changes nothing the new version sees: the view of
-- items shows every column as the table has it, and the new
-- application's writes through it land in the table
SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) =
       'id bigint, label text, price integer, sku text, tags jsonb'
  FROM pg_attribute WHERE attrelid = 'public_create_index_versioned.items'::regclass AND attnum > 0;
-- (security_invoker came with PostgreSQL 15: before it pgstep leaves it out)
SELECT CASE WHEN current_setting('server_version_num')::int >= 150000
            THEN 'security_invoker=true' = ANY (reloptions) ELSE reloptions IS NULL END
FROM pg_class WHERE oid = 'public_create_index_versioned.items'::regclass;
SELECT count(*) = 3 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = 'public.items'::regclass AND i.indisvalid
   AND c.relname IN ('items_label_price_idx', 'items_sku_hash_idx', 'items_tags_idx');
SELECT count(*) = 3002 FROM public.items t JOIN public_create_index_versioned.items v USING (id)
 WHERE (v.label, v.price, v.sku, v.tags) IS NOT DISTINCT FROM (t.label, t.price, t.sku, t.tags);
SELECT tags = '{"n": 9}' AND sku = 'SKU-NEW' FROM public.items WHERE label = 'new insert';
SELECT count(*) = 10 FROM public_create_index_versioned.items WHERE label LIKE 'old update %';
-- the unique index refuses a duplicate written through the view
SET search_path = public_create_index_versioned; SELECT pg_temp.refused($$INSERT INTO items (label, price) VALUES ('new insert', 2)$$, '23505');
