-- the table as the old application sees it: label, with its comment; no title, no trigger
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'title');
SELECT col_description('public.items'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'label'))
       = 'the label';
SELECT NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'public.items'::regclass AND NOT tgisinternal);
-- the view: title in label's place
SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) = 'id bigint, title text, price integer'
  FROM pg_attribute WHERE attrelid = 'public_alter_column_name_versioned.items'::regclass AND attnum > 0;
SELECT count(*) = 3003 FROM public.items t JOIN public_alter_column_name_versioned.items v USING (id) WHERE v.title = t.label;
-- both applications' writes, under both names
SELECT title = 'old insert' FROM public_alter_column_name_versioned.items WHERE price = 1 AND id > 3000;
SELECT title = 'untitled' FROM public_alter_column_name_versioned.items WHERE price = 2 AND id > 3000;
SELECT count(*) = 10 FROM public_alter_column_name_versioned.items WHERE title LIKE 'old update %';
SELECT label = 'new insert' FROM public.items WHERE price = 3 AND id > 3000;
SELECT count(*) = 5 FROM public.items WHERE label LIKE 'new update %' AND id BETWEEN 201 AND 205;
