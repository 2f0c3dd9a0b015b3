SELECT to_regclass('items') IS NULL;
SELECT count(*) = 2997 FROM products;
SELECT has_table_privilege('lifecycle_reader', 'products', 'SELECT');
SELECT has_table_privilege('lifecycle_reader', 'public_rename_table_versioned.products', 'SELECT');
-- the new application goes on through its schema
SET search_path = public_rename_table_versioned; INSERT INTO products (label) VALUES ('after contract') RETURNING id > 3002;
SELECT count(*) = 2998 FROM products;
