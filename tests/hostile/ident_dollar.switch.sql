SELECT (SELECT count(*) FROM "t$pgstep1$" WHERE "c$pgstep$$pgstep2$" = '$pgstep$' || repeat('$', id::int % 5 + 1)) = 250
   AND (SELECT count(*) FROM "t$pgstep1$" WHERE "$$" = id % 5 + 1) = 250
   AND (SELECT relkind FROM pg_class WHERE relname = 't$pgstep$') = 'v'
