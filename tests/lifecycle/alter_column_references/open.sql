-- the foreign key, NOT VALID while open, already enforced for writes
SELECT NOT convalidated AND contype = 'f' AND confrelid = 'owners'::regclass AND confdeltype = 'c' AND confmatchtype = 'f'
  FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_owner_fk';
SELECT count(*) = 3002 FROM items;
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND owner_id = 8;
