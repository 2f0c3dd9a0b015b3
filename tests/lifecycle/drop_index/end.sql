SELECT to_regclass('items_label_idx') IS NULL AND to_regclass('items_price_idx') IS NOT NULL;
SELECT count(*) = 3002 FROM items;
