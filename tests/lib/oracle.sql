-- The oracle's instruments (tests/lib/oracle.sh), installed in the
-- database under test before pgstep first runs there: everything in the
-- schema pgstep_oracle, which describe.sql, helpers.sql and schema_dump
-- leave out, and three event triggers (which pg_dump shows, alike in
-- every dump of a test).
--
--   pgstep_oracle.ddl      one row per DDL command and table its
--                          transaction holds a lock on when the command
--                          ends (ddl_command_end): the lock mode, as
--                          pg_locks shows it, the table's size, and how
--                          many times the command scanned the table
--                          (pg_stat_get_xact_numscans: the backend's
--                          pending counter, read at ddl_command_start and
--                          at ddl_command_end; pending counters are only
--                          flushed between transactions, so the
--                          difference is the command's own scans)
--   pgstep_oracle.cmd      one row per DDL command, whatever it locked
--   pgstep_oracle.rewrite  one row per table rewrite (table_rewrite)
--   pgstep_oracle.filenode the relfilenodes recorded before a phase
--   pgstep_oracle.measure(table) the bound of a step's duration, from
--                          a metadata-only ALTER and a scanning one
--
-- A row is written in the transaction of the command: a command that
-- fails or is rolled back leaves none. The functions pin search_path.
-- psql -X -v ON_ERROR_STOP=1 -f oracle.sql
SET client_min_messages = warning;
CREATE SCHEMA pgstep_oracle;

CREATE TABLE pgstep_oracle.ddl (
    id bigserial PRIMARY KEY,
    cmd bigint NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    xid bigint,
    pid integer NOT NULL,
    app text NOT NULL,
    query text NOT NULL,
    tag text NOT NULL,
    relid oid NOT NULL,
    relname text NOT NULL,
    relkind "char",
    mode text NOT NULL,
    pages bigint,
    scans bigint,
    tuples bigint
);

-- every DDL command, whatever it locked
CREATE TABLE pgstep_oracle.cmd (
    id bigserial PRIMARY KEY,
    app text NOT NULL,
    query text NOT NULL,
    tag text NOT NULL
);

CREATE TABLE pgstep_oracle.rewrite (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    pid integer NOT NULL,
    app text NOT NULL,
    query text NOT NULL,
    relid oid NOT NULL,
    relname text NOT NULL,
    reason integer NOT NULL
);

CREATE TABLE pgstep_oracle.filenode (
    oid oid PRIMARY KEY,
    what text NOT NULL,
    filenode oid
);

-- The tables of the user's schemas, and the strength of a lock mode.
CREATE FUNCTION pgstep_oracle.user_tables() RETURNS SETOF oid
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.oid FROM pg_class c
    WHERE c.relkind IN ('r', 'm', 'p')
      AND c.relnamespace NOT IN (SELECT oid FROM pg_namespace
                                 WHERE nspname IN ('pg_catalog', 'information_schema', 'pg_toast', 'pgstep', 'pgstep_oracle')
                                    OR nspname ~ '^pg_temp_' OR nspname ~ '^pg_toast_temp_')
$$;

CREATE FUNCTION pgstep_oracle.strength(mode text) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT array_position(ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock',
                                'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'], mode)
$$;

-- A table's size in pages; a partitioned table's is its partitions'.
CREATE FUNCTION pgstep_oracle.pages(rel oid) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN (SELECT relkind FROM pg_class WHERE oid = rel) = 'p'
                THEN (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree(rel) WHERE isleaf)::bigint / 8192
                ELSE pg_relation_size(rel) / 8192 END
$$;

CREATE FUNCTION pgstep_oracle.on_start() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM set_config('pgstep_oracle.scans',
                       coalesce((SELECT jsonb_object_agg(t::text, jsonb_build_array(pg_stat_get_xact_numscans(t),
                                                                                   pg_stat_get_xact_tuples_returned(t)))
                                 FROM pgstep_oracle.user_tables() t)::text, '{}'),
                       false);
END
$$;

CREATE FUNCTION pgstep_oracle.on_end() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    before jsonb := coalesce(nullif(current_setting('pgstep_oracle.scans', true), ''), '{}')::jsonb;
    cmd_id bigint;
BEGIN
    INSERT INTO pgstep_oracle.cmd (app, query, tag) VALUES (current_setting('application_name'), current_query(), tg_tag)
    RETURNING id INTO cmd_id;
    INSERT INTO pgstep_oracle.ddl (cmd, xid, pid, app, query, tag, relid, relname, relkind, mode, pages, scans, tuples)
    SELECT cmd_id, txid_current_if_assigned(), pg_backend_pid(), current_setting('application_name'), current_query(), tg_tag,
           l.relation, CASE WHEN c.oid IS NULL THEN l.relation::text ELSE format('%I.%I', c.relnamespace::regnamespace, c.relname) END,
           c.relkind, l.mode,
           CASE WHEN c.oid IS NOT NULL THEN pgstep_oracle.pages(c.oid) END,
           CASE WHEN c.oid IS NOT NULL AND before ? c.oid::text
                THEN pg_stat_get_xact_numscans(c.oid) - (before -> c.oid::text ->> 0)::bigint END,
           CASE WHEN c.oid IS NOT NULL AND before ? c.oid::text
                THEN pg_stat_get_xact_tuples_returned(c.oid) - (before -> c.oid::text ->> 1)::bigint END
    FROM pg_locks l
    LEFT JOIN pg_class c ON c.oid = l.relation
    WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      -- a table of the user's, or one this transaction dropped
      AND (c.oid IS NULL OR c.oid IN (SELECT pgstep_oracle.user_tables()));
END
$$;

CREATE FUNCTION pgstep_oracle.on_rewrite() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pgstep_oracle.rewrite (pid, app, query, relid, relname, reason)
    VALUES (pg_backend_pid(), current_setting('application_name'), current_query(),
            pg_event_trigger_table_rewrite_oid(), pg_event_trigger_table_rewrite_oid()::regclass::text,
            pg_event_trigger_table_rewrite_reason());
END
$$;

-- measure(table, runs): the slowest of RUNS metadata-only ALTERs (ADD
-- COLUMN without a default) and the fastest of RUNS scanning ones (ADD
-- CONSTRAINT ... CHECK, validated: every row read) on TABLE, each undone,
-- in milliseconds, as the server times them.
CREATE FUNCTION pgstep_oracle.measure(tab regclass, runs integer, OUT metadata_ms double precision, OUT scan_ms double precision)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    col name := (SELECT attname FROM pg_attribute WHERE attrelid = tab AND attnum > 0 AND NOT attisdropped ORDER BY attnum LIMIT 1);
    t0 timestamptz;
    ms double precision;
BEGIN
    metadata_ms := 0;
    scan_ms := 'Infinity';
    FOR i IN 1 .. runs LOOP
        t0 := clock_timestamp();
        BEGIN
            EXECUTE format('ALTER TABLE %s ADD COLUMN pgstep_oracle_probe integer', tab);
            RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
        EXCEPTION WHEN raise_exception THEN
        END;
        ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
        metadata_ms := greatest(metadata_ms, ms);
        t0 := clock_timestamp();
        BEGIN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT pgstep_oracle_probe CHECK (num_nulls(%I) >= 0)', tab, col);
            RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
        EXCEPTION WHEN raise_exception THEN
        END;
        ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
        scan_ms := least(scan_ms, ms);
    END LOOP;
END
$$;


-- pgstep's step log, empty before pgstep has made its state schema.
CREATE FUNCTION pgstep_oracle.steps() RETURNS TABLE (id bigint, migration text, phase text, step integer, direction text,
                                                     summary text, sql text, attempts integer, lock_wait_ms bigint, duration_ms bigint,
                                                     error text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF to_regclass('pgstep.steps') IS NOT NULL THEN
        RETURN QUERY SELECT s.id, s.migration, s.phase, s.step, s.direction, s.summary, s.sql, s.attempts, s.lock_wait_ms,
                            s.duration_ms, s.error
                     FROM pgstep.steps s;
    END IF;
END
$$;

CREATE EVENT TRIGGER pgstep_oracle_start ON ddl_command_start EXECUTE FUNCTION pgstep_oracle.on_start();
CREATE EVENT TRIGGER pgstep_oracle_end ON ddl_command_end EXECUTE FUNCTION pgstep_oracle.on_end();
CREATE EVENT TRIGGER pgstep_oracle_rewrite ON table_rewrite EXECUTE FUNCTION pgstep_oracle.on_rewrite();
