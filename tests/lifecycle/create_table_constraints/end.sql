SELECT count(*) = 0 FROM bookings;
INSERT INTO bookings (room_id, during, nights) VALUES (7, '[2026-05-01,2026-05-03)', 2) RETURNING id = 1000;
SELECT pg_temp.refused($$INSERT INTO bookings (room_id, during, ref, nights) VALUES (7, '[2026-05-02,2026-05-04)', 'X', 2)$$, '23P01');
-- rooms' deletion cascades
WITH d AS (DELETE FROM rooms WHERE id = 7 RETURNING 1) SELECT count(*) = 1 FROM d;
SELECT count(*) = 0 FROM bookings;
