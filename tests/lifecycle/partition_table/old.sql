-- Both applications see one schema: writes, updates (one across
-- partitions) and deletes.
INSERT INTO events (happened_on, payload) VALUES ('2023-06-01', 'old insert'), ('2026-01-01', 'old insert, default partition');
UPDATE events SET payload = 'old update' WHERE id BETWEEN 101 AND 110;
UPDATE events SET happened_on = '2024-12-31' WHERE id = 120;
DELETE FROM events WHERE id BETWEEN 131 AND 135;
