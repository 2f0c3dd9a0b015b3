INSERT INTO items (label, price) VALUES ('new insert', 7);
UPDATE items SET price = 8 WHERE id BETWEEN 201 AND 205;
