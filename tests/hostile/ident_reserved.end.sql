SELECT (SELECT attnotnull FROM pg_attribute WHERE attrelid = '"table"'::regclass AND attname = 'where')
   AND (SELECT relkind FROM pg_class WHERE oid = '"order"'::regclass) = 'p'
   AND (SELECT count(*) FROM "order") = 600
   AND NOT EXISTS (SELECT 1 FROM pg_class WHERE relname LIKE '\_pgstep%')
