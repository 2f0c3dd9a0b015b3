SELECT count(*) = 2997 FROM readings;
SELECT indisprimary FROM pg_index WHERE indexrelid = 'readings_pkey'::regclass;
SELECT count(*) = 4 FROM pg_constraint WHERE contype = 'p' AND conparentid <> 0 AND connamespace = 'public'::regnamespace;
SELECT attnotnull FROM pg_attribute WHERE attrelid = 'readings_later_1'::regclass AND attname = 'taken_at';
SELECT pg_temp.refused($$INSERT INTO readings VALUES (1, '2027-01-01 00:00+00', 9)$$, '23505');
