SELECT count(*) = 3002 FROM items;
-- the foreign key acts
WITH d AS (DELETE FROM owners WHERE id = 8 RETURNING id) SELECT count(*) = 1 FROM d;
SELECT count(*) = 0 FROM items WHERE owner_id = 8;
