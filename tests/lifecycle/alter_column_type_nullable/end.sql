SELECT count(*) = 3002 FROM items;
SELECT price = 1999 FROM items WHERE label = 'old insert';
INSERT INTO items (label, price) VALUES ('after contract', NULL) RETURNING price IS NULL;
INSERT INTO items (label, price) VALUES ('big', 5000000000) RETURNING price = 5000000000;
