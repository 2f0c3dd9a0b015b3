-- the old column may be NULL now; the shadow column is bigint
SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'price';
SELECT format_type(atttypid, atttypmod) = 'bigint' AND NOT attnotnull
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = '_pgstep_items_price_new';
-- the NOT NULL a rollback puts back, saved in pgstep's own state
SELECT (value::jsonb ->> 'notnull')::boolean FROM pgstep.saved WHERE migration = 'alter_column_type_nullable' AND key = '0:items.price:was';
-- both representations agree on every row
SELECT count(*) = 0 FROM items WHERE _pgstep_items_price_new IS DISTINCT FROM price;
SELECT _pgstep_items_price_new = 1999 FROM items WHERE label = 'old insert';
SELECT price = 1234 FROM items WHERE label = 'item 300';
