SELECT count(*) = 3000 FROM events;
-- through the gin index
SET enable_seqscan = off; SELECT count(*) = 12 FROM events WHERE payload @> '{"n": 9}';
SELECT pg_temp.refused($$INSERT INTO events (id, day, kind, code) VALUES (300001, '2025-03-03', 'buy', 'NEW1')$$, '23505');
