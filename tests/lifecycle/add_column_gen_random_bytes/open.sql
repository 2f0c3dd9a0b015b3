-- expand and backfill did not rewrite items
SELECT c.relfilenode = f.relfilenode FROM pg_class c, items_file f WHERE c.oid = 'items'::regclass;
-- no default until contract, and a trigger that fills the column
SELECT EXISTS (SELECT FROM information_schema.columns
               WHERE table_name = 'items' AND column_name = 'salt' AND column_default IS NULL);
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname LIKE '\_pgstep\_%' AND NOT tgisinternal);
-- every row has 16 random bytes of its own
SELECT count(*) = 0 FROM items WHERE salt IS NULL;
SELECT count(*) = 0 FROM items WHERE length(salt) <> 16 AND label <> 'new insert';
SELECT count(DISTINCT salt) = count(*) FROM items;
SELECT count(*) = 2 FROM items WHERE label LIKE 'old insert%' AND length(salt) = 16;
SELECT salt = '\x00'::bytea FROM items WHERE label = 'new insert';
