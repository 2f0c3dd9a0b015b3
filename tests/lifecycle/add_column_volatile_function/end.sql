-- nothing of the whole migration rewrote items
SELECT c.relfilenode = f.relfilenode FROM pg_class c, items_file f WHERE c.oid = 'items'::regclass;
SELECT count(*) = 3003 FROM items;
SELECT count(*) = 0 FROM items WHERE token IS NULL;
SELECT count(DISTINCT token) = count(*) FROM items;
-- the default is in place for the new application: each insert its own value
INSERT INTO items (label) VALUES ('after contract'); INSERT INTO items (label) VALUES ('after contract, too') RETURNING true;
SELECT count(DISTINCT token) = 2 FROM items WHERE label LIKE 'after contract%';
