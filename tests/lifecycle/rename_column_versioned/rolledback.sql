SELECT number = 200001 FROM items WHERE label = 'new insert, given';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND number = id + 700000;
