SELECT count(*) = 2 FROM items WHERE label LIKE '% insert, default' AND price = 0;
