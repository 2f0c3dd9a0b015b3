SELECT count(*) = 3004 FROM items;
SELECT convalidated FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_price_nonnegative';
-- without the trigger, the check refuses what up used to fix
SELECT pg_temp.refused($$INSERT INTO items (label, price) VALUES ('after contract', -1)$$, '23514');
SELECT price = 0 FROM items WHERE label = 'new insert, negative';
