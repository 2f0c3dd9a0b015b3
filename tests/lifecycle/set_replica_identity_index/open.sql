-- the unique index on sku is the identity from expand on
SELECT relreplident = 'i' FROM pg_class WHERE oid = 'items'::regclass;
SELECT indisreplident FROM pg_index WHERE indexrelid = 'items_sku_key'::regclass;
SELECT count(*) = 1 FROM pg_index WHERE indrelid = 'items'::regclass AND indisreplident;
SELECT count(*) = 2997 FROM items;
SELECT count(*) = 10 FROM items WHERE label = 'old update ' || id;
SELECT count(*) = 5 FROM items WHERE label = 'new update ' || id;
