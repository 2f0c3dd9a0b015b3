-- the table: the column nullable and without default until switch and
-- contract, and the trigger that fills it
SELECT NOT attnotnull AND NOT atthasdef FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'label_len';
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'public.items'::regclass AND tgname = '_pgstep_items_label_len_fill');
-- the view shows it, last
SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) = 'id bigint, label text, price integer, label_len integer'
  FROM pg_attribute WHERE attrelid = 'public_add_column_versioned.items'::regclass AND attnum > 0;
SELECT count(*) = 3004 FROM public.items t JOIN public_add_column_versioned.items v USING (id) WHERE v.label_len = t.label_len AND v.label = t.label;
-- backfilled: every row has length(label) but those the new application set
SELECT count(*) = 0 FROM public_add_column_versioned.items
 WHERE label_len IS DISTINCT FROM length(label) AND label <> 'new insert' AND id NOT BETWEEN 201 AND 208;
-- the old application's inserts and updates got it from up
SELECT count(*) = 2 FROM public_add_column_versioned.items WHERE label LIKE 'old insert%' AND label_len = length(label);
SELECT count(*) = 10 FROM public_add_column_versioned.items WHERE label LIKE 'old update %' AND label_len = length(label);
-- the new application's values stay; its insert without one got up's
SELECT label_len = 42 FROM public_add_column_versioned.items WHERE label = 'new insert';
SELECT label_len = length('new insert, no label_len') FROM public_add_column_versioned.items WHERE label = 'new insert, no label_len';
SELECT count(*) = 5 FROM public_add_column_versioned.items WHERE id BETWEEN 201 AND 205 AND label_len = 7;
SELECT count(*) = 3 FROM public_add_column_versioned.items WHERE id BETWEEN 206 AND 208 AND label = 'new update ' || id AND label_len = length('item ' || id);
