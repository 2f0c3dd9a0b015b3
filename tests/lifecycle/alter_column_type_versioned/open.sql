-- the tables as the old application sees them: price in integer cents,
-- the shadow column of the new type, the sync trigger
SELECT format_type(atttypid, atttypmod) = 'integer' AND attnotnull
  FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'price';
SELECT format_type(atttypid, atttypmod) = 'numeric(10,2)'
  FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = '_pgstep_items_price_new';
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'public.items'::regclass AND tgname = '_pgstep_items_price_sync');
-- the view as the new application sees it: price in units, no helper column
SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) = 'id bigint, label text, price numeric(10,2)'
  FROM pg_attribute WHERE attrelid = 'public_alter_column_type_versioned.items'::regclass AND attnum > 0;
-- both representations agree on every row, read through the table and the view
SELECT count(*) = 3002 FROM public.items t JOIN public_alter_column_type_versioned.items v USING (id)
 WHERE v.price = t.price::numeric / 100 AND v.label = t.label;
SELECT count(*) = 3002 FROM public_alter_column_type_versioned.items;
-- the old application's writes, in units in the view
SELECT price = 19.99 FROM public_alter_column_type_versioned.items WHERE label = 'old insert';
SELECT count(*) = 10 FROM public_alter_column_type_versioned.items WHERE id BETWEEN 101 AND 110 AND price = 0.05;
-- the new application's writes, in cents in the table
SELECT price = 321 FROM public.items WHERE label = 'new insert';
SELECT price = 1234 FROM public.items WHERE label = 'item 300';
SELECT count(*) = 5 FROM public.items WHERE id BETWEEN 201 AND 205 AND price = 50;
-- an update of another column keeps the price on both sides
SELECT count(*) = 3 FROM public.items t JOIN public_alter_column_type_versioned.items v USING (id)
 WHERE t.label LIKE 'new update %' AND t.price = t.id * 7 AND v.price = t.id * 7 / 100.0;
