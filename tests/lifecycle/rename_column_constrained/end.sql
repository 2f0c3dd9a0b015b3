SELECT count(*) = 3002 FROM items;
-- the column is still unique
SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'u');
