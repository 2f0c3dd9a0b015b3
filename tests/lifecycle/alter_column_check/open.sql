SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname = '_pgstep_items_price_alter');
-- no row breaks the check any more
SELECT count(*) = 0 FROM items WHERE NOT (price >= 0);
SELECT count(*) = 271 FROM items WHERE price = 0 AND id <= 3000 AND id NOT BETWEEN 101 AND 110 AND id NOT BETWEEN 201 AND 205;
SELECT price = 0 FROM items WHERE label = 'old insert';
SELECT price = 5 FROM items WHERE label = 'old insert, fine';
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND price = 0;
SELECT price = 7 FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 8;
