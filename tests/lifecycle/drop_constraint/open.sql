-- the check is there, valid, and refuses what breaks it
SELECT convalidated FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_price_positive';
SELECT pg_temp.refused($$INSERT INTO items (label, price) VALUES ('free', 0)$$, '23514');
SELECT pg_temp.refused($$UPDATE items SET price = 0 WHERE id = 7$$, '23514');
SELECT pg_temp.refused($$UPDATE items SET price = -1 WHERE id = 8$$, '23514');
SELECT count(*) = 3002 FROM items;
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND price = id + 1000;
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 1;
