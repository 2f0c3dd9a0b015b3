-- The old application writes cents, and NULL where it does not know.
INSERT INTO items (label, price) VALUES ('old insert', 1999), ('old insert, no price', NULL);
UPDATE items SET price = NULL WHERE id BETWEEN 101 AND 105;
