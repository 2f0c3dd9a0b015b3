SELECT count(*) = 2997 FROM items;
SELECT price = 7 FROM items WHERE label = 'new insert';
