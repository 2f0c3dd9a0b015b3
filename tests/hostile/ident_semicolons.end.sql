SELECT (SELECT count(*) FROM users) = 2000
   AND (SELECT count(*) FROM "users; DROP TABLE users; --" WHERE "n /* */ -- " = id % 7 + 1
        AND "x); DROP TABLE users; --" = 'filled') = 300
   AND (SELECT count(*) FROM pg_attribute WHERE attrelid = '"users; DROP TABLE users; --"'::regclass
        AND attnum > 0 AND NOT attisdropped) = 3
