INSERT INTO items (label, price) VALUES ('old insert', 5);
UPDATE items SET price = price + 1000 WHERE id BETWEEN 101 AND 110;
