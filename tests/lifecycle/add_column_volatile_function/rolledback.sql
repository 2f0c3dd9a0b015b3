-- the new application's row is there in the old schema
SELECT count(*) = 1 FROM items WHERE label = 'new insert';
