-- the old application still has the table
SELECT to_regclass('public.legacy_prices') IS NOT NULL;
SELECT count(*) = 1501 FROM public.legacy_prices;
SELECT count(*) = 5 FROM public.legacy_prices WHERE price = 0;
-- the new application does not see it, and sees items
SELECT to_regclass('public_drop_table_versioned.legacy_prices') IS NULL;
SELECT count(*) = 3002 FROM public_drop_table_versioned.items;
SELECT count(*) = 3002 FROM public.items t JOIN public_drop_table_versioned.items v USING (id) WHERE v.label = t.label;
SELECT count(*) = 1 FROM public.items WHERE label = 'new insert';
SELECT count(*) = 1 FROM public.legacy_prices p JOIN public_drop_table_versioned.items i ON i.id = p.item_id WHERE i.label = 'old insert';
