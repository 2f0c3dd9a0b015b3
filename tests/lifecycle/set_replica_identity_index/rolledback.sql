SELECT relreplident = 'f' FROM pg_class WHERE oid = 'items'::regclass;
SELECT NOT EXISTS (SELECT FROM pg_index WHERE indrelid = 'items'::regclass AND indisreplident);
