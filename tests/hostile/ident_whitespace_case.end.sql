SELECT (SELECT count(*) FROM "UPPER" WHERE "NoFold" = 42 AND name = 'n' || substr("ID", 2)) = 100
   AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"UPPER"'::regclass AND attname = 'Name' AND NOT attisdropped)
