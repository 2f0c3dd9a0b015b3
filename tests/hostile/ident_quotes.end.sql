SELECT to_regclass('"ta""ble"') IS NOT NULL
   AND (SELECT count(*) FROM "o""ld" WHERE "co""l" = 'v' || "i""d" AND "n'ame" = 'name ' || "i""d") = 500
   AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"o""ld"'::regclass AND attname = 'na"me' AND NOT attisdropped)
   AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '"o""ld"'::regclass AND NOT tgisinternal)
