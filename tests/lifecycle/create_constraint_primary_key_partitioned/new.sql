DELETE FROM readings WHERE sensor = 4 AND taken_at < '2026-01-01 00:05+00';
UPDATE readings SET value = 2.5 WHERE sensor = 2 AND taken_at = '2027-01-01 00:00+00';
