SELECT to_regclass('a_table_name_that_is_longer_than_postgresql_allows_for_any_iden') IS NOT NULL
   AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'a_table_name_that_is_longer_than_postgresql_allows_for_any_iden'::regclass AND attname = 'a_column_name_that_is_longer_than_postgresql_allows_for_any_ide')
   AND (SELECT count(*) FROM users WHERE a_column_name_that_is_longer_than_postgresql_allows_for_any_ide = 'x' || id) = 2000
