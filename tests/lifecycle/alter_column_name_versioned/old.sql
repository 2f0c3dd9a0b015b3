-- The old application writes label.
INSERT INTO items (label, price) VALUES ('old insert', 1);
INSERT INTO items (price) VALUES (2);
UPDATE items SET label = 'old update ' || id WHERE id BETWEEN 101 AND 110;
