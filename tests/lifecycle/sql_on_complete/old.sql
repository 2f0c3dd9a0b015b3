INSERT INTO items (label, legacy) VALUES ('old insert', 'old legacy');
UPDATE items SET legacy = NULL WHERE id BETWEEN 101 AND 110;
