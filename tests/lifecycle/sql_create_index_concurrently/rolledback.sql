-- down dropped it
SELECT to_regclass('items_label_idx') IS NULL;
