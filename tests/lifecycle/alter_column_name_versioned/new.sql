-- The new application writes title.
INSERT INTO items (title, price) VALUES ('new insert', 3);
UPDATE items SET title = 'new update ' || id WHERE id BETWEEN 201 AND 205;
