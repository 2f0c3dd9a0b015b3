SELECT count(*) = 3002 FROM items;
SELECT price = 12.34 FROM items WHERE label = 'item 300';
SELECT price = 19.99 FROM items WHERE label = 'old insert';
SELECT price = 0 FROM items WHERE label = 'old insert, no price';
SELECT count(*) = 235 FROM items WHERE price = 0;
-- the default, NOT NULL and the comment are the column's
INSERT INTO items (label) VALUES ('after contract') RETURNING price = 0;
SELECT pg_temp.refused($$INSERT INTO items (label, price) VALUES ('null', NULL)$$, '23502');
SELECT col_description('items'::regclass, attnum) = 'price in units' FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'price';
