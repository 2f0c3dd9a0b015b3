INSERT INTO items (label, email) VALUES ('new insert', 'new@example.com');
UPDATE items SET email = 'new' || id || '@example.com' WHERE id BETWEEN 201 AND 205;
