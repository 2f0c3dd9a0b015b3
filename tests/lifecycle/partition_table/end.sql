SELECT count(*) = 3998 FROM events;
SELECT count(*) = 5 FROM events WHERE kind = 'buy';
SELECT count(*) = 10 FROM events WHERE payload = 'old update';
-- the sequence goes on where it was
INSERT INTO events (happened_on) VALUES ('2024-03-03') RETURNING id > 4003 AND kind = 'click';
SELECT (SELECT count(*) FROM events_y2023) + (SELECT count(*) FROM events_y2024) + (SELECT count(*) FROM events_default) = 3999;
