SELECT to_regclass('from_json') IS NOT NULL
   AND (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'score')
