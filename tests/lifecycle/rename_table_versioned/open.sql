-- public: the table under its old name, no products, no view
SELECT relkind = 'r' FROM pg_class WHERE oid = 'public.items'::regclass;
SELECT to_regclass('public.products') IS NULL;
-- the versioned schema: products, a view of items, with the reader's right
SELECT relkind = 'v' FROM pg_class WHERE oid = 'public_rename_table_versioned.products'::regclass;
SELECT to_regclass('public_rename_table_versioned.items') IS NULL;
SELECT has_table_privilege('lifecycle_reader', 'public_rename_table_versioned.products', 'SELECT');
SELECT NOT has_table_privilege('lifecycle_reader', 'public_rename_table_versioned.products', 'INSERT');
-- one table, seen by both names
SELECT count(*) = 2997 FROM public.items;
SELECT count(*) = 2997 FROM public.items t JOIN public_rename_table_versioned.products v USING (id) WHERE v.label = t.label AND v.price = t.price;
SELECT price = 0 AND id > 3000 FROM public_rename_table_versioned.products WHERE label = 'old insert';
SELECT count(*) = 10 FROM public_rename_table_versioned.products WHERE id BETWEEN 101 AND 110 AND price = id + 1000;
SELECT count(*) = 0 FROM public_rename_table_versioned.products WHERE id BETWEEN 111 AND 115;
SELECT price = 7 FROM public.items WHERE label = 'new insert';
SELECT count(*) = 5 FROM public.items WHERE id BETWEEN 201 AND 205 AND price = 0;
