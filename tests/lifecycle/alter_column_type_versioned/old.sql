-- The old application writes cents.
INSERT INTO items (label, price) VALUES ('old insert', 1999);
UPDATE items SET price = 5 WHERE id BETWEEN 101 AND 110;
