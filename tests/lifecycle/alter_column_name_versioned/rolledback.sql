SELECT label = 'new insert' FROM items WHERE price = 3 AND id > 3000;
SELECT count(*) = 5 FROM items WHERE label LIKE 'new update %';
