SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_label_idx'::regclass;
SELECT count(*) = 3002 FROM items;
