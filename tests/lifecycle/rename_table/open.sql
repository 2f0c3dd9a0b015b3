SELECT relkind = 'r' FROM pg_class WHERE oid = 'products'::regclass;
SELECT relkind = 'v' FROM pg_class WHERE oid = 'items'::regclass;
-- the reader keeps its right through the view
SELECT has_table_privilege('lifecycle_reader', 'items', 'SELECT');
-- one table, seen by both names
SELECT count(*) = 2997 FROM products;
SELECT (SELECT count(*) FROM items) = (SELECT count(*) FROM products);
SELECT price = 0 AND id > 3000 FROM products WHERE label = 'old insert';
SELECT count(*) = 10 FROM products WHERE id BETWEEN 101 AND 110 AND price = id + 1000;
SELECT count(*) = 0 FROM products WHERE id BETWEEN 111 AND 115;
SELECT price = 7 FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 0;
