SELECT price = 0 FROM items WHERE label = 'new insert, default';
