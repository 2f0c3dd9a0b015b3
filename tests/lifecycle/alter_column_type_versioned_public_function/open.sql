SELECT price = 19.99 FROM public_alter_column_type_versioned_public_function.items WHERE label = 'old insert';
SELECT price = 321 FROM public.items WHERE label = 'new insert';
SELECT price = 1234 FROM public.items WHERE label = 'item 300';
