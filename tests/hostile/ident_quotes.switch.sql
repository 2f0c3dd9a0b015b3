SELECT to_regclass('"ta""ble"') IS NOT NULL
   AND (SELECT count(*) FROM "ta""ble") = 0
   AND obj_description('"ta""ble"'::regclass, 'pg_class') = 'it''s a "table"'
   AND EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk"1')
   AND EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'c"k' AND convalidated)
   AND (SELECT count(*) FROM "o""ld" WHERE "co""l" = 'v' || "i""d") = 500
   AND (SELECT attnotnull FROM pg_attribute WHERE attrelid = '"o""ld"'::regclass AND attname = 'co"l')
   AND to_regclass('"i""dx"') IS NOT NULL
   AND (SELECT count(*) FROM "o""ld" WHERE "n'ame" = "na""me") = 500
