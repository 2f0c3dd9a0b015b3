SELECT format_type(atttypid, atttypmod) = 'integer'
   AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname LIKE '\_pgstep%' AND NOT attisdropped)
   AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal)
   AND (SELECT count(*) FROM users WHERE age IS NULL AND name NOT LIKE '% app' AND id % 97 <> 0 AND id % 89 <> 0) = 0
   AND (SELECT count(*) FROM users WHERE id % 97 = 0 AND age IS NOT NULL AND age NOT BETWEEN 20 AND 79) = 0
FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'age'
