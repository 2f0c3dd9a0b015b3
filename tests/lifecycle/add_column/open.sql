-- the column, nullable and without its default until switch and contract
SELECT EXISTS (SELECT FROM information_schema.columns
               WHERE table_name = 'items' AND column_name = 'label_len'
                 AND data_type = 'integer' AND is_nullable = 'YES' AND column_default IS NULL);
-- the trigger that fills it for the old application
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname LIKE '\_pgstep\_%' AND NOT tgisinternal);
-- backfilled: every row has label_len = length(label) but those the new application set
SELECT count(*) = 0 FROM items
 WHERE label_len IS DISTINCT FROM length(label) AND label <> 'new insert' AND id NOT BETWEEN 201 AND 205;
-- the old application's inserts and updates got it from up
SELECT count(*) = 2 FROM items WHERE label LIKE 'old insert%' AND label_len = length(label);
SELECT count(*) = 10 FROM items WHERE label LIKE 'old update %' AND label_len = length(label);
-- the new application's values stay
SELECT label_len = 42 FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND label_len = 7;
