-- the column, and both constraints NOT VALID until switch
SELECT format_type(atttypid, atttypmod) = 'bigint' AND NOT attnotnull
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'owner_id';
SELECT count(*) = 2 FROM pg_constraint
 WHERE conrelid = 'items'::regclass AND NOT convalidated
   AND ((conname = 'items_owner_id_positive' AND contype = 'c' AND pg_get_constraintdef(oid) = 'CHECK ((owner_id > 0)) NOT VALID')
     OR (conname = 'items_owner_id_fkey' AND contype = 'f' AND confrelid = 'owners'::regclass AND confdeltype = 'n'));
-- backfilled from up: the owner's id, or NULL where there is none
SELECT count(*) = 0 FROM items i
 WHERE owner_id IS DISTINCT FROM (SELECT o.id FROM owners o WHERE o.name = i.owner_name)
   AND id NOT BETWEEN 201 AND 205;
SELECT count(*) FILTER (WHERE owner_id IS NULL) = count(*) FILTER (WHERE owner_name IS NULL OR owner_name = 'nobody')
   AND count(*) FILTER (WHERE owner_id IS NOT NULL) > 2000
  FROM items WHERE id <= 3000 AND id NOT BETWEEN 201 AND 205;
-- the old application's writes got owner_id from up
SELECT owner_id = 42 FROM items WHERE label = 'old insert';
SELECT owner_id IS NULL FROM items WHERE label = 'old insert, no owner';
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND owner_id = 99;
-- the new application's values stay
SELECT owner_id = 5 FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND owner_id = 3;
