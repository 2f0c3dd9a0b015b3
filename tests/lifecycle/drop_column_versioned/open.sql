-- the table: legacy_code there, NOT NULL, with the trigger that fills it
SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'legacy_code' AND NOT attisdropped;
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'public.items'::regclass AND tgname = '_pgstep_items_legacy_code_fill');
-- the view: no legacy_code
SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) = 'id bigint, label text'
  FROM pg_attribute WHERE attrelid = 'public_drop_column_versioned.items'::regclass AND attnum > 0;
SELECT count(*) = 3002 FROM public.items t JOIN public_drop_column_versioned.items v USING (id) WHERE v.label = t.label;
-- the old application's writes
SELECT legacy_code = 'OLD-1' FROM public.items WHERE label = 'old insert';
SELECT count(*) = 10 FROM public.items WHERE legacy_code = 'OLD-U' || id;
SELECT count(*) = 1 FROM public_drop_column_versioned.items WHERE label = 'old insert';
-- the new application's row got down's value; its updates left legacy_code alone
SELECT legacy_code = 'LC-' || id FROM public.items WHERE label = 'new insert';
SELECT count(*) = 5 FROM public.items WHERE label LIKE 'new update %' AND legacy_code = 'LC-' || id;
