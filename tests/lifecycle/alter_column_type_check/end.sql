SELECT count(*) = 3002 FROM items;
SELECT count(*) = 282 FROM items WHERE price = 0;
SELECT price = 12.34 FROM items WHERE label = 'item 300';
SELECT price = 19.99 FROM items WHERE label = 'old insert, fine';
-- both checks hold, each under its name
SELECT pg_temp.refused($$INSERT INTO items (label, price) VALUES ('negative', -0.01)$$, '23514');
SELECT pg_temp.refused($$INSERT INTO items (label, price) VALUES ('too much', 10000000)$$, '23514');
SELECT string_agg(conname, ' ' ORDER BY conname) = 'items_price_check items_price_check1'
  FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'c' AND convalidated;
