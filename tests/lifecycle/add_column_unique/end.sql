SELECT count(*) = 3002 AND count(DISTINCT code) = 3002 FROM items;
-- the unique constraint holds
SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'u' AND convalidated);
