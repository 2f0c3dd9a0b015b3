SELECT price = 12.34 FROM items WHERE label = 'new insert';
