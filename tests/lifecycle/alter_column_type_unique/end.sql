SELECT count(*) = 3001 FROM items;
SELECT code = 'C800001' FROM items WHERE label = 'item 300';
SELECT code = 'C900001' FROM items WHERE label = 'old insert';
SELECT code = 'C000003' FROM items WHERE id = 1;
-- the constraint holds, under PostgreSQL's name
SELECT pg_temp.refused($$INSERT INTO items (label, code) VALUES ('twice', 'C000003')$$, '23505');
SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_code_key' AND contype = 'u');
SELECT col_description('items'::regclass, attnum) = 'the item''s code' FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'code';
