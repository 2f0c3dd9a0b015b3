-- the shadow column: the new type and comment, no default and no NOT NULL yet
SELECT format_type(atttypid, atttypmod) = 'numeric(10,2)' AND NOT attnotnull AND NOT atthasdef
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = '_pgstep_items_price_new';
SELECT col_description('items'::regclass, attnum) = 'price in units'
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = '_pgstep_items_price_new';
-- the old column as it was
SELECT format_type(atttypid, atttypmod) = 'integer' AND NOT attnotnull
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'price';
SELECT col_description('items'::regclass, attnum) = 'price in cents'
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'price';
-- every row converted, NULLs to 0
SELECT count(*) = 0 FROM items WHERE _pgstep_items_price_new IS NULL;
SELECT count(*) = 0 FROM items WHERE price IS NOT NULL AND _pgstep_items_price_new <> price::numeric / 100;
SELECT _pgstep_items_price_new = 19.99 FROM items WHERE label = 'old insert';
SELECT _pgstep_items_price_new = 0 AND price IS NULL FROM items WHERE label = 'old insert, no price';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 101 AND 105 AND price IS NULL AND _pgstep_items_price_new = 0;
SELECT count(*) = 230 FROM items WHERE id <= 3000 AND id % 13 = 0 AND price IS NULL AND _pgstep_items_price_new = 0;
-- the new application's write, back in cents
SELECT price = 1234 FROM items WHERE label = 'item 300';
