-- The old application still writes negative prices.
INSERT INTO items (label, price) VALUES ('old insert', -5), ('old insert, fine', 5);
UPDATE items SET price = -1 WHERE id BETWEEN 101 AND 110;
