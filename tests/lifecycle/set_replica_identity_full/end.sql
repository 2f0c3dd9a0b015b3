SELECT relreplident = 'f' FROM pg_class WHERE oid = 'items'::regclass;
SELECT count(*) = 2997 FROM items;
