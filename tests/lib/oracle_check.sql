-- After a phase (tests/lib/oracle.sh): one line per finding, `FAIL ...`
-- for what the oracle refuses and `STEP ...` recording each step of the
-- phase: the strongest lock it was seen to hold on a table with rows, the
-- table's size and how long the step ran.
-- psql -v what=PHASE -v ddl_from=N -v cmd_from=N -v rewrite_from=N -v step_from=N
--      -v bound_ms=N -f oracle_check.sql
SET search_path = pg_catalog;

-- pgstep's DDL commands of this phase, per command and table: the
-- strongest lock held on it when the command ended, its size, its scans.
CREATE TEMP VIEW seen AS
SELECT d.query, d.relid, d.relname, max(d.pages) AS pages, max(d.scans) AS scans, max(d.tuples) AS tuples,
       max(pgstep_oracle.strength(d.mode)) AS strength,
       (ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock',
              'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'])[max(pgstep_oracle.strength(d.mode))] AS mode
FROM pgstep_oracle.ddl d
WHERE d.id > :ddl_from AND d.app LIKE 'pgstep%'
GROUP BY d.cmd, d.query, d.relid, d.relname;

-- The steps of the phase. The plan's own SQL (operations sql and raw_sql)
-- is the plan author's: pgstep runs it as written, under lock_timeout, and
-- promises nothing about how long it holds its locks; what the oracle
-- finds in it is recorded (PLAN lines), not refused.
CREATE TEMP VIEW phase_steps AS
SELECT s.*, s.summary ~ '^run (raw )?sql\M' AS plans_own
FROM pgstep_oracle.steps() s WHERE s.id > :step_from AND s.error IS NULL;

CREATE FUNCTION pg_temp.oneline(t text, n integer) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT left(regexp_replace(t, '\s+', ' ', 'g'), n) $$;

-- 1. No table that was there before the phase and still is has a new
--    file: expand, backfill and switch rewrite nothing, contract only what
--    it drops (a dropped table is not there to compare), a rollback
--    nothing. The table_rewrite events say which statement did it.
SELECT format('FAIL %s rewrote %s: its relfilenode was %s, now %s%s', :'what', f.what, f.filenode,
              pg_relation_filenode(f.oid),
              coalesce(' (table_rewrite: ' || (SELECT string_agg(DISTINCT format('%s by %s', r.relname, pg_temp.oneline(r.query, 300)), '; ')
                                                 FROM pgstep_oracle.rewrite r WHERE r.id > :rewrite_from) || ')', ''))
FROM pgstep_oracle.filenode f
WHERE EXISTS (SELECT FROM pg_class c WHERE c.oid = f.oid)
  AND pg_relation_filenode(f.oid) IS DISTINCT FROM f.filenode;

-- 2. No statement of pgstep's reads every row of a table with rows while
--    its transaction holds a lock that blocks writes (SHARE or stronger):
--    a validation scan, an index build or a rewrite under that lock.
SELECT format('%s %s: a statement scanned %s (%s pages; %s scan(s), %s rows read) while its transaction held %s on it: %s',
              CASE WHEN EXISTS (SELECT FROM phase_steps s WHERE s.sql = seen.query AND s.plans_own) THEN 'PLAN' ELSE 'FAIL' END,
              :'what', relname, pages, scans, tuples, mode, pg_temp.oneline(query, 400))
FROM seen
WHERE strength >= 5 AND pages > 0 AND scans > 0;

-- 3. Every DDL command of pgstep's that takes such a lock on a table with
--    rows is a step of its log, where its duration is.
SELECT DISTINCT format('FAIL %s: pgstep took %s on %s (%s pages) outside its step log: %s', :'what', mode, relname, pages,
                       pg_temp.oneline(query, 400))
FROM seen
WHERE strength >= 5 AND pages > 0 AND NOT EXISTS (SELECT FROM phase_steps s WHERE s.sql = seen.query);

-- 4. Every step: the strongest lock seen on a table with rows, and its
--    time (duration_ms less the lock waits of the attempts that timed
--    out). A lock that blocks writes may not be held longer than a
--    scan-free statement takes (bound_ms, see oracle_measure).
--    A DDL step that no event trigger saw means the oracle is blind.
WITH step AS (
    SELECT s.*, s.duration_ms - s.lock_wait_ms AS held_ms,
           (SELECT w FROM seen w WHERE w.query = s.sql AND w.pages > 0
            ORDER BY w.strength DESC, w.pages DESC LIMIT 1) AS w,
           EXISTS (SELECT FROM pgstep_oracle.cmd c WHERE c.id > :cmd_from AND c.query = s.sql) AS observed
    FROM phase_steps s
)
SELECT CASE
           WHEN NOT observed AND sql ~* '^\s*(ALTER|CREATE|DROP|COMMENT)\M'
               THEN format('FAIL %s: the event triggers saw nothing of the DDL step %s %s#%s: %s', :'what', direction, phase,
                           step, pg_temp.oneline(sql, 300))
           WHEN (w).strength >= 5 AND held_ms > :bound_ms
               THEN format('%s %s: step %s %s#%s held %s on %s (%s pages) for %s ms, longer than a scan-free statement (%s ms): %s',
                           CASE WHEN plans_own THEN 'PLAN' ELSE 'FAIL' END, :'what', direction, phase, step, (w).mode, (w).relname, (w).pages, held_ms, :bound_ms,
                           pg_temp.oneline(sql, 300))
           ELSE format('STEP %s %s %s#%s lock=%s table=%s pages=%s ms=%s wait_ms=%s attempts=%s: %s', :'what', direction, phase,
                       step, coalesce((w).mode, CASE WHEN observed THEN 'none on a table with rows' ELSE 'no DDL event' END),
                       coalesce((w).relname, '-'), coalesce((w).pages, 0), held_ms, lock_wait_ms, attempts,
                       pg_temp.oneline(sql, 160))
       END
FROM step
ORDER BY id;
