INSERT INTO products (label, price) VALUES ('new insert', 7);
UPDATE products SET price = 0 WHERE id BETWEEN 201 AND 205;
