SELECT count(*) = 2997 FROM readings;
SELECT indisprimary FROM pg_index WHERE indexrelid = 'readings_pkey'::regclass;
SELECT pg_temp.refused($$INSERT INTO readings VALUES (5, NULL, 1)$$, '23502');
SELECT pg_temp.refused($$INSERT INTO readings VALUES (2, '2027-01-01 00:00+00', 9)$$, '23505');
