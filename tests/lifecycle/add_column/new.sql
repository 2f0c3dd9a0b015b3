-- The new application sets label_len itself.
INSERT INTO items (label, price, label_len) VALUES ('new insert', 3, 42);
UPDATE items SET label_len = 7 WHERE id BETWEEN 201 AND 205;
