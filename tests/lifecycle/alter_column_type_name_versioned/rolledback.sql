SELECT price = 321 FROM items WHERE label = 'new insert';
SELECT price = 1234 FROM items WHERE label = 'item 300';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 50;
