-- the shadow column of the new type; no constraint on it before switch
SELECT format_type(atttypid, atttypmod) = 'numeric(10,2)'
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = '_pgstep_items_price_new';
SELECT NOT EXISTS (SELECT FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                    WHERE c.conrelid = 'items'::regclass AND a.attname = '_pgstep_items_price_new');
-- the old column keeps its values and its check
SELECT count(*) = 282 FROM items WHERE price < 0;
SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_price_check');
-- up made every value one the new check accepts
SELECT count(*) = 0 FROM items WHERE _pgstep_items_price_new IS NULL OR NOT (_pgstep_items_price_new >= 0);
SELECT count(*) = 282 FROM items WHERE price < 0 AND _pgstep_items_price_new = 0;
SELECT _pgstep_items_price_new = 0 FROM items WHERE label = 'old insert';
SELECT _pgstep_items_price_new = 19.99 FROM items WHERE label = 'old insert, fine';
-- the new application's write, back in cents
SELECT price = 1234 FROM items WHERE label = 'item 300';
