INSERT INTO items (label, price) VALUES ('old insert', 1);
UPDATE items SET price = 0 WHERE id BETWEEN 101 AND 110;
