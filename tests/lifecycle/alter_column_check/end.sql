SELECT count(*) = 3003 FROM items;
SELECT convalidated FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_price_nonnegative';
