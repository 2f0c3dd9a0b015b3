SELECT price = 0 FROM public_alter_column_type_versioned_new_app_default.items WHERE label = 'new insert, default';
SELECT price = 0 FROM public.items WHERE label = 'new insert, default';
SELECT price = 0 FROM public_alter_column_type_versioned_new_app_default.items WHERE label = 'old insert, default';
