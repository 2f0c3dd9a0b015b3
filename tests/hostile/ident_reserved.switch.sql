SELECT (SELECT count(*) FROM "user" WHERE "select" = "from" * 2) = 400
   AND EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'check' AND convalidated)
   AND (SELECT count(*) FROM "table" WHERE "where" IS NULL) = 0
   AND (SELECT count(*) FROM "table" WHERE "where" = 'default') = 133
   AND (SELECT attnotnull FROM pg_attribute WHERE attrelid = '"table"'::regclass AND attname = 'where')
   AND to_regclass('"index"') IS NOT NULL
   AND (SELECT relkind FROM pg_class WHERE oid = '"order"'::regclass) = 'p'
   AND to_regclass('"order_2019"') IS NOT NULL AND to_regclass('"order_table"') IS NOT NULL
   AND (SELECT count(*) FROM "order") = 600
   AND (SELECT count(*) FROM "order_table") = 236
