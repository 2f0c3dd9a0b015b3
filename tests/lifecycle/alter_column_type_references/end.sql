SELECT count(*) = 3002 FROM items;
SELECT owner_id = 99 FROM items WHERE label = 'item 300';
SELECT owner_id = 7 FROM items WHERE label = 'old insert';
SELECT count(*) = 300 FROM items WHERE owner_id IS NULL;
-- the foreign key holds, under PostgreSQL's name for the new column
SELECT pg_temp.refused($$INSERT INTO items (label, owner_id) VALUES ('no such owner', 1000)$$, '23503');
SELECT convalidated FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_owner_id_fkey';
-- and cascades
DELETE FROM owners WHERE id = 99; SELECT NOT EXISTS (SELECT FROM items WHERE label = 'item 300');
