-- pgstep's helpers still in the database, one line each; none is expected
-- once a migration is rolled back to pending or contracted. Helpers are
-- named _pgstep_...: relations of any kind (tables, views, indexes,
-- sequences), columns, constraints, triggers, functions, types; and any
-- schema but public, pgstep's state schema and the oracle's instruments
-- (pgstep_oracle, tests/lib/oracle.sql) is one too.
--
-- With -v vschema=SCHEMA (a versioned case after contract, see run.sh),
-- that one schema is allowed, as the new application's: it may hold only
-- views, each named as a table or view of public (the one it shows), and
-- anything else in it is reported.
-- psql -X -At [-v vschema=SCHEMA] -f helpers.sql
\if :{?vschema}
\else
\set vschema ''
\endif
SET search_path = pg_catalog;

WITH sys AS (
    SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema', 'pg_toast')
),
line AS (
    SELECT format('schema %s', nspname) AS l
    FROM pg_namespace
    WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', 'public', 'pgstep', 'pgstep_oracle', :'vschema')

    UNION ALL
    -- in the allowed versioned schema: only views of public's relations
    SELECT format('in schema %s: relation %s kind=%s%s', :'vschema', c.relname, c.relkind,
                  CASE WHEN c.relkind = 'v' THEN ', not named as a relation of public' ELSE '' END)
    FROM pg_class c
    WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'vschema')
      AND (c.relkind <> 'v' OR NOT EXISTS (SELECT FROM pg_class p
                                            WHERE p.relnamespace = 'public'::regnamespace AND p.relname = c.relname
                                              AND p.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT p.relispartition))

    UNION ALL
    SELECT format('in schema %s: function %s(%s)', :'vschema', p.proname, pg_get_function_identity_arguments(p.oid))
    FROM pg_proc p
    WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'vschema')

    UNION ALL
    SELECT format('in schema %s: type %s', :'vschema', t.typname)
    FROM pg_type t
    WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'vschema')
      AND t.typrelid = 0 AND t.typcategory <> 'A'

    UNION ALL
    SELECT format('relation %s.%s kind=%s', c.relnamespace::regnamespace, c.relname, c.relkind)
    FROM pg_class c
    WHERE left(c.relname, 8) = '_pgstep_' AND c.relnamespace NOT IN (SELECT oid FROM sys)

    UNION ALL
    SELECT format('column %s.%s', a.attrelid::regclass, a.attname)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE left(a.attname, 8) = '_pgstep_' AND NOT a.attisdropped AND a.attnum > 0
      AND c.relnamespace NOT IN (SELECT oid FROM sys)

    UNION ALL
    SELECT format('constraint %s on %s', co.conname,
                  CASE WHEN co.conrelid <> 0 THEN co.conrelid::regclass::text ELSE co.contypid::regtype::text END)
    FROM pg_constraint co
    WHERE left(co.conname, 8) = '_pgstep_' AND co.connamespace NOT IN (SELECT oid FROM sys)

    UNION ALL
    SELECT format('trigger %s on %s', tg.tgname, tg.tgrelid::regclass)
    FROM pg_trigger tg
    WHERE left(tg.tgname, 8) = '_pgstep_'

    UNION ALL
    SELECT format('event trigger %s', evtname)
    FROM pg_event_trigger
    WHERE left(evtname, 8) = '_pgstep_'

    UNION ALL
    SELECT format('function %s.%s(%s)', p.pronamespace::regnamespace, p.proname,
                  pg_get_function_identity_arguments(p.oid))
    FROM pg_proc p
    WHERE left(p.proname, 8) = '_pgstep_' AND p.pronamespace NOT IN (SELECT oid FROM sys)

    UNION ALL
    SELECT format('type %s.%s', t.typnamespace::regnamespace, t.typname)
    FROM pg_type t
    WHERE left(t.typname, 8) = '_pgstep_' AND t.typrelid = 0 AND t.typcategory <> 'A'
      AND t.typnamespace NOT IN (SELECT oid FROM sys)
)
SELECT l FROM line ORDER BY l COLLATE "C";
