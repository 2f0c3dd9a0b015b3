-- The old application, on the table itself.
INSERT INTO items (label) VALUES ('old insert');
UPDATE items SET price = price + 1000 WHERE id BETWEEN 101 AND 110;
DELETE FROM items WHERE id BETWEEN 111 AND 115;
