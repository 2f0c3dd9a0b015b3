-- the shadow column of the new type, and the sync trigger
SELECT format_type(atttypid, atttypmod) = 'numeric(10,2)'
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = '_pgstep_items_price_new';
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname = '_pgstep_items_price_sync');
SELECT format_type(atttypid, atttypmod) = 'integer' AND attnotnull
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'price';
-- both representations agree on every row
SELECT count(*) = 0 FROM items WHERE _pgstep_items_price_new IS DISTINCT FROM price::numeric / 100;
-- the old application's writes, converted by up
SELECT _pgstep_items_price_new = 19.99 FROM items WHERE label = 'old insert';
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND _pgstep_items_price_new = 0.05;
-- the new application's writes, converted back by down
SELECT price = 1234 FROM items WHERE label = 'item 300';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 50;
