-- expand and backfill did not rewrite items
SELECT c.relfilenode = f.relfilenode FROM pg_class c, items_file f WHERE c.oid = 'items'::regclass;
-- the column, nullable and without its default until switch and contract
SELECT EXISTS (SELECT FROM information_schema.columns
               WHERE table_name = 'items' AND column_name = 'token'
                 AND is_nullable = 'YES' AND column_default IS NULL);
-- the trigger that fills it for the old application
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname LIKE '\_pgstep\_%' AND NOT tgisinternal);
-- every row has a value, each its own
SELECT count(*) = 0 FROM items WHERE token IS NULL;
SELECT count(DISTINCT token) = count(*) FROM items;
-- the old application's inserts got one from the trigger; its updates kept theirs
SELECT count(*) = 2 FROM items WHERE label LIKE 'old insert%' AND token IS NOT NULL AND token <> 'chosen';
-- the new application's value stays
SELECT token = 'chosen' FROM items WHERE label = 'new insert';
