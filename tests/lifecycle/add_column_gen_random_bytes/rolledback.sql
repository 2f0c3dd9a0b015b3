SELECT count(*) = 1 FROM items WHERE label = 'new insert';
