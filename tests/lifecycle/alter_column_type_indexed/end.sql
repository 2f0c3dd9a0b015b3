SELECT count(*) = 3001 FROM items;
-- the index and the check are still there
SELECT to_regclass('items_price_idx') IS NOT NULL;
SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'c');
