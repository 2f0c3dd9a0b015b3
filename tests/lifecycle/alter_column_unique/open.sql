-- the unique index is there and valid while open; the constraint is not yet
SELECT indisvalid AND indisunique FROM pg_index WHERE indexrelid = 'items_sku_unique'::regclass;
SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'u');
SELECT count(*) = 3003 FROM items;
SELECT count(*) = 10 FROM items WHERE sku LIKE 'SKU-U%';
