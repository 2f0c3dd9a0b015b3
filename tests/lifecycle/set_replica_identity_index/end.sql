SELECT relreplident = 'i' FROM pg_class WHERE oid = 'items'::regclass;
SELECT indisreplident FROM pg_index WHERE indexrelid = 'items_sku_key'::regclass;
SELECT count(*) = 2997 FROM items;
