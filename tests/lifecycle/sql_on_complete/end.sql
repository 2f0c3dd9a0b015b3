SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'legacy' AND NOT attisdropped);
SELECT to_regclass('items_label_idx') IS NOT NULL;
SELECT count(*) = 3002 FROM items;
