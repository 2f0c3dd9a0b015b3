-- the table as the old application sees it: price in cents, no price_units
SELECT format_type(atttypid, atttypmod) = 'integer'
  FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'price';
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'price_units');
SELECT format_type(atttypid, atttypmod) = 'numeric(10,2)'
  FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = '_pgstep_items_price_new';
-- the view as the new application sees it: price_units in units, in price's place
SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) = 'id bigint, label text, price_units numeric(10,2)'
  FROM pg_attribute WHERE attrelid = 'public_alter_column_type_name_versioned.items'::regclass AND attnum > 0;
-- both representations agree on every row
SELECT count(*) = 3003 FROM public.items t JOIN public_alter_column_type_name_versioned.items v USING (id) WHERE v.price_units = t.price::numeric / 100;
SELECT count(*) = 3003 FROM public_alter_column_type_name_versioned.items;
-- the old application's writes, in units in the view
SELECT price_units = 19.99 FROM public_alter_column_type_name_versioned.items WHERE label = 'old insert';
SELECT price_units = 0 FROM public_alter_column_type_name_versioned.items WHERE label = 'old insert, default';
SELECT count(*) = 10 FROM public_alter_column_type_name_versioned.items WHERE id BETWEEN 101 AND 110 AND price_units = 0.05;
-- the new application's writes, in cents in the table
SELECT price = 321 FROM public.items WHERE label = 'new insert';
SELECT price = 1234 FROM public.items WHERE label = 'item 300';
SELECT count(*) = 5 FROM public.items WHERE id BETWEEN 201 AND 205 AND price = 50;
