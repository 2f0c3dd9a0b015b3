-- What an application sees in one schema, as sorted lines: every relation
-- it can read (tables, views, foreign tables; partitions aside) and its
-- columns, by position among the columns there are, name and type. For a
-- versioned case (run.sh), the versioned schema's views must show exactly
-- what the oracle's tables show: the new version's names, types and order.
-- psql -X -At -v schema=public_CASE -f columns.sql
SET search_path = pg_catalog;

WITH rel AS (
    SELECT c.oid, c.relname
    FROM pg_class c
    WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'schema')
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
),
line AS (
    SELECT format('relation %s', r.relname) AS l
    FROM rel r

    UNION ALL
    SELECT format('column %s %s %s type=%s', r.relname,
                  lpad((row_number() OVER (PARTITION BY r.oid ORDER BY a.attnum))::text, 3, '0'), a.attname,
                  format_type(a.atttypid, a.atttypmod))
    FROM rel r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
)
SELECT l FROM line ORDER BY l COLLATE "C";
