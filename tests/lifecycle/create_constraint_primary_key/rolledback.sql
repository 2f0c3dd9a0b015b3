-- the NOT NULL that was there stays, and duplicates are allowed again
SELECT attnotnull FROM pg_attribute WHERE attrelid = 'readings'::regclass AND attname = 'sensor';
SELECT NOT pg_temp.refused($$INSERT INTO readings VALUES (1, '2027-01-01 00:00+00', 9)$$);
