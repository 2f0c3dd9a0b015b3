-- expand's up ran, and the backfill filled every row there was
SELECT count(*) = 3000 FROM items WHERE id <= 3000 AND label_len = length('item ' || id);
SELECT label_len IS NULL FROM items WHERE label = 'old insert';
SELECT label_len = 10 FROM items WHERE label = 'new insert';
-- switch has not run
SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'items_label_len_not_null');
