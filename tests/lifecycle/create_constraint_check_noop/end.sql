SELECT count(*) = 3003 FROM items;
SELECT pg_temp.refused($$UPDATE items SET discount = price + 1 WHERE id = 7$$, '23514');
SELECT NOT pg_temp.refused($$UPDATE items SET discount = price WHERE id = 7$$);
