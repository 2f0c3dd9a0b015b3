SELECT count(*) = 3003 FROM items;
SELECT count(*) = 10 FROM items WHERE title LIKE 'old update %';
SELECT count(*) = 5 FROM items WHERE title LIKE 'new update %';
SELECT title = 'untitled' FROM items WHERE price = 2 AND id > 3000;
-- the new application goes on through its schema, with the default
SET search_path = public_alter_column_name_versioned; INSERT INTO items (price) VALUES (4) RETURNING title = 'untitled';
SELECT title = 'new insert' FROM items WHERE price = 3 AND id > 3000;
