-- built, and valid
SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_label_idx'::regclass;
SET enable_seqscan = off; SELECT count(*) = 1 FROM items WHERE label = 'new insert';
