-- FULL from expand on; no index is the identity any more
SELECT relreplident = 'f' FROM pg_class WHERE oid = 'items'::regclass;
SELECT NOT EXISTS (SELECT FROM pg_index WHERE indrelid = 'items'::regclass AND indisreplident);
SELECT count(*) = 2997 FROM items;
SELECT count(*) = 10 FROM items WHERE label = 'old update ' || id;
SELECT count(*) = 5 FROM items WHERE label = 'new update ' || id;
