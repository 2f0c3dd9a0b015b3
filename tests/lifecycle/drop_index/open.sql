-- the index serves until contract
SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_label_idx'::regclass;
SET enable_seqscan = off; SELECT count(*) = 10 FROM items WHERE label LIKE 'old update %';
SELECT count(*) = 3002 FROM items;
