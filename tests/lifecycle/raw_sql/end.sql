-- expanded and backfilled again, every row now
SELECT count(*) = 3002 FROM items WHERE label_len = length(label);
SELECT convalidated FROM pg_constraint WHERE conname = 'items_label_len_not_null';
