SELECT format_type(a.atttypid, a.atttypmod) = 'jsonb' AND a.attnotnull
   AND pg_get_expr(d.adbin, d.adrelid) = '''{}''::jsonb'
   AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal)
   AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname LIKE '\_pgstep%')
   AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname LIKE '\_pgstep%')
FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = 'users'::regclass AND a.attname = 'preferences'
