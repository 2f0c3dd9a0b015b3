INSERT INTO items (label, price) VALUES ('old insert', 1999);
INSERT INTO items (label) VALUES ('old insert, default');
UPDATE items SET price = 5 WHERE id BETWEEN 101 AND 110;
