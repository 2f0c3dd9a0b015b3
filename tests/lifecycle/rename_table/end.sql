SELECT to_regclass('items') IS NULL;
SELECT count(*) = 2997 FROM products;
SELECT has_table_privilege('lifecycle_reader', 'products', 'SELECT');
INSERT INTO products (label) VALUES ('after contract') RETURNING id > 3002;
