SELECT NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'name' AND NOT attisdropped)
   AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'full_name'
               AND atttypid = 'text'::regtype AND attnotnull)
   AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal)
   AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname LIKE '\_pgstep%')
   AND (SELECT count(*) FROM users WHERE full_name IS NULL) = 0
   AND (SELECT count(*) FROM users WHERE id <= 20000 AND full_name NOT LIKE 'User %' AND full_name NOT LIKE 'renamed by %') = 0
