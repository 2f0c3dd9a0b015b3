SELECT count(*) = 3003 FROM items;
SELECT count(*) = 10 FROM items WHERE title LIKE 'old update %';
SELECT count(*) = 5 FROM items WHERE title LIKE 'new update %';
SELECT title = 'untitled' FROM items WHERE price = 2 AND id > 3000;
INSERT INTO items (price) VALUES (4) RETURNING title = 'untitled';
