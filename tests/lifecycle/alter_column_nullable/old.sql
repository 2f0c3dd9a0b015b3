INSERT INTO items (label, note) VALUES ('old insert', 'old note');
INSERT INTO items (label) VALUES ('old insert, default');
UPDATE items SET note = 'old update' WHERE id BETWEEN 101 AND 110;
