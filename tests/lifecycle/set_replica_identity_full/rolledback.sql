-- the index that was the identity is again, not DEFAULT's primary key
SELECT relreplident = 'i' FROM pg_class WHERE oid = 'items'::regclass;
SELECT indisreplident FROM pg_index WHERE indexrelid = '"Items SKU"'::regclass;
SELECT NOT indisreplident FROM pg_index WHERE indexrelid = 'items_pkey'::regclass;
