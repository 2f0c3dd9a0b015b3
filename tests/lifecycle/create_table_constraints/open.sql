-- the identity's sequence: START 1000 INCREMENT 10 (first, before the checks below draw from it)
SELECT array_agg(id ORDER BY id) = '{1000,1010,1020,1030}' FROM bookings;
SELECT seqstart = 1000 AND seqincrement = 10 FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('bookings', 'id')::regclass;
SELECT pg_temp.refused($$INSERT INTO bookings (id, room_id, during, nights) VALUES (1, 3, '[2026-01-01,2026-01-02)', 1)$$, '428C9');
-- the deferred reference: the booking made before its room is there
SELECT count(*) = 1 FROM bookings b JOIN rooms r ON r.id = b.room_id WHERE r.name = 'new room';
SELECT condeferrable AND condeferred FROM pg_constraint WHERE conrelid = 'bookings'::regclass AND contype = 'f';
BEGIN; SET CONSTRAINTS ALL IMMEDIATE; SELECT pg_temp.refused($$INSERT INTO bookings (room_id, during, ref, nights) VALUES (99999, '[2026-01-01,2026-01-02)', 'R0', 1)$$, '23503'); ROLLBACK;
-- the exclusion: no overlap of live bookings of one room; cancelled ones do not count
SELECT pg_temp.refused($$INSERT INTO bookings (room_id, during, ref, nights) VALUES (1, '[2026-03-02,2026-03-04)', 'R2', 2)$$, '23P01');
SELECT NOT pg_temp.refused($$INSERT INTO bookings (room_id, during, ref, cancelled, nights) VALUES (1, '[2026-03-02,2026-03-04)', 'R2', true, 2)$$);
SELECT NOT pg_temp.refused($$INSERT INTO bookings (room_id, during, ref, nights) VALUES (3, '[2026-03-02,2026-03-04)', 'R2', 2)$$);
-- the unique constraint: NULLs not distinct
SELECT pg_temp.refused($$INSERT INTO bookings (room_id, during, nights) VALUES (4, '[2026-01-01,2026-01-02)', 1)$$, '23505');
SELECT pg_temp.refused($$INSERT INTO bookings (room_id, during, ref, guest_email, nights) VALUES (5, '[2026-01-01,2026-01-02)', 'R1', 'a@example.com', 1)$$, '23505');
SELECT NOT pg_temp.refused($$INSERT INTO bookings (room_id, during, ref, guest_email, nights) VALUES (5, '[2026-01-01,2026-01-02)', 'R1', NULL, 1)$$);
-- the NO INHERIT check
SELECT connoinherit FROM pg_constraint WHERE conrelid = 'bookings'::regclass AND conname = 'bookings_nights_positive';
SELECT pg_temp.refused($$INSERT INTO bookings (room_id, during, ref, nights) VALUES (6, '[2026-01-01,2026-01-02)', 'R6', 0)$$, '23514');
-- the indexes' parameters
SELECT pg_get_indexdef('bookings_ref_guest_key'::regclass) =
       'CREATE UNIQUE INDEX bookings_ref_guest_key ON public.bookings USING btree (ref, guest_email) INCLUDE (nights) NULLS NOT DISTINCT WITH (fillfactor=''70'')';
SELECT pg_get_indexdef('bookings_no_overlap'::regclass) =
       'CREATE INDEX bookings_no_overlap ON public.bookings USING gist (room_id, during) WITH (fillfactor=''80'') WHERE (NOT cancelled)';
SELECT reloptions = '{fillfactor=90}' FROM pg_class WHERE oid = 'bookings_pkey'::regclass;
-- the old application's writes
SELECT count(*) = 3002 FROM rooms;
SELECT count(*) = 10 FROM rooms WHERE name = 'old update ' || id;
