SELECT count(*) = 3003 FROM items;
SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'u' AND conname = 'items_sku_unique');
