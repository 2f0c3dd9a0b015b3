SELECT attnotnull
   AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal)
   AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname LIKE '\_pgstep%')
FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'
