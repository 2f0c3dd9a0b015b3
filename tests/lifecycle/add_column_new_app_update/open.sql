-- the new application's values stay through its own later updates
SELECT label_len = 42 FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND label_len = 7;
