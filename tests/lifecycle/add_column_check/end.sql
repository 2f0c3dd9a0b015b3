SELECT count(*) = 3003 FROM items;
SELECT count(*) = 0 FROM items i
 WHERE owner_id IS DISTINCT FROM (SELECT o.id FROM owners o WHERE o.name = i.owner_name);
-- the foreign key acts: deleting an owner empties owner_id
WITH d AS (DELETE FROM owners WHERE id = 42 RETURNING id) SELECT count(*) = 1 FROM d;
SELECT count(*) = 0 FROM items WHERE owner_id = 42;
SELECT count(*) > 0 FROM items WHERE owner_name = 'owner 42' AND owner_id IS NULL;
