-- the new application's value is kept, and converted back by down
SELECT _pgstep_items_price_new = 12.34 FROM items WHERE label = 'new insert';
SELECT price = 1234 FROM items WHERE label = 'new insert';
