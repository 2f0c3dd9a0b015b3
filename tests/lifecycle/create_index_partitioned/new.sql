INSERT INTO events (id, day, kind, code, payload) VALUES (200001, '2025-03-03', 'buy', 'NEW1', '{"n": 9}');
DELETE FROM events WHERE id BETWEEN 30 AND 34;
