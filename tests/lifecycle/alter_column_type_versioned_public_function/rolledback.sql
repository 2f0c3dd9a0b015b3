SELECT price = 321 FROM items WHERE label = 'new insert';
