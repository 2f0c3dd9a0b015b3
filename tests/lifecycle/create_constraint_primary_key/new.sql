INSERT INTO readings VALUES (2, '2027-01-01 00:00+00', 2.5);
DELETE FROM readings WHERE sensor = 4 AND taken_at < '2026-01-01 00:05+00';
