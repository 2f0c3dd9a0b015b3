SELECT to_regclass('a_table_name_that_is_longer_than_postgresql_allows_for_any_iden') IS NOT NULL
   AND (SELECT count(*) FROM users WHERE a_column_name_that_is_longer_than_postgresql_allows_for_any_ide = 'x' || id) = 2000
   AND (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'a_column_name_that_is_longer_than_postgresql_allows_for_any_ide')
   AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal)
