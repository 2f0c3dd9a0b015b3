SELECT (SELECT relkind FROM pg_class WHERE oid = 'users'::regclass) = 'p'
   AND (SELECT count(*) FROM pg_inherits WHERE inhparent = 'users'::regclass) >= 9
   AND to_regclass('"_pgstep_users_old"') IS NULL
   AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal AND tgparentid = 0)
