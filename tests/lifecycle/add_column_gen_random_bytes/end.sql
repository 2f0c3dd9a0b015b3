-- nothing of the whole migration rewrote items
SELECT c.relfilenode = f.relfilenode FROM pg_class c, items_file f WHERE c.oid = 'items'::regclass;
SELECT count(*) = 3003 FROM items;
SELECT count(DISTINCT salt) = count(*) FROM items;
-- the default is in place: each insert its own bytes
INSERT INTO items (label) VALUES ('after contract'); INSERT INTO items (label) VALUES ('after contract, too') RETURNING true;
SELECT count(DISTINCT salt) = 2 AND min(length(salt)) = 16 FROM items WHERE label LIKE 'after contract%';
