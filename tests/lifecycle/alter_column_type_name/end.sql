SELECT count(*) = 3002 FROM items;
SELECT price_units = 12.34 FROM items WHERE label = 'item 300';
SELECT price_units = 19.99 FROM items WHERE label = 'old insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price_units = 0.50;
SELECT count(*) = 2984 FROM items WHERE id <= 3000 AND price_units = id * 7 / 100.0;
INSERT INTO items (label) VALUES ('after contract') RETURNING price_units = 0;
