SELECT to_regclass('orders') IS NOT NULL AND to_regclass('order_notes') IS NOT NULL;
SELECT count(*) = 2 AND sum(total) = 550 FROM orders;
SELECT count(*) = 1 FROM order_notes WHERE n = 1;
SELECT count(*) = 3001 FROM items;
SELECT count(*) = 10 FROM items WHERE label LIKE 'old update %';
