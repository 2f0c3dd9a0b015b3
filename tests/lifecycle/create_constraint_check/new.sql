-- The new application: one column, so up rewrites its writes too.
INSERT INTO items (label, price) VALUES ('new insert', 7), ('new insert, negative', -3);
UPDATE items SET price = 8 WHERE id BETWEEN 201 AND 205;
