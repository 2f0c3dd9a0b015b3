SELECT (SELECT count(*) FROM users) = 2000
   AND (SELECT count(*) FROM "users; DROP TABLE users; --" WHERE "x); DROP TABLE users; --" = 'filled') = 300
   AND (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
        WHERE attrelid = '"users; DROP TABLE users; --"'::regclass AND attname = 'n /* */ -- ') = 'integer'
   AND (SELECT count(*) FROM "users; DROP TABLE users; --" WHERE "n /* */ -- " = id % 7 + 1) = 300
   AND to_regclass('"i''); DROP TABLE users; --"') IS NOT NULL
