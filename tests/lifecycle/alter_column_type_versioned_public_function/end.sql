SELECT price = 12.34 FROM items WHERE label = 'item 300';
SELECT price = 3.21 FROM items WHERE label = 'new insert';
