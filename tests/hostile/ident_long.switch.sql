SELECT (SELECT count(*) FROM ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt WHERE "üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüx" = 'v' || id) = 300
   AND (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
        WHERE attrelid = 'ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt'::regclass AND attname = 'ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc') = 'bigint'
   AND (SELECT count(*) FROM ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt WHERE ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc = id) = 300
   AND (SELECT count(*) FROM pg_class WHERE length(relname) > 63) = 0
