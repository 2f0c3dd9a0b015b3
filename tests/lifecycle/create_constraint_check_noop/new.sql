INSERT INTO items (label, price, discount) VALUES ('new insert', 20, 1);
UPDATE items SET price = 1000 + id, discount = 1000 + id WHERE id BETWEEN 201 AND 205;
