SELECT count(*) = 3001 FROM items;
SELECT price = 12.34 FROM items WHERE label = 'item 300';
SELECT price = 19.99 FROM items WHERE label = 'old insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 0.50;
SELECT count(*) = 2984 FROM items WHERE id <= 3000 AND price = id * 7 / 100.0;
