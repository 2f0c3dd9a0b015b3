-- The old application writes cents, negative ones too.
INSERT INTO items (label, price) VALUES ('old insert', -500), ('old insert, fine', 1999);
UPDATE items SET price = -1 WHERE id BETWEEN 101 AND 109;
