SELECT (SELECT count(*) FROM ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt WHERE ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc = id AND "üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüx" = 'v' || id) = 300
   AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt'::regclass AND NOT tgisinternal)
   AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname LIKE '\_pgstep%')
