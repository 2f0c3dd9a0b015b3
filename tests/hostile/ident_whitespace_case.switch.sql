SELECT to_regclass('" "') IS NOT NULL
   AND (SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
        WHERE attrelid = '" "'::regclass AND attnum > 0) = ARRAY['Mixed Case', 'trailing  ', '1st', E'a\tb']
   AND EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '" "'::regclass AND contype = 'f'
               AND confrelid = '"UPPER"'::regclass)
   AND (SELECT count(*) FROM "UPPER" WHERE "NoFold" = 42 AND name = "Name") = 100
   AND to_regclass('upper') IS NULL
