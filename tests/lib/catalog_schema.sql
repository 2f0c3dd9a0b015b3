-- The schema of a database from its catalogs, one sorted line per object,
-- for schema_dump (tests/lib/common.sh) where pg_dump cannot be used: the
-- Debian pg_dump is older than the server and refuses it. Every schema but
-- the system's, pgstep's state and the oracle's (tests/lib/oracle.sql);
-- as strict as a dump where tests compare them: column positions,
-- function bodies, grants and comments are in it; OIDs and sequence values
-- are not.
-- psql -X -At -f catalog_schema.sql
SET search_path = pg_catalog;

WITH nsp AS (
    SELECT oid, nspname
    FROM pg_namespace
    WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', 'pgstep', 'pgstep_oracle')
),
rel AS (
    SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS name, c.relkind
    FROM pg_class c JOIN nsp n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c')
),
line AS (
    SELECT format('schema %I owner=%s acl=%s comment=%s', n.nspname, pg_get_userbyid(s.nspowner),
                  coalesce(s.nspacl::text, '-'), coalesce(obj_description(n.oid, 'pg_namespace'), '-')) AS l
    FROM nsp n JOIN pg_namespace s ON s.oid = n.oid

    UNION ALL
    SELECT format('extension %s schema=%s', e.extname, e.extnamespace::regnamespace)
    FROM pg_extension e

    UNION ALL
    SELECT format('relation %s kind=%s persistence=%s replident=%s options=%s partkey=%s partition_of=%s bound=%s acl=%s comment=%s',
                  r.name, r.relkind, c.relpersistence, c.relreplident, coalesce(c.reloptions::text, '-'),
                  coalesce(pg_get_partkeydef(c.oid), '-'),
                  coalesce((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid), '-'),
                  coalesce(pg_get_expr(c.relpartbound, c.oid), '-'),
                  coalesce(c.relacl::text, '-'),
                  coalesce(obj_description(c.oid, 'pg_class'), '-'))
    FROM rel r JOIN pg_class c ON c.oid = r.oid

    UNION ALL
    SELECT format('column %s.%I position=%s type=%s notnull=%s default=%s identity=%s generated=%s collation=%s storage=%s acl=%s comment=%s',
                  r.name, a.attname,
                  (SELECT count(*) FROM pg_attribute b
                   WHERE b.attrelid = a.attrelid AND b.attnum > 0 AND b.attnum <= a.attnum AND NOT b.attisdropped),
                  format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  CASE WHEN a.attgenerated = '' THEN coalesce(pg_get_expr(d.adbin, d.adrelid), '-') ELSE '-' END,
                  CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by-default' ELSE '-' END,
                  CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) ELSE '-' END,
                  CASE WHEN a.attcollation = 0 THEN '-' ELSE (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
                  a.attstorage, coalesce(a.attacl::text, '-'),
                  coalesce(col_description(r.oid, a.attnum), '-'))
    FROM rel r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE r.relkind <> 'S'

    UNION ALL
    SELECT format('constraint %s.%I type=%s def=%s validated=%s deferrable=%s deferred=%s local=%s inherited=%s comment=%s',
                  r.name, co.conname, co.contype, pg_get_constraintdef(co.oid), co.convalidated,
                  co.condeferrable, co.condeferred, co.conislocal, co.coninhcount,
                  coalesce(obj_description(co.oid, 'pg_constraint'), '-'))
    FROM rel r JOIN pg_constraint co ON co.conrelid = r.oid

    UNION ALL
    SELECT format('domain constraint %s.%I def=%s validated=%s', co.contypid::regtype, co.conname,
                  pg_get_constraintdef(co.oid), co.convalidated)
    FROM pg_constraint co JOIN pg_type t ON t.oid = co.contypid JOIN nsp n ON n.oid = t.typnamespace

    UNION ALL
    SELECT format('index %s.%I def=%s valid=%s clustered=%s replident=%s comment=%s',
                  r.name, ic.relname, pg_get_indexdef(i.indexrelid), i.indisvalid,
                  i.indisclustered, i.indisreplident,
                  coalesce(obj_description(ic.oid, 'pg_class'), '-'))
    FROM rel r
    JOIN pg_index i ON i.indrelid = r.oid
    JOIN pg_class ic ON ic.oid = i.indexrelid

    UNION ALL
    SELECT format('trigger %s.%I def=%s enabled=%s', r.name, tg.tgname, pg_get_triggerdef(tg.oid), tg.tgenabled)
    FROM rel r JOIN pg_trigger tg ON tg.tgrelid = r.oid
    WHERE NOT tg.tgisinternal

    UNION ALL
    SELECT format('rule %s.%I def=%s', r.name, ru.rulename, regexp_replace(pg_get_ruledef(ru.oid), '\s+', ' ', 'g'))
    FROM rel r JOIN pg_rewrite ru ON ru.ev_class = r.oid
    WHERE ru.rulename <> '_RETURN'

    UNION ALL
    SELECT format('policy %s.%I def=%s %s using=%s check=%s', r.name, po.polname, po.polcmd, po.polpermissive,
                  coalesce(pg_get_expr(po.polqual, po.polrelid), '-'), coalesce(pg_get_expr(po.polwithcheck, po.polrelid), '-'))
    FROM rel r JOIN pg_policy po ON po.polrelid = r.oid

    UNION ALL
    SELECT format('view %s def=%s', r.name, regexp_replace(pg_get_viewdef(r.oid), '\s+', ' ', 'g'))
    FROM rel r
    WHERE r.relkind IN ('v', 'm')

    UNION ALL
    SELECT format('sequence %s type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s owned_by=%s',
                  r.name, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                  s.seqcache, s.seqcycle,
                  coalesce((SELECT format('%s.%I(%s)', dp.refobjid::regclass, da.attname, dp.deptype)
                            FROM pg_depend dp
                            JOIN pg_attribute da ON da.attrelid = dp.refobjid AND da.attnum = dp.refobjsubid
                            WHERE dp.classid = 'pg_class'::regclass AND dp.objid = r.oid
                              AND dp.refclassid = 'pg_class'::regclass AND dp.deptype IN ('a', 'i')), '-'))
    FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid

    UNION ALL
    -- functions and procedures with their whole definition, on one line
    SELECT format('function %I.%I(%s) kind=%s acl=%s def=%s', n.nspname, p.proname,
                  pg_get_function_identity_arguments(p.oid), p.prokind, coalesce(p.proacl::text, '-'),
                  CASE WHEN p.prokind = 'a' THEN '-' ELSE replace(pg_get_functiondef(p.oid), E'\n', '\n') END)
    FROM pg_proc p JOIN nsp n ON n.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT FROM pg_depend dp WHERE dp.classid = 'pg_proc'::regclass AND dp.objid = p.oid AND dp.deptype = 'e')

    UNION ALL
    SELECT format('type %s kind=%s def=%s', t.oid::regtype, t.typtype,
                  CASE t.typtype
                      WHEN 'e' THEN (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid)
                      WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) || ' notnull=' || t.typnotnull
                      ELSE '-' END)
    FROM pg_type t JOIN nsp n ON n.oid = t.typnamespace
    WHERE (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
      AND t.typcategory <> 'A'

    UNION ALL
    SELECT format('event trigger %I event=%s function=%s enabled=%s tags=%s', e.evtname, e.evtevent, e.evtfoid::regproc,
                  e.evtenabled, coalesce(e.evttags::text, '-'))
    FROM pg_event_trigger e
)
SELECT l FROM line ORDER BY l COLLATE "C";
