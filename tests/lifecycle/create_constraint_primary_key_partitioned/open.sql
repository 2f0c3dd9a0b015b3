-- a valid unique index on each of the 3 leaf partitions, named as PostgreSQL names a primary key's; no key yet
SELECT count(*) = 3 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indisvalid AND i.indisunique AND NOT i.indisprimary
   AND c.relname IN ('readings_2026_pkey', 'readings_later_0_pkey', 'readings_later_1_pkey');
-- no constraint but PostgreSQL 18's NOT NULL ones (the columns' own, from setup)
SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n');
SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'readings'::regclass AND attname = 'taken_at';
-- duplicates are refused already
SELECT pg_temp.refused($$INSERT INTO readings VALUES (1, '2027-01-01 00:00+00', 9)$$, '23505');
-- the writes
SELECT count(*) = 2997 FROM readings;
SELECT count(*) = 10 FROM readings WHERE value = -1;
SELECT value = 2.5 FROM readings WHERE sensor = 2 AND taken_at = '2027-01-01 00:00+00';
