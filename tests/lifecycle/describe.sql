-- The schema of a database as one sorted list of lines, for diff: what two
-- databases built the same way by different means (pgstep, or plain DDL)
-- must have alike. No OIDs, no physical column order (shadow columns move
-- attnum), no sequence values. pgstep's own state schema is left out, and
-- so are the oracle's instruments (schema pgstep_oracle, tests/lib/oracle.sql)
-- and the schema -v vschema=SCHEMA names (a versioned case after
-- contract, see run.sh: the new application's, which the oracle has not).
-- psql -X -At [-v vschema=SCHEMA] -f describe.sql
\if :{?vschema}
\else
\set vschema ''
\endif
SET search_path = pg_catalog;

WITH rel AS (
    SELECT c.oid, c.relname, c.relkind
    FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
),
line AS (
    -- schemas other than the system's, pgstep's and the oracle's
    SELECT format('schema %s', nspname) AS l
    FROM pg_namespace
    WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', 'pgstep', 'pgstep_oracle', :'vschema')

    UNION ALL
    -- relations: kind, persistence, replica identity, partitioning, grants, comment
    SELECT format('relation %s kind=%s persistence=%s replident=%s partkey=%s partition_of=%s bound=%s acl=%s comment=%s',
                  r.relname, r.relkind, c.relpersistence, c.relreplident,
                  coalesce(pg_get_partkeydef(c.oid), '-'),
                  coalesce((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid), '-'),
                  coalesce(pg_get_expr(c.relpartbound, c.oid), '-'),
                  coalesce(c.relacl::text, '-'),
                  coalesce(obj_description(c.oid, 'pg_class'), '-'))
    FROM rel r JOIN pg_class c ON c.oid = r.oid

    UNION ALL
    -- columns, in name order whatever their attnum
    SELECT format('column %s.%s type=%s notnull=%s default=%s identity=%s generated=%s collation=%s storage=%s comment=%s',
                  r.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  CASE WHEN a.attgenerated = '' THEN coalesce(pg_get_expr(d.adbin, d.adrelid), '-') ELSE '-' END,
                  CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by-default' ELSE '-' END,
                  CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) ELSE '-' END,
                  CASE WHEN a.attcollation = 0 THEN '-' ELSE (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
                  CASE WHEN a.attstorage = t.typstorage THEN '-' ELSE a.attstorage::text END,
                  coalesce(col_description(r.oid, a.attnum), '-'))
    FROM rel r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE r.relkind <> 'S'

    UNION ALL
    -- constraints. PostgreSQL 18 keeps NOT NULL as a constraint (type n)
    -- with a name of its choosing, TABLE_COLUMN_not_null, which a plain
    -- RENAME COLUMN keeps and a column made anew takes from its new name:
    -- such a name is not compared (the column line has NOT NULL), but
    -- one that carries a helper's name (_pgstep_) is.
    SELECT format('constraint %s.%s type=%s def=%s validated=%s deferrable=%s deferred=%s local=%s inherited=%s comment=%s',
                  r.relname,
                  CASE WHEN co.contype = 'n' AND left(co.conname, length(r.relname) + 1) = r.relname || '_'
                            AND co.conname ~ '_not_null[0-9]*$' AND strpos(co.conname, '_pgstep_') = 0
                       THEN '(a NOT NULL of PostgreSQL''s naming)' ELSE co.conname END,
                  co.contype, pg_get_constraintdef(co.oid), co.convalidated,
                  co.condeferrable, co.condeferred, co.conislocal, co.coninhcount,
                  coalesce(obj_description(co.oid, 'pg_constraint'), '-'))
    FROM rel r JOIN pg_constraint co ON co.conrelid = r.oid

    UNION ALL
    -- indexes
    SELECT format('index %s.%s def=%s valid=%s clustered=%s replident=%s comment=%s',
                  r.relname, ic.relname, pg_get_indexdef(i.indexrelid), i.indisvalid,
                  i.indisclustered, i.indisreplident,
                  coalesce(obj_description(ic.oid, 'pg_class'), '-'))
    FROM rel r
    JOIN pg_index i ON i.indrelid = r.oid
    JOIN pg_class ic ON ic.oid = i.indexrelid

    UNION ALL
    -- triggers the user (or pgstep) made; not the internal ones of foreign keys
    SELECT format('trigger %s.%s def=%s enabled=%s', r.relname, tg.tgname, pg_get_triggerdef(tg.oid), tg.tgenabled)
    FROM rel r JOIN pg_trigger tg ON tg.tgrelid = r.oid
    WHERE NOT tg.tgisinternal

    UNION ALL
    -- views and their definitions, on one line
    SELECT format('view %s def=%s', r.relname, regexp_replace(pg_get_viewdef(r.oid), '\s+', ' ', 'g'))
    FROM rel r
    WHERE r.relkind IN ('v', 'm')

    UNION ALL
    -- sequences: their parameters and owning column, not their values
    SELECT format('sequence %s type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s owned_by=%s',
                  r.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                  s.seqcache, s.seqcycle,
                  coalesce((SELECT format('%s.%s(%s)', dc.relname, da.attname, dp.deptype)
                            FROM pg_depend dp
                            JOIN pg_class dc ON dc.oid = dp.refobjid
                            JOIN pg_attribute da ON da.attrelid = dp.refobjid AND da.attnum = dp.refobjsubid
                            WHERE dp.classid = 'pg_class'::regclass AND dp.objid = r.oid
                              AND dp.refclassid = 'pg_class'::regclass AND dp.deptype IN ('a', 'i')), '-'))
    FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid

    UNION ALL
    -- functions and procedures in public: name, arguments, result, kind
    SELECT format('function %s(%s) returns=%s kind=%s', p.proname, pg_get_function_identity_arguments(p.oid),
                  coalesce(pg_get_function_result(p.oid), '-'), p.prokind)
    FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace

    UNION ALL
    -- types of public that are not a relation's row type nor an array
    SELECT format('type %s kind=%s', t.typname, t.typtype)
    FROM pg_type t
    WHERE t.typnamespace = 'public'::regnamespace
      AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
      AND t.typcategory <> 'A'
)
SELECT l FROM line ORDER BY l COLLATE "C";
