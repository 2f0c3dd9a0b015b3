SELECT to_regclass('legacy_prices') IS NULL;
SELECT count(*) = 3002 FROM items;
-- the new application goes on through its schema
SET search_path = public_drop_table_versioned; INSERT INTO items (label) VALUES ('after contract') RETURNING id > 3002;
SELECT count(*) = 3003 FROM items;
