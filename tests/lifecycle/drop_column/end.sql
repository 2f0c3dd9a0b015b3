SELECT count(*) = 3002 FROM items;
SELECT count(*) = 5 FROM items WHERE label LIKE 'new update %';
