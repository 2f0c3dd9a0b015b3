INSERT INTO readings VALUES (1, '2027-01-01 00:00+00', 1), (2, '2027-01-01 00:00+00', 2);
UPDATE readings SET value = -1 WHERE sensor = 3 AND taken_at < '2026-01-01 00:10+00';
