-- The old application, through the view: the table's defaults apply.
INSERT INTO items (label) VALUES ('old insert');
UPDATE items SET price = price + 1000 WHERE id BETWEEN 101 AND 110;
DELETE FROM items WHERE id BETWEEN 111 AND 115;
