-- nothing ran yet
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'legacy' AND NOT attisdropped);
SELECT to_regclass('items_label_idx') IS NULL;
SELECT count(*) = 3002 FROM items;
