-- the tables in public, and their views in the versioned schema
SELECT to_regclass('public.orders') IS NOT NULL AND to_regclass('public.order_notes') IS NOT NULL;
SELECT count(*) = 3 FROM pg_class WHERE relnamespace = 'public_create_table_versioned'::regnamespace AND relkind = 'v'
   AND relname IN ('items', 'orders', 'order_notes');
-- the new application's writes through the views, in the tables: identity, default, generated column
SELECT count(*) = 2 AND sum(total) = 550 AND min(id) >= 1 FROM public.orders;
SELECT count(*) = 2 FROM public.orders t JOIN public_create_table_versioned.orders v USING (id) WHERE v.total = t.total AND v.ref IS NOT DISTINCT FROM t.ref;
SELECT qty = 1 FROM public.orders WHERE unit_price = 250;
SELECT count(*) = 1 FROM public.order_notes WHERE n = 1 AND body = 'note';
SELECT count(*) = 1 FROM public_create_table_versioned.order_notes n JOIN public_create_table_versioned.orders o ON o.id = n.order_id WHERE o.ref = 'R-1';
-- the old application's, through the table, seen in the view
SELECT count(*) = 3001 FROM public_create_table_versioned.items;
SELECT count(*) = 10 FROM public_create_table_versioned.items WHERE label LIKE 'old update %';
SELECT count(*) = 3001 FROM public.items t JOIN public_create_table_versioned.items v USING (id) WHERE v.label = t.label;
