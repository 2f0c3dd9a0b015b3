-- the shadow column of the new type; no foreign key on it before switch
SELECT format_type(atttypid, atttypmod) = 'bigint'
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = '_pgstep_items_owner_new';
SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'f');
SELECT count(*) = 0 FROM items WHERE _pgstep_items_owner_new IS DISTINCT FROM owner;
SELECT _pgstep_items_owner_new = 7 FROM items WHERE label = 'old insert';
SELECT _pgstep_items_owner_new IS NULL FROM items WHERE label = 'old insert, no owner';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 101 AND 105 AND _pgstep_items_owner_new = 42;
SELECT owner = 99 FROM items WHERE label = 'item 300';
