-- the table as the old application sees it: number only, and no trigger
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'item_no');
SELECT NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'public.items'::regclass AND NOT tgisinternal);
-- the view: item_no in number's place
SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) = 'id bigint, label text, item_no integer'
  FROM pg_attribute WHERE attrelid = 'public_rename_column_versioned.items'::regclass AND attnum > 0;
-- one value under both names on every row
SELECT count(*) = 3004 FROM public.items t JOIN public_rename_column_versioned.items v USING (id) WHERE v.item_no = t.number;
SELECT count(*) = 3004 AND count(DISTINCT item_no) = 3004 FROM public_rename_column_versioned.items;
-- the old application's writes, under the new name
SELECT item_no = 100001 FROM public_rename_column_versioned.items WHERE label = 'old insert, given';
SELECT item_no IS NOT NULL FROM public_rename_column_versioned.items WHERE label = 'old insert, sequence';
SELECT count(*) = 10 FROM public_rename_column_versioned.items WHERE id BETWEEN 101 AND 110 AND item_no = id + 500000;
-- the new application's writes, under the old name; the sequence served it through the view
SELECT number = 200001 FROM public.items WHERE label = 'new insert, given';
SELECT number > 3000 AND number < 100000 FROM public.items WHERE label = 'new insert, sequence';
SELECT count(*) = 5 FROM public.items WHERE id BETWEEN 201 AND 205 AND number = id + 700000;
