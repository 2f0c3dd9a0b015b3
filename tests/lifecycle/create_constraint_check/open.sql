-- up's trigger rewrites every write; the check comes in switch
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname = '_pgstep_items_items_price_nonnegative_up');
SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_price_nonnegative');
-- no row breaks the check any more: the backfill fixed the 271 rows there
-- were (but id 110, which the old application rewrote), the trigger the rest
SELECT count(*) = 0 FROM items WHERE price < 0;
SELECT count(*) = 271 FROM items WHERE id <= 3000 AND id % 11 = 0 AND id NOT BETWEEN 101 AND 110 AND price = 0;
SELECT count(*) = 0 FROM items WHERE id <= 3000 AND id % 11 <> 0 AND id NOT BETWEEN 101 AND 110
                                 AND id NOT BETWEEN 201 AND 205 AND price <> id;
-- both applications' writes, through up
SELECT price = 0 FROM items WHERE label = 'old insert';
SELECT price = 5 FROM items WHERE label = 'old insert, fine';
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND price = 0;
SELECT price = 7 FROM items WHERE label = 'new insert';
SELECT price = 0 FROM items WHERE label = 'new insert, negative';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 8;
