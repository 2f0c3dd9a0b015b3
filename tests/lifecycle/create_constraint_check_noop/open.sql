-- the check is there from expand on, NOT VALID, NO INHERIT; nothing else
SELECT NOT convalidated AND connoinherit AND pg_get_constraintdef(oid) = 'CHECK ((discount <= price)) NO INHERIT NOT VALID'
  FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_discount_within_price';
SELECT NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND NOT tgisinternal);
-- it holds for every write, of either application
SELECT pg_temp.refused($$INSERT INTO items (label, price, discount) VALUES ('too much', 1, 2)$$, '23514');
SELECT pg_temp.refused($$UPDATE items SET discount = price + 1 WHERE id = 7$$, '23514');
SELECT pg_temp.refused($$UPDATE items SET price = 0 WHERE id = 8$$, '23514');
-- the rows as written: nothing rewrote them
SELECT count(*) = 3003 FROM items;
SELECT count(*) = 0 FROM items WHERE id <= 3000 AND id NOT BETWEEN 101 AND 110 AND id NOT BETWEEN 201 AND 205
                                 AND (price <> id OR discount IS DISTINCT FROM CASE WHEN id % 3 = 0 THEN NULL ELSE id / 2 END);
SELECT count(*) = 2 FROM items WHERE label LIKE 'old insert%' AND price = 10;
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND discount IS NOT DISTINCT FROM price;
SELECT discount = 1 FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 1000 + id AND discount = price;
