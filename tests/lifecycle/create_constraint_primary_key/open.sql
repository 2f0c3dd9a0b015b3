-- the unique index, valid; no key, no NOT NULL yet
SELECT indisvalid AND indisunique AND NOT indisprimary FROM pg_index WHERE indexrelid = 'readings_pkey'::regclass;
SELECT pg_get_indexdef('readings_pkey'::regclass) =
       'CREATE UNIQUE INDEX readings_pkey ON public.readings USING btree (sensor, taken_at) WITH (fillfactor=''90'')';
-- (PostgreSQL 18 keeps NOT NULL as a constraint too: sensor's is not the key)
SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'readings'::regclass AND contype <> 'n');
SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'readings'::regclass AND attname = 'taken_at';
SELECT attnotnull FROM pg_attribute WHERE attrelid = 'readings'::regclass AND attname = 'sensor';
-- duplicates are refused already
SELECT pg_temp.refused($$INSERT INTO readings VALUES (1, '2027-01-01 00:00+00', 9)$$, '23505');
-- the writes
SELECT count(*) = 2997 FROM readings;
SELECT count(*) = 10 FROM readings WHERE value = -1;
SELECT count(*) = 0 FROM readings WHERE sensor = 4 AND taken_at < '2026-01-01 00:05+00';
SELECT value = 2.5 FROM readings WHERE sensor = 2 AND taken_at = '2027-01-01 00:00+00';
