SELECT to_regclass('"t$pgstep$"') IS NULL
   AND (SELECT count(*) FROM "t$pgstep1$" WHERE "$$" = id % 5 + 1
        AND "c$pgstep$$pgstep2$" = '$pgstep$' || repeat('$', id::int % 5 + 1)) = 250
